"""The organisation tree, Party organisations, buildings and households (ORG-1, ORG-2, ORG-4)."""

from django.db import models
from django.db.models import Q

from linli.core.scope import Scope, ScopedQuerySet

from .choices import Formation, NodeKind, PartyOrgKind, UnitType


class OrgNodeQuerySet(ScopedQuerySet):
    scope_path_field = "path"
    default_permission = "orgs.view"

    def subtree_of(self, node: "OrgNode") -> "OrgNodeQuerySet":
        """The node and everything under it: one indexed prefix query on the materialised path."""
        return self.filter(path__startswith=node.path)


class OrgNode(models.Model):
    """A node of the one tree: 区 → 街道 → 社区 → 小区/居民小组 → 网格, with units under communities.

    `path` is the chain of ids from the root ("/1/4/17/"), so a subtree is `path LIKE '/1/4/%'`
    on an indexed column and a role granted on a node covers everything below it.
    """

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField("类型", max_length=20, choices=NodeKind.choices)
    name = models.CharField("名称", max_length=100)
    code = models.CharField("编码", max_length=40, blank=True)
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    unit_type = models.CharField("单位类型", max_length=20, choices=UnitType.choices, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = OrgNodeQuerySet.as_manager()

    class Meta:
        verbose_name = "组织节点"
        verbose_name_plural = "组织节点"
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="orgs_node_kind_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=NodeKind.UNIT) | Q(unit_type=""), name="orgs_node_unit_type_only_on_units"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.path

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self) -> models.QuerySet["OrgNode"]:
        """Root first, the node itself excluded."""
        return OrgNode.objects.filter(pk__in=self.ancestor_ids[:-1]).order_by("depth")

    def is_within(self, other: "OrgNode") -> bool:
        return self.path.startswith(other.path)


class PartyOrgQuerySet(ScopedQuerySet):
    scope_path_field = "node__path"
    default_permission = "orgs.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        # A member sees the Party organisation that holds their organisation relation.
        return Q(members__pk=scope.member_id) if scope.member_id else None


class PartyOrg(models.Model):
    """A Party organisation sitting at a node: 区委, 街道党工委, 社区党委/党总支, 支部, 网格党小组.

    A unit may have its own branch (单独组建), share a joint branch with other units (联合组建,
    `covered_units`) or be attached to another organisation (挂靠).
    """

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="party_orgs", verbose_name="所在节点"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级党组织",
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=30, choices=PartyOrgKind.choices)
    formation = models.CharField(
        "组建方式", max_length=20, choices=Formation.choices, default=Formation.SINGLE
    )
    covered_units = models.ManyToManyField(
        OrgNode, blank=True, related_name="joint_party_orgs", verbose_name="联合/挂靠覆盖单位"
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["node__path", "id"]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.node.path


class BuildingQuerySet(ScopedQuerySet):
    scope_path_field = "grid__path"
    default_permission = "orgs.view"


class Building(models.Model):
    """A 楼栋 in a grid; its units (单元) and rooms are carried on the households."""

    grid = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="buildings", verbose_name="网格")
    name = models.CharField("楼栋", max_length=50)
    address = models.CharField("地址", max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField("层数", null=True, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["grid_id", "name"]
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="orgs_building_unique_in_grid")]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.grid.path


class HouseholdTag(models.Model):
    """A tag a household may carry (低保, 空巢, 独居老人, 残疾, 困难户, 退役军人…); tags are data."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    is_care = models.BooleanField("需重点关爱", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "户标签"
        verbose_name_plural = "户标签"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class HouseholdQuerySet(ScopedQuerySet):
    scope_path_field = "grid__path"
    default_permission = "people.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(pk=scope.household_id) if scope.household_id else None


class Household(models.Model):
    """A 户: a dwelling in a building of a grid, with its tags; people live in it."""

    grid = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="households", verbose_name="网格"
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name="楼栋",
    )
    unit_no = models.CharField("单元", max_length=20, blank=True)
    room_no = models.CharField("户号", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    tags = models.ManyToManyField(HouseholdTag, blank=True, related_name="households", verbose_name="标签")
    note = models.TextField("备注", blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["grid_id", "building_id", "unit_no", "room_no"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = [self.building.name if self.building_id else "", self.unit_no, self.room_no]
        text = "".join(p for p in parts if p)
        return text or self.address or f"户{self.pk}"

    def get_scope_path(self) -> str:
        return self.grid.path
