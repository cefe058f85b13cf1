"""The time bank (时间银行, seed 003): service hours stored, withdrawn as services, passed on (爱心接力)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.core.scope import Scope, ScopedQuerySet
from linli.ledger.models import Entry

from ..choices import ConfirmedAs, RelayRelation, ServiceState
from .depositors import Depositor


class ServiceRecordQuerySet(ScopedQuerySet):
    """Staff see a record when the recipient or the provider is in their scope; residents their own."""

    scope_path_field = "recipient__node__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        # Through the resident's (and family's) own depositor ids, not a join of every record.
        q = None
        if scope.person_id:
            own = Depositor.objects.filter(person_id=scope.person_id).values("pk")
            q = Q(provider_id__in=own) | Q(recipient_id__in=own)
        if scope.household_id:
            family = Q(
                recipient_id__in=Depositor.objects.filter(person__household_id=scope.household_id).values(
                    "pk"
                )
            )
            q = q | family if q is not None else family
        return q

    def scope_q(self, scope: Scope, permission: str) -> Q | None:
        q = super().scope_q(scope, permission)
        provider_q = self.scope_path_q(scope.paths_for(permission), "provider__node__path")
        if provider_q is None:
            return q
        return q | provider_q if q is not None else provider_q


class ServiceRecord(models.Model):
    """Who served whom, what, when and for how many hours; credited when the recipient side confirms.

    The recipient confirms, or a proxy does for them: a family member of the same household or a
    grid worker covering the recipient's grid. A proxy confirmation is recorded as such
    (`confirmed_as`, `confirmed_by`). The provider and whoever recorded the claim can never confirm
    it. The recipient side may dispute instead; a community manager resolves the dispute.
    """

    provider = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="services_given", verbose_name="服务人"
    )
    recipient = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="services_received", verbose_name="受助人"
    )
    what = models.CharField("服务内容", max_length=100)
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("服务时长(小时)", max_digits=5, decimal_places=1)
    state = models.CharField(
        "状态", max_length=10, choices=ServiceState.choices, default=ServiceState.CLAIMED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="登记人",
    )
    claimed_by_name = models.CharField("登记人", max_length=150)
    claimed_at = models.DateTimeField("登记时间")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_by_name = models.CharField("确认人", max_length=150, blank=True)
    confirmed_as = models.CharField("确认身份", max_length=12, choices=ConfirmedAs.choices, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    dispute_reason = models.CharField("异议理由", max_length=200, blank=True)
    resolution_note = models.CharField("处理意见", max_length=200, blank=True)
    credited_hours = models.DecimalField("入账时长", max_digits=5, decimal_places=1, null=True, blank=True)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "时间银行服务记录"
        verbose_name_plural = "时间银行服务记录"
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="bank_service_hours_positive"),
            models.CheckConstraint(
                condition=~Q(provider=models.F("recipient")), name="bank_service_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}→{self.recipient} {self.what} {self.hours}小时"

    def get_scope_path(self) -> str:
        return self.recipient.node.path

    @property
    def is_on_behalf(self) -> bool:
        return self.confirmed_as in (ConfirmedAs.FAMILY, ConfirmedAs.GRID_WORKER)

    def self_may(self, scope: Scope, transition: str) -> bool:
        """The recipient, or a family member of the recipient's household who is not the provider."""
        if transition not in ("confirm", "dispute") or not scope.person_id:
            return False
        if scope.person_id == self.provider.person_id:
            return False
        if scope.person_id == self.recipient.person_id:
            return True
        return bool(scope.household_id and self.recipient.person.household_id == scope.household_id)


class TimeWithdrawalQuerySet(ScopedQuerySet):
    scope_path_field = "depositor__node__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        if not scope.person_id:
            return None
        return Q(depositor_id__in=Depositor.objects.filter(person_id=scope.person_id).values("pk"))


class TimeWithdrawal(models.Model):
    """Hours withdrawn as a service for the depositor themselves (e.g. 2 hours of home cleaning)."""

    depositor = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="time_withdrawals", verbose_name="储户"
    )
    hours = models.DecimalField("支取时长(小时)", max_digits=5, decimal_places=1)
    service = models.CharField("兑换的服务", max_length=100)
    occurred_on = models.DateField("服务日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="经办人",
    )
    recorded_by_name = models.CharField("经办人", max_length=150)
    recorded_at = models.DateTimeField("登记时间")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")

    objects = TimeWithdrawalQuerySet.as_manager()

    class Meta:
        verbose_name = "时间银行支取"
        verbose_name_plural = "时间银行支取"
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="bank_withdrawal_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.depositor} 支取{self.hours}小时 {self.service}"

    def get_scope_path(self) -> str:
        return self.depositor.node.path


class TimeRelayQuerySet(ScopedQuerySet):
    scope_path_field = "donor__node__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        if not scope.person_id:
            return None
        own = Depositor.objects.filter(person_id=scope.person_id).values("pk")
        return Q(donor_id__in=own) | Q(recipient_id__in=own)

    def scope_q(self, scope: Scope, permission: str) -> Q | None:
        q = super().scope_q(scope, permission)
        recipient_q = self.scope_path_q(scope.paths_for(permission), "recipient__node__path")
        if recipient_q is None:
            return q
        return q | recipient_q if q is not None else recipient_q


class TimeRelay(models.Model):
    """爱心接力: hours passed from one depositor to a family member or to a person in need."""

    donor = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="relays_given", verbose_name="转出人"
    )
    recipient = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="relays_received", verbose_name="接收人"
    )
    hours = models.DecimalField("转赠时长(小时)", max_digits=5, decimal_places=1)
    relation = models.CharField("接收人身份", max_length=10, choices=RelayRelation.choices)
    reason = models.CharField("说明", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="经办人",
    )
    recorded_by_name = models.CharField("经办人", max_length=150)
    recorded_at = models.DateTimeField("登记时间")
    out_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")
    in_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")

    objects = TimeRelayQuerySet.as_manager()

    class Meta:
        verbose_name = "爱心接力"
        verbose_name_plural = "爱心接力"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="bank_relay_hours_positive"),
            models.CheckConstraint(
                condition=~Q(donor=models.F("recipient")), name="bank_relay_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor}→{self.recipient} {self.hours}小时"

    def get_scope_path(self) -> str:
        return self.donor.node.path
