"""What people adds to the organisation pages: residents and members per node, two coverage checks
(ORG-2: units that could form their own branch, grids without a grid worker) and the current cadres of a node.

Registered from `PeopleConfig.ready`; orgs runs them without importing people.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from linli.core.scope import scope_for
from linli.orgs.choices import Formation, NodeKind
from linli.orgs.extensions import (
    CoverageCheck,
    CoverageGap,
    NodeFigure,
    NodeSection,
    register_coverage_check,
    register_node_figure,
    register_node_section,
)
from linli.orgs.models import OrgNode, PartyOrg

from .choices import MemberStatus, PersonStatus, Position, RecordState
from .models import CadrePosition, Member, Person
from .selectors import POSITION_ORDER


def _subtree_rows(node: OrgNode, counts: QuerySet, key: str) -> list[tuple[str, int]]:
    """(path, count) rows from counts grouped by a node id or branch id (`key`), without joining each row
    to its node: the grouping is answered from a covering index, the paths from the subtree's nodes."""
    # order_by(): a default ordering on a related column (members by pinyin) would keep its join.
    grouped = dict(counts.order_by().values(key).annotate(n=Count("id")).values_list(key, "n"))
    if key == "branch_id":
        paths = dict(PartyOrg.objects.filter(pk__in=grouped).values_list("pk", "node__path"))
    else:
        paths = dict(OrgNode.objects.filter(pk__in=grouped).values_list("pk", "path"))
    return [(paths[pk], n) for pk, n in grouped.items()]


def _resident_rows(node: OrgNode) -> list[tuple[str, int]]:
    subtree = OrgNode.objects.filter(path__startswith=node.path).values("pk")
    residents = Person.objects.filter(node_id__in=subtree, status=PersonStatus.ACTIVE, is_resident=True)
    return _subtree_rows(node, residents, "node_id")


def _member_rows(node: OrgNode) -> list[tuple[str, int]]:
    branches = PartyOrg.objects.filter(node__path__startswith=node.path).values("pk")
    members = Member.objects.filter(branch_id__in=branches, record_state=RecordState.ACTIVE)
    return _subtree_rows(node, members, "branch_id")


register_node_figure(
    NodeFigure(
        "residents",
        "居民",
        "people.view",
        _resident_rows,
        link=lambda node: f"{reverse('people:person_list')}?node={node.pk}",
        order=30,
    )
)
register_node_figure(
    NodeFigure(
        "members",
        "党员",
        "people.view",
        _member_rows,
        link=lambda node: f"{reverse('people:member_list')}?node={node.pk}",
        order=40,
    )
)


def units_without_own_branch(nodes: QuerySet[OrgNode]) -> list[CoverageGap]:
    """Units with at least the configured number of formal members working there (≥3 by seed 000) and no
    active Party organisation of their own (单独组建) on the unit node; says who covers them, if anyone.

    Queries: units with their formal-member count (1), the joint/attached organisations covering them (1).
    """
    minimum = settings.LINLI_UNIT_BRANCH_MIN_MEMBERS
    own_branch = PartyOrg.objects.filter(node=OuterRef("pk"), is_active=True, formation=Formation.SINGLE)
    units = (
        nodes.filter(kind=NodeKind.UNIT, is_active=True)
        .annotate(
            formal_members=Count(
                "employed_members",
                filter=Q(
                    employed_members__record_state=RecordState.ACTIVE,
                    employed_members__status=MemberStatus.FORMAL,
                ),
            )
        )
        .filter(formal_members__gte=minimum)
        .exclude(Exists(own_branch))
        .prefetch_related(
            Prefetch(
                "joint_party_orgs",
                queryset=PartyOrg.objects.filter(is_active=True).order_by("id"),
                to_attr="covering_orgs",
            )
        )
        .order_by("path")
    )
    gaps = []
    for unit in units:
        covering = [org.name for org in unit.covering_orgs]
        if covering:
            detail = f"正式党员{unit.formal_members}名，未单独建立党组织；现由「{'」「'.join(covering)}」覆盖"
        else:
            detail = f"正式党员{unit.formal_members}名，未单独建立党组织，也未纳入联合党支部"
        gaps.append(
            CoverageGap(
                node=unit,
                detail=detail,
                data={"formal_members": unit.formal_members, "covered_by": covering},
            )
        )
    return gaps


def grids_without_grid_worker(nodes: QuerySet[OrgNode]) -> list[CoverageGap]:
    """Active grids with no current 网格员 position (one query)."""
    today = timezone.localdate()
    current_worker = CadrePosition.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        node=OuterRef("pk"),
        position=Position.GRID_WORKER,
        start_date__lte=today,
    )
    grids = nodes.filter(kind=NodeKind.GRID, is_active=True).exclude(Exists(current_worker)).order_by("path")
    return [CoverageGap(node=grid, detail="网格没有在任网格员") for grid in grids]


register_coverage_check(
    CoverageCheck(
        "unit_without_own_branch",
        "可单独建支部而未建的单位",
        "正式党员达到规定人数（默认3名，可配置）的单位可以单独组建党组织，其他单位纳入联合党支部。",
        units_without_own_branch,
        order=20,
    )
)
register_coverage_check(
    CoverageCheck(
        "grid_without_worker",
        "没有网格员的网格",
        "每个网格应配备在任网格员。",
        grids_without_grid_worker,
        order=30,
    )
)


def _cadre_section(node: OrgNode, user: Any) -> dict[str, Any] | None:
    """Current cadres sitting at this node (one query), for users who may see people there."""
    scope = scope_for(user)
    if not scope.has_perm_at("people.view", node.path):
        return None
    positions = list(
        CadrePosition.objects.current(timezone.localdate())
        .filter(node=node)
        .select_related("person")
        .order_by("start_date", "id")
    )
    positions.sort(key=lambda p: POSITION_ORDER[p.position])
    return {
        "node": node,
        "positions": positions,
        "is_community": node.kind == NodeKind.COMMUNITY,
        "can_manage": scope.has_perm_at("people.cadres", node.path),
    }


register_node_section(
    NodeSection("current_cadres", "people/includes/node_cadres.html", _cadre_section, order=10)
)
