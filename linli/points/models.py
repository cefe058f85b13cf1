"""Party member points (PTS): scoring schemes, the branch's eleven-step year, claims, 公示, grades, exemptions.

Points themselves live in the ledger (currency `member_points`, one account per member per year);
the rows here say why each entry was posted and where the year's process stands.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q

from linli.core import clock
from linli.core.scope import Scope, ScopedQuerySet
from linli.ledger.models import Account, Entry
from linli.orgs.models import OrgNode, PartyOrg
from linli.people.choices import PointsClass
from linli.people.models import Member

from .choices import (
    AutoCode,
    AwardLevel,
    CapPeriod,
    Category,
    ClaimOrigin,
    ClaimStatus,
    Direction,
    ExemptionReason,
    ExemptionStatus,
    Grade,
    ObjectionStatus,
    SchemeStatus,
    Stage,
    ViolationKind,
)

POINTS = {"max_digits": 8, "decimal_places": 2}


class SchemeQuerySet(ScopedQuerySet):
    default_permission = "points.scheme_view"

    def scope_q(self, scope: Scope, permission: str) -> Q | None:
        """A scheme serves its whole district: any node role with the permission inside it may read it."""
        districts = {int(path.strip("/").split("/")[0]) for path in scope.paths_for(permission)}
        return Q(district_id__in=sorted(districts)) if districts else None


class Scheme(models.Model):
    """积分细则: the scoring scheme of one year for one member class (机关/社区/两新组织) in a district (PTS-1).

    A draft is edited freely; a published scheme is never changed: editing it means a new version
    (a copy), and publishing that version supersedes the old one. Claims keep the item they used.
    """

    district = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="points_schemes", verbose_name="区"
    )
    year = models.PositiveSmallIntegerField("年度")
    member_class = models.CharField("党员类别", max_length=20, choices=PointsClass.choices)
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    title = models.CharField("名称", max_length=100)
    note = models.TextField("说明", blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name="复制自"
    )
    excellent_min = models.DecimalField("优秀最低分", **POINTS, default=Decimal("90"))
    qualified_min = models.DecimalField("合格最低分", **POINTS, default=Decimal("60"))
    basic_min = models.DecimalField("基本合格最低分", **POINTS, default=Decimal("40"))
    excellent_quota_percent = models.PositiveSmallIntegerField(
        "优秀比例上限(%)", null=True, blank=True, help_text="留空表示不限名额"
    )
    publicity_days = models.PositiveSmallIntegerField("公示期(工作日)", default=5)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by_name = models.CharField("发布人", max_length=150, blank=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "积分细则"
        verbose_name_plural = "积分细则"
        ordering = ["-year", "member_class", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "member_class", "version"], name="points_scheme_unique_version"
            ),
            models.UniqueConstraint(
                fields=["district", "year", "member_class"],
                condition=Q(status="published"),
                name="points_scheme_one_published",
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gte=models.F("qualified_min"))
                & Q(qualified_min__gte=models.F("basic_min")),
                name="points_scheme_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(excellent_quota_percent__isnull=True) | Q(excellent_quota_percent__lte=100),
                name="points_scheme_quota_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_member_class_display()}党员积分细则（第{self.version}版）"

    def get_scope_path(self) -> str:
        return self.district.path

    @property
    def is_editable(self) -> bool:
        return self.status == SchemeStatus.DRAFT


class SchemeItem(models.Model):
    """One scoring item: adds or deducts a fixed value or a value in a range, optionally capped per period.

    `lineage` is shared by the copies of an item across versions, so that a cap counts what the
    member already earned under an earlier version of the same item.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items", verbose_name="细则")
    lineage = models.UUIDField("项目标识", default=uuid.uuid4, db_index=True, editable=False)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    name = models.CharField("项目", max_length=100)
    description = models.CharField("标准说明", max_length=300, blank=True)
    direction = models.CharField("加减分", max_length=10, choices=Direction.choices, default=Direction.ADD)
    default_points = models.DecimalField(
        "每次分值", **POINTS, null=True, blank=True, help_text="固定分值；与分值范围二选一"
    )
    min_points = models.DecimalField("最低分值", **POINTS, null=True, blank=True)
    max_points = models.DecimalField("最高分值", **POINTS, null=True, blank=True)
    cap_points = models.DecimalField("上限分值", **POINTS, null=True, blank=True, help_text="留空表示不封顶")
    cap_period = models.CharField("上限周期", max_length=20, choices=CapPeriod.choices, blank=True)
    evidence_required = models.BooleanField("须提供佐证材料", default=False)
    award_level = models.CharField("表彰级别", max_length=30, choices=AwardLevel.choices, blank=True)
    auto_code = models.CharField(
        "自动记分代码",
        max_length=40,
        choices=AutoCode.choices,
        blank=True,
        help_text="由会议、志愿等活动自动记分",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "积分项目"
        verbose_name_plural = "积分项目"
        ordering = ["scheme_id", "category", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "auto_code"],
                condition=~Q(auto_code=""),
                name="points_item_unique_auto_code",
            ),
            models.CheckConstraint(
                condition=Q(default_points__isnull=False, min_points__isnull=True, max_points__isnull=True)
                | Q(default_points__isnull=True, min_points__isnull=False, max_points__isnull=False),
                name="points_item_value_or_range",
            ),
            models.CheckConstraint(
                condition=Q(cap_points__isnull=True, cap_period="")
                | Q(cap_points__isnull=False) & ~Q(cap_period=""),
                name="points_item_cap_has_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sign(self) -> int:
        return -1 if self.direction == Direction.DEDUCT else 1

    @property
    def is_range(self) -> bool:
        return self.default_points is None

    @property
    def rule_text(self) -> str:
        """每次2分，全年不超过12分 — the item's rule as a member reads it."""
        verb = "扣" if self.direction == Direction.DEDUCT else "加"
        if self.is_range:
            text = f"每次{verb}{_num(self.min_points)}–{_num(self.max_points)}分"
        else:
            text = f"每次{verb}{_num(self.default_points)}分"
        if self.cap_points is not None:
            period = CapPeriod(self.cap_period).label
            text += f"，{period}{'累计' if self.cap_period != CapPeriod.OCCURRENCE else ''}不超过{_num(self.cap_points)}分"
        return text


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


class BranchYearQuerySet(ScopedQuerySet):
    scope_path_field = "branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(branch__members__pk=scope.member_id) if scope.member_id else None


class BranchYear(models.Model):
    """One branch's points year: the unit the eleven steps run on (PTS-2). `stage` is the step in progress."""

    branch = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="points_years", verbose_name="党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField("当前步骤", max_length=30, choices=Stage.choices, default=Stage.SCHEME)
    assembly_date = models.DateField("党员大会日期", null=True, blank=True)
    assembly_expected = models.PositiveSmallIntegerField("应到人数", null=True, blank=True)
    assembly_attended = models.PositiveSmallIntegerField("实到人数", null=True, blank=True)
    review_date = models.DateField("年底评议日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)

    objects = BranchYearQuerySet.as_manager()

    class Meta:
        verbose_name = "支部年度积分"
        verbose_name_plural = "支部年度积分"
        ordering = ["-year", "branch__node__path", "branch_id"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="points_branch_year_unique")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}年党员积分"

    def get_scope_path(self) -> str:
        return self.branch.node.path


class ClaimQuerySet(ScopedQuerySet):
    scope_path_field = "branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class Claim(models.Model):
    """One scored matter of a member's year: a self-report, a record by the community, or an automatic credit.

    A self-report waits for the community's review (submitted → approved / adjusted / rejected, or
    withdrawn by the member); the others are approved when made. `entry` is the ledger entry that
    currently carries the claim's points; a correction reverses it and posts the corrected amount.
    """

    branch_year = models.ForeignKey(
        BranchYear, on_delete=models.PROTECT, related_name="claims", verbose_name="支部年度"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="points_claims", verbose_name="党员"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name="积分账户")
    item = models.ForeignKey(
        SchemeItem, on_delete=models.PROTECT, related_name="claims", verbose_name="积分项目"
    )
    origin = models.CharField("来源", max_length=20, choices=ClaimOrigin.choices)
    status = models.CharField(
        "状态", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    occurred_on = models.DateField("发生日期")
    quantity = models.PositiveSmallIntegerField("次数", default=1)
    description = models.TextField("事项说明", blank=True)
    requested_points = models.DecimalField("申报分值", **POINTS)
    points = models.DecimalField("记入分值", **POINTS, null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by_name = models.CharField("审核人", max_length=150, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    entry = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_claim",
        verbose_name="记账分录",
    )
    source_type = models.CharField("来源类型", max_length=100, blank=True)
    source_id = models.CharField("来源ID", max_length=64, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=200, null=True, blank=True, unique=True)
    created_by_name = models.CharField("录入人", max_length=150, blank=True)
    created_at = models.DateTimeField("录入时间", default=clock.now, db_index=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "积分事项"
        verbose_name_plural = "积分事项"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["account", "status"], name="points_claim_account_idx"),
            models.Index(fields=["branch_year", "status"], name="points_claim_year_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.item} {self.occurred_on}"

    def get_scope_path(self) -> str:
        return self.branch_year.branch.node.path

    def self_may(self, scope, transition: str) -> bool:
        """The member whose row this is may move it by their self role (e.g. withdraw it)."""
        return scope.person_id is not None and scope.person_id == self.member.person_id

    @property
    def is_pending(self) -> bool:
        return self.status == ClaimStatus.SUBMITTED


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """A random name: evidence is reached only through the scoped view, never by guessing a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"points/evidence/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class EvidenceQuerySet(ScopedQuerySet):
    scope_path_field = "claim__branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(claim__member_id=scope.member_id) if scope.member_id else None


class Evidence(models.Model):
    """佐证材料: an image or PDF attached to a claim, kept in Django storage and served only by a scoped view."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="evidence", verbose_name="积分事项"
    )
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("摘要", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["claim_id", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_scope_path(self) -> str:
        return self.claim.get_scope_path()


class ExemptionQuerySet(ScopedQuerySet):
    scope_path_field = "branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class Exemption(models.Model):
    """免于参加积分 (PTS-4): the member (or the community for them) applies, the community recommends,
    the Party committee (街道党工委) approves; an approved member is outside the year's points activity."""

    branch_year = models.ForeignKey(
        BranchYear, on_delete=models.PROTECT, related_name="exemptions", verbose_name="支部年度"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="points_exemptions", verbose_name="党员"
    )
    reason_kind = models.CharField("原因类别", max_length=20, choices=ExemptionReason.choices)
    reason = models.TextField("具体情况")
    member_wish = models.TextField("本人意愿", blank=True, help_text="代为申请时记录征求本人意愿的情况")
    status = models.CharField(
        "状态", max_length=20, choices=ExemptionStatus.choices, default=ExemptionStatus.APPLIED
    )
    applied_on_behalf = models.BooleanField("社区代为申请", default=False)
    applied_by_name = models.CharField("申请人", max_length=150, blank=True)
    applied_at = models.DateTimeField("申请时间", default=clock.now)
    decision_note = models.TextField("审核意见", blank=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = "免于参加积分"
        verbose_name_plural = "免于参加积分"
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch_year", "member"],
                condition=Q(status__in=["applied", "recommended", "approved"]),
                name="points_exemption_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.branch_year.year}年免于参加积分"

    def get_scope_path(self) -> str:
        return self.branch_year.branch.node.path

    def self_may(self, scope, transition: str) -> bool:
        """The member whose row this is may move it by their self role (e.g. withdraw it)."""
        return scope.person_id is not None and scope.person_id == self.member.person_id


class ViolationQuerySet(ScopedQuerySet):
    scope_path_field = "branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class Violation(models.Model):
    """A recorded violation of law, discipline or rules: the member is 不合格 whatever the total (PTS-3)."""

    branch_year = models.ForeignKey(
        BranchYear, on_delete=models.PROTECT, related_name="violations", verbose_name="支部年度"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="points_violations", verbose_name="党员"
    )
    kind = models.CharField("性质", max_length=20, choices=ViolationKind.choices)
    occurred_on = models.DateField("发生日期")
    description = models.TextField("情况")
    recorded_by_name = models.CharField("登记人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("登记时间", default=clock.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by_name = models.CharField("撤销人", max_length=150, blank=True)
    revoke_reason = models.TextField("撤销原因", blank=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = "违法违纪违规记录"
        verbose_name_plural = "违法违纪违规记录"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.occurred_on}"

    def get_scope_path(self) -> str:
        return self.branch_year.branch.node.path

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NoticeQuerySet(ScopedQuerySet):
    scope_path_field = "branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(branch_year__branch__members__pk=scope.member_id) if scope.member_id else None


class PublicNotice(models.Model):
    """公示: the totals the branch assembly confirmed, frozen with a keyed digest, shown for a publicity period.

    Each line keeps the account's entry count and chain tail at publication, so that step 11 can
    prove which entries came after the notice and that each of them answers a recorded objection.
    """

    branch_year = models.ForeignKey(
        BranchYear, on_delete=models.PROTECT, related_name="notices", verbose_name="支部年度"
    )
    start_date = models.DateField("公示开始")
    end_date = models.DateField("公示截止")
    working_days = models.PositiveSmallIntegerField("公示期(工作日)")
    contact = models.CharField("异议受理", max_length=200, blank=True)
    digest = models.CharField("摘要", max_length=64)
    published_at = models.DateTimeField("发布时间", default=clock.now)
    published_by_name = models.CharField("发布人", max_length=150, blank=True)
    is_withdrawn = models.BooleanField("已撤回", default=False)
    withdrawn_reason = models.TextField("撤回原因", blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "积分公示"
        verbose_name_plural = "积分公示"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.branch_year} 公示（{self.start_date}至{self.end_date}）"

    def get_scope_path(self) -> str:
        return self.branch_year.branch.node.path

    def is_open_on(self, day) -> bool:
        return not self.is_withdrawn and self.start_date <= day <= self.end_date


class NoticeLine(models.Model):
    """One member on a 公示: the total at publication, and the account's chain position at that moment."""

    notice = models.ForeignKey(
        PublicNotice, on_delete=models.PROTECT, related_name="lines", verbose_name="公示"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField("序号")
    total = models.DecimalField("积分", **POINTS)
    entry_count = models.PositiveIntegerField("分录数")
    last_hash = models.CharField("链尾哈希", max_length=64)
    is_exempt = models.BooleanField("免于参加", default=False)

    class Meta:
        verbose_name = "公示名单"
        verbose_name_plural = "公示名单"
        ordering = ["notice_id", "position"]
        constraints = [models.UniqueConstraint(fields=["notice", "member"], name="points_notice_line_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.total}"


class ObjectionQuerySet(ScopedQuerySet):
    scope_path_field = "notice__branch_year__branch__node__path"
    default_permission = "points.view"


class Objection(models.Model):
    """An objection raised during the publicity period, recorded and resolved; an upheld one may correct points."""

    notice = models.ForeignKey(
        PublicNotice, on_delete=models.PROTECT, related_name="objections", verbose_name="公示"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="涉及党员"
    )
    raised_by = models.CharField("提出人", max_length=50, blank=True, help_text="可匿名")
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    status = models.CharField(
        "处理结果", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField("处理意见", blank=True)
    correction_points = models.DecimalField("更正分值", **POINTS, null=True, blank=True)
    correction_entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="points_objection"
    )
    recorded_by_name = models.CharField("登记人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("登记时间", default=clock.now)
    resolved_by_name = models.CharField("处理人", max_length=150, blank=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"异议#{self.pk} {self.get_status_display()}"

    def get_scope_path(self) -> str:
        return self.notice.branch_year.branch.node.path


class YearResultQuerySet(ScopedQuerySet):
    scope_path_field = "branch_year__branch__node__path"
    default_permission = "points.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class YearResult(models.Model):
    """登记: a member's registered result for the year, then the grade (评定格次) with its explanation."""

    branch_year = models.ForeignKey(
        BranchYear, on_delete=models.PROTECT, related_name="results", verbose_name="支部年度"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="points_results", verbose_name="党员"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_exempt = models.BooleanField("免于参加", default=False)
    notice_total = models.DecimalField("公示积分", **POINTS)
    corrections_total = models.DecimalField("异议更正", **POINTS, default=Decimal("0"))
    registered_total = models.DecimalField("登记积分", **POINTS)
    grade = models.CharField("考核档次", max_length=20, choices=Grade.choices, blank=True)
    grade_explanation = models.JSONField("评定依据", default=dict, blank=True)
    graded_at = models.DateTimeField("评定时间", null=True, blank=True)

    objects = YearResultQuerySet.as_manager()

    class Meta:
        verbose_name = "年度积分结果"
        verbose_name_plural = "年度积分结果"
        ordering = ["branch_year_id", "-registered_total", "id"]
        constraints = [models.UniqueConstraint(fields=["branch_year", "member"], name="points_result_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.registered_total}"

    def get_scope_path(self) -> str:
        return self.branch_year.branch.node.path
