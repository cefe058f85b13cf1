"""Depositors (储户): residents, households and units, each with a points account and a card code."""

from django.db import models
from django.db.models import Q

from linli.core.scope import Scope, ScopedQuerySet
from linli.ledger.models import Account
from linli.orgs.models import Household, OrgNode
from linli.people.models import Person

from ..choices import DepositorKind


def own_depositor_q(scope: Scope, prefix: str = "") -> Q | None:
    """A self-service user's own depositors: themselves and their household."""
    parts = []
    if scope.person_id:
        parts.append(Q(**{f"{prefix}person_id": scope.person_id}))
    if scope.household_id:
        parts.append(Q(**{f"{prefix}household_id": scope.household_id}))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


class DepositorQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return own_depositor_q(scope)


class Depositor(models.Model):
    """A 储户 of the points station: one resident, one household or one unit (驻区单位).

    `node` is where the depositor sits in the tree (the resident's or household's grid, the unit's
    node), so a grid worker reaches the depositors of their grid and nobody else's; `community`
    decides the home station, its catalogue and its expiry rule. The short code is printed on the
    card and shown on the phone page for typing when a camera is not at hand; revoking the card
    changes both the code and the card version, so a lost card stops working.
    """

    kind = models.CharField("类型", max_length=10, choices=DepositorKind.choices)
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_depositor"
    )
    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_depositor"
    )
    unit = models.OneToOneField(
        OrgNode, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_depositor"
    )
    name = models.CharField("储户名称", max_length=100)
    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name="所在网格/单位"
    )
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name="所属社区"
    )
    points_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="bank_depositor", verbose_name="积分账户"
    )
    hours_account = models.OneToOneField(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_time_depositor",
        verbose_name="时间银行账户",
    )
    short_code = models.CharField("储户码", max_length=8, unique=True)
    card_version = models.PositiveIntegerField("储户卡版本", default=1)
    card_revoked_at = models.DateTimeField("上次作废储户卡", null=True, blank=True)
    opened_at = models.DateTimeField("开户时间")

    objects = DepositorQuerySet.as_manager()

    class Meta:
        verbose_name = "储户"
        verbose_name_plural = "储户"
        ordering = ["node__path", "kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=DepositorKind.PERSON,
                        person__isnull=False,
                        household__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        kind=DepositorKind.HOUSEHOLD,
                        person__isnull=True,
                        household__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(
                        kind=DepositorKind.UNIT,
                        person__isnull=True,
                        household__isnull=True,
                        unit__isnull=False,
                    )
                ),
                name="bank_depositor_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.node.path

    @property
    def short_code_display(self) -> str:
        return f"{self.short_code[:4]}-{self.short_code[4:]}"

    def belongs_to(self, scope: Scope) -> bool:
        """True when the depositor is the self-service user or their household."""
        return bool(
            (scope.person_id and self.person_id == scope.person_id)
            or (scope.household_id and self.household_id == scope.household_id)
        )
