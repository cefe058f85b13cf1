"""The station (积分驿站) of a community: its earning catalogue, earnings, bulk credits and expiry rule."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.core.scope import Scope, ScopedQuerySet
from linli.ledger.models import Entry
from linli.orgs.models import OrgNode

from ..choices import BulkState, EarningCategory, EarningMethod, EvidenceKind
from .depositors import Depositor, own_depositor_q


class StationQuerySet(ScopedQuerySet):
    scope_path_field = "community__path"
    default_permission = "bank.view"


class Station(models.Model):
    """A community's points station at the neighbourhood centre (邻里中心): catalogue, shop, desk.

    `allows_cross_redemption` (通存通兑): residents of another community of the same street may
    redeem here, and this community's residents may redeem at such stations, when both allow it.
    """

    community = models.OneToOneField(
        OrgNode,
        on_delete=models.PROTECT,
        related_name="bank_station",
        limit_choices_to={"kind": "community"},
        verbose_name="社区",
    )
    name = models.CharField("驿站名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    allows_cross_redemption = models.BooleanField("通存通兑", default=False)
    is_active = models.BooleanField("启用", default=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = "积分驿站"
        verbose_name_plural = "积分驿站"
        ordering = ["community__path"]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.community.path


class EarningItemQuerySet(ScopedQuerySet):
    scope_path_field = "station__community__path"
    default_permission = "bank.view"


class EarningItem(models.Model):
    """One line of a station's earning catalogue: points per unit, caps per depositor, evidence needed."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="earning_items", verbose_name="积分驿站"
    )
    name = models.CharField("项目名称", max_length=60)
    category = models.CharField("类别", max_length=20, choices=EarningCategory.choices)
    points = models.DecimalField("每次积分", max_digits=8, decimal_places=2)
    unit = models.CharField("计量单位", max_length=10, default="次")
    daily_cap = models.DecimalField(
        "每人每日上限(分)", max_digits=8, decimal_places=2, null=True, blank=True, help_text="留空表示不限"
    )
    monthly_cap = models.DecimalField(
        "每人每月上限(分)", max_digits=8, decimal_places=2, null=True, blank=True, help_text="留空表示不限"
    )
    evidence = models.CharField(
        "证据要求", max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.NONE
    )
    evidence_hint = models.CharField("证据说明", max_length=100, blank=True)
    counts_as_community_service = models.BooleanField(
        "党员参与时同时计入党员积分",
        default=False,
        help_text="党员储户获得本项积分时，同一操作中按其党员积分细则的“社区服务（道德银行）”项记分。",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    objects = EarningItemQuerySet.as_manager()

    class Meta:
        verbose_name = "积分项目"
        verbose_name_plural = "积分项目"
        ordering = ["station_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="bank_earning_item_unique_name"),
            models.CheckConstraint(condition=Q(points__gt=0), name="bank_earning_item_points_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.station.community.path


class EarningQuerySet(ScopedQuerySet):
    scope_path_field = "depositor__node__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return own_depositor_q(scope, "depositor__")


class Earning(models.Model):
    """One credit of points against evidence: who earned what, where, how it was recorded, by whom.

    The ledger entry is posted in the same transaction with an idempotency key per earning; a
    wrong earning is voided by a reversing entry, never edited or deleted.
    """

    depositor = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="earnings", verbose_name="储户"
    )
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="earnings", verbose_name="驿站"
    )
    item = models.ForeignKey(
        EarningItem, on_delete=models.PROTECT, related_name="earnings", verbose_name="积分项目"
    )
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    points = models.DecimalField("积分", max_digits=10, decimal_places=2)
    occurred_on = models.DateField("发生日期", db_index=True)
    method = models.CharField("记录方式", max_length=10, choices=EarningMethod.choices)
    evidence = models.FileField("证据照片", upload_to="bank/evidence/%Y/%m/", blank=True)
    witness = models.CharField("证明人", max_length=50, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_by_name = models.CharField("记录人", max_length=150)
    recorded_at = models.DateTimeField("记录时间")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")
    bulk_line = models.OneToOneField(
        "bank.BulkCreditLine", on_delete=models.PROTECT, null=True, blank=True, related_name="earning"
    )
    voided_at = models.DateTimeField("冲正时间", null=True, blank=True)
    void_reason = models.CharField("冲正原因", max_length=200, blank=True)
    void_entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # BNK-4: what the member points system did with the same act (credited, capped, no item…), for the desk.
    member_points_status = models.CharField("党员积分结果", max_length=20, blank=True)
    member_points_message = models.CharField("党员积分说明", max_length=200, blank=True)

    objects = EarningQuerySet.as_manager()

    class Meta:
        verbose_name = "积分记录"
        verbose_name_plural = "积分记录"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["depositor", "item", "occurred_on"], name="bank_earning_cap_idx"),
            models.Index(fields=["station", "occurred_on"], name="bank_earning_station_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.depositor} {self.item} ×{self.quantity}"

    def get_scope_path(self) -> str:
        return self.depositor.node.path

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class BulkCreditQuerySet(ScopedQuerySet):
    scope_path_field = "station__community__path"
    default_permission = "bank.bulk"


class BulkCredit(models.Model):
    """A back-office credit of many depositors at once: a reason, lines, and a second approver.

    Nothing reaches the ledger while it is pending; a different user approves it and every line
    posts in one transaction, or it is rejected with a reason.
    """

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="bulk_credits", verbose_name="积分驿站"
    )
    item = models.ForeignKey(
        EarningItem, on_delete=models.PROTECT, related_name="bulk_credits", verbose_name="积分项目"
    )
    occurred_on = models.DateField("发生日期")
    reason = models.TextField("事由")
    state = models.CharField("状态", max_length=10, choices=BulkState.choices, default=BulkState.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    objects = BulkCreditQuerySet.as_manager()

    class Meta:
        verbose_name = "批量记分"
        verbose_name_plural = "批量记分"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"批量记分#{self.pk} {self.item}"

    def get_scope_path(self) -> str:
        return self.station.community.path


class BulkCreditLine(models.Model):
    """One depositor of a bulk credit and the quantity of the catalogue item they earned."""

    bulk = models.ForeignKey(
        BulkCredit, on_delete=models.CASCADE, related_name="lines", verbose_name="批量记分"
    )
    depositor = models.ForeignKey(Depositor, on_delete=models.PROTECT, related_name="+", verbose_name="储户")
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    points = models.DecimalField("积分", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "批量记分明细"
        verbose_name_plural = "批量记分明细"
        ordering = ["bulk_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bulk", "depositor"], name="bank_bulk_line_unique_depositor")
        ]

    def __str__(self) -> str:
        return f"{self.depositor} ×{self.quantity}"


class ExpiryRuleQuerySet(ScopedQuerySet):
    scope_path_field = "station__community__path"
    default_permission = "bank.view"


class ExpiryRule(models.Model):
    """Points of this community's depositors older than `keep_months` expire once a year on a set day.

    Expiry is first-in first-out by earning date: whatever a depositor spent is taken from their
    oldest earnings first, so only old points not yet spent expire. Depositors see a notice
    `notice_days` before; an expiry date is only applied if the rule was announced at least
    `notice_days` before it.
    """

    station = models.OneToOneField(
        Station, on_delete=models.PROTECT, related_name="expiry_rule", verbose_name="积分驿站"
    )
    is_active = models.BooleanField("启用", default=True)
    keep_months = models.PositiveSmallIntegerField("有效月数", default=24)
    expires_month = models.PositiveSmallIntegerField("每年过期月份", default=12)
    expires_day = models.PositiveSmallIntegerField("每年过期日", default=31)
    notice_days = models.PositiveSmallIntegerField("提前提醒天数", default=30)
    announced_on = models.DateField("公布日期")

    objects = ExpiryRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "积分过期规则"
        verbose_name_plural = "积分过期规则"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    expires_month__gte=1, expires_month__lte=12, expires_day__gte=1, expires_day__lte=31
                ),
                name="bank_expiry_rule_valid_day",
            ),
            models.CheckConstraint(condition=Q(keep_months__gte=1), name="bank_expiry_rule_keep_months"),
        ]

    def __str__(self) -> str:
        return f"{self.station}：积分保留{self.keep_months}个月，每年{self.expires_month}月{self.expires_day}日清理"

    def get_scope_path(self) -> str:
        return self.station.community.path


class ExpiryPosting(models.Model):
    """The expiry of one depositor's old points on one expiry date; at most one per depositor and date."""

    rule = models.ForeignKey(ExpiryRule, on_delete=models.PROTECT, related_name="postings")
    depositor = models.ForeignKey(Depositor, on_delete=models.PROTECT, related_name="expiries")
    expires_on = models.DateField("过期日期")
    cutoff = models.DateField("此日及以前获得的积分到期")
    amount = models.DecimalField("过期积分", max_digits=10, decimal_places=2)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField("记账时间")

    class Meta:
        verbose_name = "积分过期记录"
        verbose_name_plural = "积分过期记录"
        ordering = ["-expires_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["depositor", "expires_on"], name="bank_expiry_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.depositor} {self.expires_on} 过期{self.amount}"
