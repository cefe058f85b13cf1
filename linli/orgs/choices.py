"""Choices of the organisation tree."""

from django.db import models


class NodeKind(models.TextChoices):
    DISTRICT = "district", "区"
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    AREA = "area", "小区/居民小组"
    GRID = "grid", "网格"
    UNIT = "unit", "驻区单位"


# Which kinds may hang under which (ORG-1).
CHILD_KINDS: dict[str, set[str]] = {
    NodeKind.DISTRICT: {NodeKind.STREET},
    NodeKind.STREET: {NodeKind.COMMUNITY},
    NodeKind.COMMUNITY: {NodeKind.AREA, NodeKind.GRID, NodeKind.UNIT},
    NodeKind.AREA: {NodeKind.GRID},
    NodeKind.GRID: set(),
    NodeKind.UNIT: set(),
}


class UnitType(models.TextChoices):
    STATIONED = "stationed", "驻区单位"
    ENTERPRISE = "enterprise", "非公有制企业"
    SOCIAL_ORG = "social_org", "社会组织"
    GOVERNMENT = "government", "机关/事业单位"


NEW_ECONOMY_UNIT_TYPES = {UnitType.ENTERPRISE, UnitType.SOCIAL_ORG}  # 两新组织


class PartyOrgKind(models.TextChoices):
    DISTRICT_COMMITTEE = "district_committee", "区委"
    STREET_WORKING = "street_working", "街道党工委"
    COMMUNITY_COMMITTEE = "community_committee", "社区党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


class Formation(models.TextChoices):
    """How a unit's Party organisation is formed (ORG-1, ORG-2)."""

    SINGLE = "single", "单独组建"
    JOINT = "joint", "联合组建"
    ATTACHED = "attached", "挂靠"
    REGIONAL = "regional", "属地/区域组建"
