"""Reads of the organisation tree, each in a fixed number of queries: tree browser, node page, coverage, households.

Per-node figures are computed by grouping the records of a whole subtree by the node they sit on
(one query per figure, returning at most one row per node) and adding them up per child in Python,
so the cost follows the size of the tree, never the number of residents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from linli.core.scope import path_q, scope_for

from .choices import NodeKind
from .extensions import (
    CoverageCheck,
    CoverageGap,
    NodeFigure,
    coverage_checks,
    node_figures,
    node_sections,
    register_coverage_check,
    register_node_figure,
)
from .models import Building, Household, HouseholdTag, OrgNode, PartyOrg


def subtree_rollup(rows: Iterable[tuple[str, int]], node: OrgNode) -> tuple[int, dict[int, int]]:
    """Add up (path, count) rows of `node`'s subtree: the node's total and the total under each child."""
    total = 0
    by_child: dict[int, int] = {}
    child_index = node.depth + 1
    for path, count in rows:
        if not path or not path.startswith(node.path):
            continue
        total += count
        parts = path.strip("/").split("/")
        if len(parts) > child_index:
            child_id = int(parts[child_index])
            by_child[child_id] = by_child.get(child_id, 0) + count
    return total, by_child


# ---------------------------------------------------------------------------------------------------
# The tree browser


@dataclass
class FigureValue:
    key: str
    label: str
    value: int
    link: str = ""


@dataclass
class ChildRow:
    node: OrgNode
    child_count: int
    figures: list[FigureValue]


@dataclass
class TreeLevel:
    """One level of the tree as the browser shows it: the node, its figures and its children's."""

    node: OrgNode
    ancestors: list[OrgNode]
    figures: list[FigureValue]
    columns: list[NodeFigure]
    children: list[ChildRow]


def tree_roots(*, user: Any) -> list[OrgNode]:
    """The nodes where the user's tree view starts: the top of each subtree they hold a role on."""
    paths = scope_for(user).paths_for("orgs.view")
    if not paths:
        return []
    return list(OrgNode.objects.filter(path__in=paths).order_by("path"))


def tree_level(*, user: Any, node: OrgNode) -> TreeLevel:
    """The node, its visible ancestors, its children with their child counts and per-node figures.

    Queries: ancestors (1), children with child counts (1), one per figure the user may see.
    """
    scope = scope_for(user)
    ancestors = list(
        OrgNode.objects.visible_to(user, "orgs.view").filter(pk__in=node.ancestor_ids[:-1]).order_by("depth")
    )
    children = list(
        node.children.annotate(child_count=Count("children", filter=Q(children__is_active=True))).order_by(
            "-is_active", "kind", "sort_order", "id"
        )
    )
    columns = [f for f in node_figures() if scope.has_perm_at(f.permission, node.path)]
    totals: list[FigureValue] = []
    per_child: dict[int, list[FigureValue]] = {child.pk: [] for child in children}
    for figure in columns:
        total, by_child = subtree_rollup(figure.rows(node), node)
        totals.append(FigureValue(figure.key, figure.label, total, figure.link(node) if figure.link else ""))
        for child in children:
            link = figure.link(child) if figure.link else ""
            per_child[child.pk].append(FigureValue(figure.key, figure.label, by_child.get(child.pk, 0), link))
    rows = [ChildRow(child, child.child_count, per_child[child.pk]) for child in children]
    return TreeLevel(node=node, ancestors=ancestors, figures=totals, columns=columns, children=rows)


@dataclass
class NodeDetail:
    party_orgs: list[PartyOrg]
    covering_orgs: list[PartyOrg]
    buildings: list[Building]
    sections: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def node_detail(*, user: Any, node: OrgNode) -> NodeDetail:
    """Party organisations at the node (and, for a unit, the joint branches covering it), buildings of a grid
    with their household counts, and the sections other apps add (current cadres …).

    Queries: Party organisations (1) and their covered units (1); covering organisations (1, units only);
    buildings (1, grids only); each section's own fixed number.
    """
    party_orgs = list(
        node.party_orgs.select_related("parent").prefetch_related(
            Prefetch("covered_units", queryset=OrgNode.objects.order_by("path"))
        )
    )
    covering: list[PartyOrg] = []
    if node.kind == NodeKind.UNIT:
        covering = list(node.joint_party_orgs.filter(is_active=True).select_related("node"))
    buildings: list[Building] = []
    if node.kind == NodeKind.GRID:
        buildings = list(node.buildings.annotate(household_count=Count("households")).order_by("name"))
    sections = []
    for section in node_sections():
        context = section.context(node, user)
        if context is not None:
            sections.append((section.template, context))
    return NodeDetail(party_orgs=party_orgs, covering_orgs=covering, buildings=buildings, sections=sections)


def node_choices(*, user: Any, permission: str, kinds: Iterable[str]) -> QuerySet[OrgNode]:
    """Active nodes of the given kinds the user reaches with `permission`, in tree order (for filters)."""
    return (
        OrgNode.objects.visible_to(user, permission)
        .filter(kind__in=list(kinds), is_active=True)
        .order_by("path")
        .only("id", "name", "kind", "depth", "path")
    )


def party_org_choices(*, user: Any, permission: str = "people.view") -> QuerySet[PartyOrg]:
    """Active Party organisations at nodes the user reaches with `permission` (for filters and forms)."""
    return (
        PartyOrg.objects.visible_to(user, permission)
        .filter(is_active=True)
        .select_related("node")
        .order_by("node__path", "id")
    )


# ---------------------------------------------------------------------------------------------------
# Built-in figures of the tree: grids, units, households, households needing care


def _node_rows(kind: str):
    def rows(node: OrgNode) -> list[tuple[str, int]]:
        paths = OrgNode.objects.filter(path__startswith=node.path, kind=kind, is_active=True).values_list(
            "path", flat=True
        )
        return [(path, 1) for path in paths]

    return rows


def _household_rows(node: OrgNode) -> list[tuple[str, int]]:
    return list(
        Household.objects.filter(grid__path__startswith=node.path)
        .values("grid__path")
        .annotate(n=Count("id"))
        .values_list("grid__path", "n")
    )


def _care_household_rows(node: OrgNode) -> list[tuple[str, int]]:
    cared = Household.tags.through.objects.filter(household_id=OuterRef("pk"), householdtag__is_care=True)
    return list(
        Household.objects.filter(Exists(cared), grid__path__startswith=node.path)
        .values("grid__path")
        .annotate(n=Count("id"))
        .values_list("grid__path", "n")
    )


def _household_link(node: OrgNode) -> str:
    return f"{reverse('orgs:household_list')}?node={node.pk}"


def _care_household_link(node: OrgNode) -> str:
    return f"{reverse('orgs:household_list')}?node={node.pk}&care=1"


register_node_figure(NodeFigure("grids", "网格", "orgs.view", _node_rows(NodeKind.GRID), order=10))
register_node_figure(NodeFigure("units", "驻区单位", "orgs.view", _node_rows(NodeKind.UNIT), order=20))
register_node_figure(
    NodeFigure("households", "户数", "people.view", _household_rows, link=_household_link, order=50)
)
register_node_figure(
    NodeFigure(
        "care_households",
        "重点关爱户",
        "people.view",
        _care_household_rows,
        link=_care_household_link,
        order=60,
    )
)


# ---------------------------------------------------------------------------------------------------
# Coverage (ORG-2)


@dataclass
class CoverageSection:
    check: CoverageCheck
    gaps: list[CoverageGap]

    @property
    def count(self) -> int:
        return len(self.gaps)


def _communities_without_party_org(nodes: QuerySet[OrgNode]) -> list[CoverageGap]:
    """一社区一支部: active communities with no active Party organisation sitting on the community node."""
    active_org = PartyOrg.objects.filter(node=OuterRef("pk"), is_active=True)
    rows = nodes.filter(kind=NodeKind.COMMUNITY, is_active=True).exclude(Exists(active_org)).order_by("path")
    return [CoverageGap(node=node, detail="社区尚未建立党组织") for node in rows]


register_coverage_check(
    CoverageCheck(
        "community_without_party_org",
        "未建党组织的社区",
        "一社区一支部：每个社区应有自己的党组织。",
        _communities_without_party_org,
        order=10,
    )
)


def _label_gaps(gaps: list[CoverageGap]) -> None:
    """Fill in the street and community each gap lies in, with one query for all of them."""
    ids = {int(part) for gap in gaps for part in gap.node.path.strip("/").split("/") if part}
    if not ids:
        return
    names = {
        node.pk: (node.kind, node.name)
        for node in OrgNode.objects.filter(pk__in=ids, kind__in=[NodeKind.STREET, NodeKind.COMMUNITY]).only(
            "id", "kind", "name"
        )
    }
    for gap in gaps:
        for part in gap.node.path.strip("/").split("/"):
            kind, name = names.get(int(part), ("", ""))
            if kind == NodeKind.STREET:
                gap.street = name
            elif kind == NodeKind.COMMUNITY:
                gap.community = name


def coverage_report(*, user: Any) -> list[CoverageSection]:
    """Every registered coverage check over the nodes the user may review (orgs.coverage).

    Queries: each check's own (one or two), plus one to name the street and community of every gap.
    """
    nodes = OrgNode.objects.visible_to(user, "orgs.coverage")
    sections = [CoverageSection(check=check, gaps=check.find(nodes)) for check in coverage_checks()]
    _label_gaps([gap for section in sections for gap in section.gaps])
    return sections


def coverage_gap_counts(*, user: Any) -> dict[str, int]:
    """{check key: number of gaps} for the home page."""
    return {section.check.key: section.count for section in coverage_report(user=user)}


# ---------------------------------------------------------------------------------------------------
# Households


def household_list(
    *,
    user: Any,
    node: OrgNode | None = None,
    building: Building | None = None,
    tag: HouseholdTag | None = None,
    care: bool = False,
    q: str = "",
) -> QuerySet[Household]:
    """Households the user may see, filtered; tags come with the rows (one prefetch query per page)."""
    households = (
        Household.objects.visible_to(user, "people.view")
        .select_related("grid", "building")
        .prefetch_related(Prefetch("tags", queryset=HouseholdTag.objects.order_by("sort_order", "id")))
        .order_by("grid__path", "building__name", "unit_no", "room_no", "id")
    )
    if node is not None:
        households = households.filter(grid__path__startswith=node.path)
    if building is not None:
        households = households.filter(building=building)
    if tag is not None:
        households = households.filter(tags=tag)
    if care:
        cared = Household.tags.through.objects.filter(household_id=OuterRef("pk"), householdtag__is_care=True)
        households = households.filter(Exists(cared))
    q = (q or "").strip()
    if q:
        households = households.filter(
            Q(address__contains=q) | Q(building__name__contains=q) | Q(room_no=q) | Q(note__contains=q)
        )
    return households


def household_resident_counts(households: Iterable[Household]) -> dict[int, int]:
    """{household id: residents living there now} for one page of households, in one query."""
    ids = [h.pk for h in households]
    if not ids:
        return {}
    return dict(
        Household.objects.filter(pk__in=ids)
        .annotate(n=Count("persons", filter=Q(persons__status="active")))
        .values_list("pk", "n")
    )


def household_tags_with_usage() -> QuerySet[HouseholdTag]:
    """Every tag with the number of households carrying it (district-wide; tags are district data)."""
    return HouseholdTag.objects.annotate(household_count=Count("households")).order_by("sort_order", "id")


def buildings_of(*, user: Any, node: OrgNode) -> QuerySet[Building]:
    return Building.objects.visible_to(user, "people.view").filter(grid__path__startswith=node.path)


# ---------------------------------------------------------------------------------------------------
# Naming places in lists and exports


def place_names(*, user: Any, permission: str) -> dict[int, tuple[str, str]]:
    """{node id: (kind, name)} of the streets and communities the user reaches, in one query.

    Lists and exports name the street and community of each row from its node path with this map,
    instead of joining up the tree per row.
    """
    paths = scope_for(user).paths_for(permission)
    if not paths:
        return {}
    # The user's own street and community count too, though a grid worker's role sits below them.
    above = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    reach = path_q(paths, "path") | Q(pk__in=above)
    return {
        node.pk: (node.kind, node.name)
        for node in OrgNode.objects.filter(reach, kind__in=[NodeKind.STREET, NodeKind.COMMUNITY]).only(
            "id", "kind", "name"
        )
    }


def place_of(path: str, names: dict[int, tuple[str, str]]) -> tuple[str, str]:
    """(street name, community name) of a node path, from a `place_names` map."""
    street = community = ""
    for part in (path or "").strip("/").split("/"):
        if not part:
            continue
        kind, name = names.get(int(part), ("", ""))
        if kind == NodeKind.STREET:
            street = name
        elif kind == NodeKind.COMMUNITY:
            community = name
    return street, community


@dataclass
class HouseholdCounts:
    total: int
    by_tag: list[tuple[HouseholdTag, int]]


def household_counts(*, user: Any) -> HouseholdCounts:
    """Households in the user's node scope, in total and per tag (two queries, tags are few)."""
    grids = OrgNode.objects.visible_to(user, "people.view").values("pk")
    total = Household.objects.filter(grid__in=grids).count()
    tags = HouseholdTag.objects.annotate(
        n=Count("households", filter=Q(households__grid__in=grids))
    ).order_by("sort_order", "id")
    return HouseholdCounts(total=total, by_tag=[(tag, tag.n) for tag in tags])
