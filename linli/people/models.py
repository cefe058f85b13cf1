"""The person and member registry (PPL-1 … PPL-6).

Personal data: ID numbers and phones are stored encrypted (AES-GCM), with a keyed hash for exact
look-up and duplicate detection and a masked copy for lists; only `people.services` writes them.
"""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right

from linli.core.scope import Scope, ScopedQuerySet
from linli.orgs.models import Building, Household, OrgNode, PartyOrg

from .choices import (
    ContactMethod,
    Education,
    FloatingDirection,
    Gender,
    HouseholdRelation,
    ImportKind,
    ImportStatus,
    MemberCategory,
    MemberStatus,
    PersonStatus,
    PointsClass,
    Position,
    PostKind,
    RecordState,
)


class PersonQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        q = Q(pk=scope.person_id) if scope.person_id else None
        if scope.household_id and "resident" in scope.roles:
            q = (q | Q(household_id=scope.household_id)) if q else Q(household_id=scope.household_id)
        return q


class Person(models.Model):
    """A person of the district: resident, Party member or both; registered at a node (usually a grid)."""

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="persons", verbose_name="所属网格/组织"
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="persons", verbose_name="户"
    )
    relation_to_head = models.CharField(
        "与户主关系", max_length=20, choices=HouseholdRelation.choices, blank=True
    )
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名全拼", max_length=120, db_index=True, editable=False)
    name_initials = models.CharField("姓名首字母", max_length=30, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    id_number_encrypted = models.TextField("身份证号(密文)", blank=True, editable=False)
    id_number_hash = models.CharField(
        "身份证号(索引)", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField("电话(密文)", blank=True, editable=False)
    phone_hash = models.CharField("电话(索引)", max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("电话", max_length=20, blank=True, editable=False)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    address = models.CharField("居住地址", max_length=200, blank=True)
    is_resident = models.BooleanField("本辖区居民", default=True)
    status = models.CharField(
        "状态", max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name_pinyin", "id"]
        indexes = [
            # Covers the per-node resident counts of the tree and the home pages (index only).
            models.Index(fields=["node", "status", "is_resident"], name="people_person_node_res_idx"),
            models.Index(fields=["phone_masked"], name="people_person_phone_mask_idx"),
            # Search by the last four digits of a phone (people.search.apply_search).
            models.Index(Right("phone_masked", 4), name="people_person_phone_last4_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.node.path

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = datetime.date.today()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


class MemberQuerySet(ScopedQuerySet):
    scope_path_field = "branch__node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(pk=scope.member_id) if scope.member_id else None

    def scope_q(self, scope: Scope, permission: str) -> Q | None:
        """Members of branches in scope, members living in scope, and in-service members registered here.

        A 网格员 works with the members who live in the grid, whatever branch holds their organisation
        relation; a community keeps the members registered with it (在职党员进社区).

        Each of the three goes through the shared `scope_path_q` (id lists answered from indexes), so the
        database never joins every member of the district to two node paths to test them.
        """
        q = super().scope_q(scope, permission)
        paths = scope.paths_for(permission)
        if not paths:
            return q
        living = self.scope_path_q(paths, "person__node__path")
        registrations = InServiceRegistration.objects.filter(
            InServiceRegistration.objects.scope_path_q(paths), is_active=True
        )
        registered = Q(pk__in=registrations.values("member_id"))
        return reduce(or_, [part for part in (q, living, registered) if part is not None])


class Member(models.Model):
    """A Party member (PPL-2): status, 政治生日, the branch holding the organisation relation, category."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="member", verbose_name="人员"
    )
    branch = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name="所在党组织"
    )
    status = models.CharField(
        "党员类别", max_length=20, choices=MemberStatus.choices, default=MemberStatus.FORMAL
    )
    join_date = models.DateField("入党日期")
    formal_date = models.DateField("转正日期", null=True, blank=True)
    category = models.CharField("党员分类", max_length=20, choices=MemberCategory.choices)
    work_unit = models.ForeignKey(
        OrgNode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employed_members",
        limit_choices_to={"kind": "unit"},
        verbose_name="工作单位(辖区内)",
    )
    work_unit_name = models.CharField("工作单位", max_length=100, blank=True)
    job_title = models.CharField("职务", max_length=50, blank=True)
    record_state = models.CharField(
        "在册状态", max_length=20, choices=RecordState.choices, default=RecordState.ACTIVE
    )
    left_on = models.DateField("离册日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["person__name_pinyin", "id"]
        indexes = [
            models.Index(fields=["branch", "record_state", "category"], name="people_member_branch_cat_idx"),
            models.Index(fields=["join_date"], name="people_member_join_idx"),
        ]

    def __str__(self) -> str:
        return self.person.name

    def get_scope_path(self) -> str:
        return self.branch.node.path

    @property
    def points_class(self) -> str:
        """机关 / 社区 / 两新组织: which year scheme of the points system applies (PTS-1)."""
        return points_class_of(self.category)


def points_class_of(category: str) -> str:
    """The points class (PTS-1) of a member category; `Member.points_class` for a bare column value."""
    if category == MemberCategory.GOVERNMENT:
        return PointsClass.GOVERNMENT
    if category == MemberCategory.NEW_ECONOMY:
        return PointsClass.NEW_ECONOMY
    return PointsClass.COMMUNITY


class InServiceRegistrationQuerySet(ScopedQuerySet):
    scope_path_field = "community__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class InServiceRegistration(models.Model):
    """在职党员进社区 (PPL-3): an employed member registers at the residential community, with skills and wishes."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="inservice_registrations", verbose_name="党员"
    )
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="inservice_registrations", verbose_name="报到社区"
    )
    registered_on = models.DateField("报到日期")
    skills = models.CharField("技能特长", max_length=200, blank=True)
    hobbies = models.CharField("兴趣爱好", max_length=200, blank=True)
    service_wishes = models.CharField("服务意向", max_length=300, blank=True)
    availability = models.CharField("可服务时间", max_length=100, blank=True)
    evaluation = models.TextField("社区评价(反馈所在单位)", blank=True)
    evaluated_on = models.DateField("评价日期", null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = InServiceRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "在职党员报到"
        verbose_name_plural = "在职党员报到"
        ordering = ["-registered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"],
                condition=Q(is_active=True),
                name="people_inservice_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"

    def get_scope_path(self) -> str:
        return self.community.path


class FloatingRecordQuerySet(ScopedQuerySet):
    scope_path_field = "member__branch__node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class FloatingRecord(models.Model):
    """A floating member's record (PPL-4): outflow or inflow, where, how to reach them, last contact."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="floating_records", verbose_name="党员"
    )
    direction = models.CharField("流向", max_length=10, choices=FloatingDirection.choices)
    place = models.CharField("流出/流入地", max_length=100)
    place_party_org = models.CharField("所在地党组织", max_length=100, blank=True)
    reason = models.CharField("外出原因", max_length=50, blank=True)
    since = models.DateField("起始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    contact_phone_encrypted = models.TextField(blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    last_contact_on = models.DateField("最近联系", null=True, blank=True)
    is_active = models.BooleanField("在外", default=True)

    objects = FloatingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "流动党员记录"
        verbose_name_plural = "流动党员记录"
        ordering = ["-since", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_direction_display()} {self.place}"

    def get_scope_path(self) -> str:
        return self.member.branch.node.path


class FloatingContact(models.Model):
    """A contact with a floating member: call, letter, online, visit; thought reports (思想汇报) marked."""

    record = models.ForeignKey(
        FloatingRecord, on_delete=models.PROTECT, related_name="contacts", verbose_name="流动记录"
    )
    contacted_on = models.DateField("联系日期")
    method = models.CharField("方式", max_length=10, choices=ContactMethod.choices)
    is_thought_report = models.BooleanField("思想汇报", default=False)
    content = models.TextField("内容")
    recorded_by_name = models.CharField("记录人", max_length=150, blank=True)

    class Meta:
        verbose_name = "流动党员联系记录"
        verbose_name_plural = "流动党员联系记录"
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_method_display()}"


class ResponsibilityZoneQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class ResponsibilityZone(models.Model):
    """党员责任区 (PPL-5): buildings a member looks after, and the key households they keep contact with."""

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="responsibility_zones", verbose_name="所在网格/社区"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="responsibility_zones", verbose_name="责任党员"
    )
    name = models.CharField("责任区名称", max_length=100)
    duties = models.TextField("责任内容", blank=True)
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="responsibility_zones", verbose_name="责任楼栋"
    )
    key_households = models.ManyToManyField(
        Household, blank=True, related_name="contact_zones", verbose_name="重点联系户"
    )
    is_active = models.BooleanField("有效", default=True)

    objects = ResponsibilityZoneQuerySet.as_manager()

    class Meta:
        verbose_name = "党员责任区"
        verbose_name_plural = "党员责任区"
        ordering = ["node__path", "id"]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.node.path


class MemberPostQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(member_id=scope.member_id) if scope.member_id else None


class MemberPost(models.Model):
    """无职党员设岗定责 / 党员示范岗 (PPL-5): a post with duties held by a member without office."""

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="member_posts", verbose_name="所在组织"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts", verbose_name="党员")
    kind = models.CharField("类型", max_length=10, choices=PostKind.choices)
    title = models.CharField("岗位名称", max_length=100)
    duties = models.TextField("岗位职责", blank=True)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)

    objects = MemberPostQuerySet.as_manager()

    class Meta:
        verbose_name = "党员岗位"
        verbose_name_plural = "党员岗位"
        ordering = ["node__path", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.member}）"

    def get_scope_path(self) -> str:
        return self.node.path


class CadrePositionQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(person_id=scope.person_id) if scope.person_id else None

    def current(self, on: datetime.date | None = None) -> "CadrePositionQuerySet":
        on = on or datetime.date.today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class CadrePosition(models.Model):
    """A cadre's position at a node with its term (PPL-6); 后备干部 (reserve cadres) are a position too.

    一肩挑 is not stored: it is one person holding 书记 and 居委会主任 at the same community at once.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="positions", verbose_name="人员"
    )
    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="cadre_positions", verbose_name="任职组织"
    )
    position = models.CharField("职务", max_length=30, choices=Position.choices)
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)
    term_label = models.CharField("届次", max_length=30, blank=True)
    monthly_subsidy = models.DecimalField(
        "月工作补助(元)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    qualification_allowance = models.DecimalField(
        "职业资格补贴(元/月)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = CadrePositionQuerySet.as_manager()

    class Meta:
        verbose_name = "干部任职"
        verbose_name_plural = "干部任职"
        ordering = ["node__path", "position", "id"]
        indexes = [models.Index(fields=["node", "position", "end_date"], name="people_cadre_node_pos_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="people_cadre_term_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.node} {self.get_position_display()} {self.person}"

    def get_scope_path(self) -> str:
        return self.node.path

    @property
    def is_current(self) -> bool:
        today = datetime.date.today()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


# Roster import (PPL-7).


class ImportBatchQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "people.import"


class ImportBatch(models.Model):
    """One uploaded roster (PPL-7): checked rows waiting to be committed once, or discarded.

    `payload` holds only what commit needs for the rows without errors, with ID numbers and phones
    already encrypted, hashed and masked as the person rows will store them; it is emptied when the
    batch is committed or discarded. `errors` and `preview` carry masked values only.
    """

    kind = models.CharField("类型", max_length=20, choices=ImportKind.choices)
    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="import_batches", verbose_name="导入范围"
    )
    file_name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_by_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.DRAFT)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    error_row_count = models.PositiveIntegerField("有误行数", default=0)
    error_count = models.PositiveIntegerField("错误条数", default=0)
    summary = models.JSONField("预览汇总", default=dict, blank=True)
    errors = models.JSONField("错误清单", default=list, blank=True)
    preview = models.JSONField("预览行", default=list, blank=True)
    payload = models.JSONField("待导入数据(加密)", default=dict, blank=True)
    only_valid = models.BooleanField("只导入无误的行", default=False)
    imported_count = models.PositiveIntegerField("导入行数", default=0)
    finished_at = models.DateTimeField("处理时间", null=True, blank=True)
    finished_by_name = models.CharField("处理人", max_length=150, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "花名册导入批次"
        verbose_name_plural = "花名册导入批次"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["node", "created_at"], name="people_import_node_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}「{self.file_name}」"

    def get_scope_path(self) -> str:
        return self.node.path

    @property
    def good_row_count(self) -> int:
        return self.row_count - self.error_row_count

    @property
    def is_draft(self) -> bool:
        return self.status == ImportStatus.DRAFT
