"""Writes the organisation part of a planned district: tree, Party organisations, buildings, households.

Used by the demo (`orgs/demo.py`) and by `linli seed --scale …` (`seed_scale` below). Nodes and
Party organisations go through `orgs.services` (a few hundred to a thousand rows, each audited);
buildings and households are written in bulk with their paths and audit entries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from linli.core.seeding import (
    CommunityPlan,
    DemoContext,
    DistrictPlan,
    NameGenerator,
    ScaleContext,
    anchor_date,
    bulk_create_audited,
    days_before,
)

from . import services
from .choices import Formation, NodeKind, PartyOrgKind
from .models import Building, Household, OrgNode, PartyOrg

ORDER = 10
HOUSEHOLD_SIZE = (
    2.75  # persons per household on average (the seeds: 9,325 people in 4,519 households ≈ 2.1–2.8)
)


@dataclass
class SeededTree:
    """The rows of a planned district, looked up by the names in the plan (a fixed number of queries)."""

    district: OrgNode
    nodes: dict[tuple[int | None, str], OrgNode]
    party_orgs: dict[str, PartyOrg]

    def child(self, parent: OrgNode, name: str) -> OrgNode:
        return self.nodes[(parent.pk, name)]

    def street(self, plan: DistrictPlan, community: CommunityPlan) -> OrgNode:
        for street in plan.streets:
            if community in street.communities:
                return self.child(self.district, street.name)
        raise KeyError(community.name)

    def community(self, plan: DistrictPlan, community: CommunityPlan) -> OrgNode:
        return self.child(self.street(plan, community), community.name)

    def grids(self, plan: DistrictPlan, community: CommunityPlan) -> list[OrgNode]:
        """The community's grids in their number order (第一网格 first), wherever they hang."""
        node = self.community(plan, community)
        parents = dict.fromkeys(range(1, community.grids + 1), node)
        for area in community.areas:
            area_node = self.child(node, area.name)
            for number in area.grids:
                parents[number] = area_node
        return [self.child(parents[n], community.grid_name(n)) for n in range(1, community.grids + 1)]

    def units(self, plan: DistrictPlan, community: CommunityPlan) -> list[OrgNode]:
        node = self.community(plan, community)
        return [self.child(node, unit.name) for unit in community.units]


def load_tree(plan: DistrictPlan) -> SeededTree:
    """Find the seeded district of `plan` (two queries)."""
    district = OrgNode.objects.get(parent=None, kind=NodeKind.DISTRICT, name=plan.name)
    nodes = {(n.parent_id, n.name): n for n in OrgNode.objects.filter(path__startswith=district.path)}
    orgs = {o.name: o for o in PartyOrg.objects.filter(node__path__startswith=district.path)}
    return SeededTree(district=district, nodes=nodes, party_orgs=orgs)


def community_org_name(plan: CommunityPlan) -> str:
    return f"{plan.name}{'党委' if plan.org_kind == PartyOrgKind.COMMUNITY_COMMITTEE else '党总支'}"


def joint_branch_name(plan: CommunityPlan) -> str:
    return f"{plan.name}非公企业和社会组织联合党支部"


def unit_branch_name(unit_name: str) -> str:
    return f"{unit_name}党支部"


def grid_branch_name(plan: CommunityPlan, number: int) -> str:
    """The branch a grid's Party group hangs under: its 小区党支部, else the ordinary branches in turn."""
    for area in plan.areas:
        if number in area.grids and area.has_branch:
            return f"{area.name}党支部"
    ordinary = [b for b in plan.branches if "离退休" not in b] or list(plan.branches)
    return ordinary[(number - 1) % len(ordinary)]


def _node(parent: OrgNode | None, kind: str, name: str, **fields) -> OrgNode:
    return services.node_create(actor=None, parent=parent, kind=kind, name=name, check_actor=False, **fields)


def _org(node: OrgNode, name: str, kind: str, parent: PartyOrg | None, rng, anchor, **fields) -> PartyOrg:
    return services.party_org_create(
        actor=None,
        node=node,
        name=name,
        kind=kind,
        parent=parent,
        check_actor=False,
        established_on=days_before(rng, anchor, 365 * 3, 365 * 25),
        **fields,
    )


def seed_org_tree(ctx: DemoContext, plan: DistrictPlan) -> SeededTree:
    """District → streets → communities → 小区 → grids and units, with a Party organisation at each level."""
    rng = ctx.rng("orgs")
    anchor = anchor_date(ctx.today)
    district = _node(None, NodeKind.DISTRICT, plan.name, code=plan.code, address="昆明市五华区")
    district_org = _org(
        district, f"中共{plan.name}委员会", PartyOrgKind.DISTRICT_COMMITTEE, None, rng, anchor
    )
    for street in plan.streets:
        street_node = _node(district, NodeKind.STREET, street.name, code=street.code)
        street_org = _org(
            street_node, f"{street.name}党工委", PartyOrgKind.STREET_WORKING, district_org, rng, anchor
        )
        for community in street.communities:
            _seed_community(community, street_node, street_org, rng, anchor)
    return load_tree(plan)


def _seed_community(
    plan: CommunityPlan, street_node: OrgNode, street_org: PartyOrg, rng: random.Random, anchor
) -> None:
    names = NameGenerator(rng)
    node = _node(
        street_node,
        NodeKind.COMMUNITY,
        plan.name,
        code=plan.code,
        address=f"{plan.roads[0]}{rng.randint(1, 120)}号",
    )
    community_org = _org(node, community_org_name(plan), plan.org_kind, street_org, rng, anchor)
    branches = {
        name: _org(node, name, PartyOrgKind.BRANCH, community_org, rng, anchor) for name in plan.branches
    }
    parents: dict[int, OrgNode] = {}
    for area in plan.areas:
        area_node = _node(node, NodeKind.AREA, area.name, address=f"{plan.roads[-1]}{rng.randint(1, 99)}号")
        if area.has_branch:
            name = f"{area.name}党支部"
            branches[name] = _org(area_node, name, PartyOrgKind.BRANCH, community_org, rng, anchor)
        for number in area.grids:
            parents[number] = area_node
    for number in range(1, plan.grids + 1):
        grid = _node(
            parents.get(number, node), NodeKind.GRID, plan.grid_name(number), code=f"{plan.code}{number:02d}"
        )
        group_parent = branches[grid_branch_name(plan, number)]
        _org(grid, f"{grid.name}党小组", PartyOrgKind.GROUP, group_parent, rng, anchor)
    joint_units = []
    for unit in plan.units:
        unit_node = _node(
            node,
            NodeKind.UNIT,
            unit.name,
            unit_type=unit.unit_type,
            address=f"{rng.choice(plan.roads)}{rng.randint(1, 200)}号",
            contact_name=names.make("M" if rng.random() < 0.6 else "F", rng.randint(1965, 1995)),
        )
        if unit.party == "own":
            _org(unit_node, unit_branch_name(unit.name), PartyOrgKind.BRANCH, community_org, rng, anchor)
        elif unit.party == "joint":
            joint_units.append(unit_node)
    if joint_units:
        _org(
            node,
            joint_branch_name(plan),
            PartyOrgKind.BRANCH,
            community_org,
            rng,
            anchor,
            formation=Formation.JOINT,
            covered_units=joint_units,
        )


def grid_persons(plan: CommunityPlan) -> list[int]:
    """People living in each grid's households: residents, community members and unit members living here."""
    living = plan.residents + plan.members + sum(u.resident_members for u in plan.units)
    return [living // plan.grids + (1 if i < living % plan.grids else 0) for i in range(plan.grids)]


def household_counts(plan: CommunityPlan) -> list[int]:
    """Households per grid: the people living there over ≈2.75 per household."""
    return [max(1, round(p / HOUSEHOLD_SIZE)) for p in grid_persons(plan)]


def seed_dwellings(
    ctx: DemoContext, plan: DistrictPlan, tree: SeededTree, *, audit_each: bool
) -> dict[str, int]:
    """Buildings (楼栋, with 单元 and rooms) and households in every grid; a few 院落 households without one."""
    rng = ctx.rng("orgs:dwellings")
    note = "演示数据" if audit_each else "规模测试数据"
    counts = {"楼栋": 0, "户": 0}
    for community in plan.communities:
        grids = tree.grids(plan, community)
        buildings: list[Building] = []
        layouts: list[tuple[int, int, int, int]] = []  # (grid index, units, floors, rooms per floor)
        for g_index, (grid, households) in enumerate(zip(grids, household_counts(community), strict=True)):
            capacity, number = 0, 1
            courtyard = households // 20 if g_index % 3 == 2 else 0  # older grids keep some 院落 (no 楼栋)
            while capacity < (households - courtyard) * 1.15:
                units = rng.choice([1, 2, 2, 3])
                floors = rng.choice([5, 6, 6, 7, 7, 11, 18])
                rooms = 2 if floors <= 7 else 4
                road = rng.choice(community.roads)
                buildings.append(
                    Building(
                        grid=grid,
                        name=f"{number}栋",
                        address=f"{road}{rng.randint(1, 300)}号",
                        floors=floors,
                    )
                )
                layouts.append((g_index, units, floors, rooms))
                capacity += units * floors * rooms
                number += 1
        buildings = bulk_create_audited(Building, buildings, audit_each=audit_each, note=note)
        counts["楼栋"] += len(buildings)
        rows: list[Household] = []
        by_grid: dict[int, list[tuple[Building, tuple]]] = {}
        for building, layout in zip(buildings, layouts, strict=True):
            by_grid.setdefault(layout[0], []).append((building, layout))
        for g_index, (grid, households) in enumerate(zip(grids, household_counts(community), strict=True)):
            courtyard = households // 20 if g_index % 3 == 2 else 0
            flats = []
            for building, (_, units, floors, rooms) in by_grid[g_index]:
                for unit in range(1, units + 1):
                    for floor in range(1, floors + 1):
                        for room in range(1, rooms + 1):
                            flats.append((building, f"{unit}单元", f"{floor}{room:02d}"))
            chosen = sorted(rng.sample(range(len(flats)), households - courtyard))
            for i in chosen:
                building, unit_no, room_no = flats[i]
                rows.append(
                    Household(
                        grid=grid,
                        building=building,
                        unit_no=unit_no,
                        room_no=room_no,
                        address=f"{building.address}{building.name}{unit_no}{room_no}",
                    )
                )
            for _ in range(courtyard):
                road = rng.choice(community.roads)
                rows.append(
                    Household(grid=grid, address=f"{road}{rng.randint(1, 150)}号院{rng.randint(1, 12)}号")
                )
        bulk_create_audited(Household, rows, audit_each=audit_each, note=note)
        counts["户"] += len(rows)
    return counts


def seed_scale(ctx: ScaleContext) -> None:
    tree = seed_org_tree(ctx, ctx.plan)
    dwellings = seed_dwellings(ctx, ctx.plan, tree, audit_each=ctx.audit_each)
    ctx.count("组织节点", len(tree.nodes) + 1)
    ctx.count("党组织", len(tree.party_orgs))
    for label, n in dwellings.items():
        ctx.count(label, n)
