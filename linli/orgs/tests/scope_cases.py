"""Scope cases for the organisation pages and API: who may, who has less right, who must get 404."""

from linli.orgs import services
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode, PartyOrg
from linli.testing.scope import ScopeCase, scope_case


@scope_case("orgs:tree")
def tree(world):
    return ScopeCase(
        "/orgs/",
        may=["district_admin", "community_admin_a", "grid_worker_a1", "unit_contact_a"],
        lesser=["member_user_a", "resident_a1", "sysadmin"],
    )


@scope_case("orgs:node_detail")
def node_detail(world):
    return ScopeCase(
        f"/orgs/nodes/{world.community_a.pk}/",
        may=["district_admin", "street_admin", "community_admin_a"],
        lesser=["member_user_a", "auditor"],
        outsiders=["community_admin_b", "community_admin_a2", "grid_worker_a1"],
    )


def _nodes(world):
    return sorted(OrgNode.objects.values_list("pk", "name", "is_active"))


@scope_case("orgs:node_create")
def node_create(world):
    return ScopeCase(
        f"/orgs/nodes/{world.community_a.pk}/new/",
        method="post",
        data={"kind": "grid", "name": "复兴三网格", "sort_order": "3"},
        may=["community_admin_a"],
        lesser=["member_user_a", "grid_worker_a1"],
        outsiders=["community_admin_b"],
        state=_nodes,
    )


@scope_case("orgs:node_edit")
def node_edit(world):
    return ScopeCase(
        f"/orgs/nodes/{world.grid_a1.pk}/edit/",
        method="post",
        data={"name": "复兴一网格（东）", "is_active": "on"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_nodes,
    )


def _party_orgs(world):
    return sorted(PartyOrg.objects.values_list("pk", "name", "formation", "is_active"))


@scope_case("orgs:party_org_create")
def party_org_create(world):
    return ScopeCase(
        f"/orgs/nodes/{world.community_a.pk}/party-orgs/new/",
        method="post",
        data={
            "name": "复兴社区非公企业联合党支部",
            "kind": "branch",
            "parent": world.org_community_a.pk,
            "formation": "joint",
            "covered_units": [world.unit_a.pk],
        },
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "member_user_a"],
        outsiders=["community_admin_b"],
        state=_party_orgs,
    )


@scope_case("orgs:party_org_edit")
def party_org_edit(world):
    return ScopeCase(
        f"/orgs/party-orgs/{world.branch_a.pk}/edit/",
        method="post",
        data={
            "name": "复兴社区第一支部",
            "kind": "branch",
            "parent": world.org_community_a.pk,
            "formation": "single",
            "is_active": "on",
        },
        may=["community_admin_a"],
        lesser=["member_user_a", "grid_worker_a1"],
        outsiders=["community_admin_b"],
        state=_party_orgs,
    )


def _buildings(world):
    return sorted(Building.objects.values_list("pk", "name", "floors"))


@scope_case("orgs:building_create")
def building_create(world):
    return ScopeCase(
        f"/orgs/nodes/{world.grid_a1.pk}/buildings/new/",
        method="post",
        data={"name": "2栋", "floors": "6"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "member_user_a"],
        outsiders=["community_admin_b"],
        state=_buildings,
    )


@scope_case("orgs:building_edit")
def building_edit(world):
    return ScopeCase(
        f"/orgs/buildings/{world.building_a1.pk}/edit/",
        method="post",
        data={"name": "1栋", "floors": "7"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=_buildings,
    )


@scope_case("orgs:household_list")
def household_list(world):
    return ScopeCase(
        "/orgs/households/",
        may=["district_admin", "community_admin_a", "grid_worker_a1"],
        lesser=["member_user_a", "resident_a1", "sysadmin"],
    )


@scope_case("orgs:household_export")
def household_export(world):
    return ScopeCase(
        "/orgs/households/export/",
        may=["community_admin_a", "grid_worker_a1"],
        lesser=["member_user_a", "resident_a1", "auditor"],
    )


def _households(world):
    return sorted(Household.objects.values_list("pk", "address", "room_no", "note"))


@scope_case("orgs:household_create")
def household_create(world):
    return ScopeCase(
        f"/orgs/households/new/?grid={world.grid_a1.pk}",
        method="post",
        data={
            "grid": world.grid_a1.pk,
            "building": world.building_a1.pk,
            "unit_no": "1单元",
            "room_no": "102",
        },
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_households,
    )


@scope_case("orgs:household_edit")
def household_edit(world):
    return ScopeCase(
        f"/orgs/households/{world.household_a1.pk}/",
        method="post",
        data={
            "building": world.building_a1.pk,
            "unit_no": "1单元",
            "room_no": "101",
            "note": "独居",
            "tags": [],
        },
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_households,
    )


def _tags(world):
    return sorted(HouseholdTag.objects.values_list("pk", "code", "name", "is_care"))


@scope_case("orgs:tag_list")
def tag_list(world):
    return ScopeCase(
        "/orgs/tags/",
        method="post",
        data={"name": "留守儿童", "code": "left_behind", "is_care": "", "sort_order": "9"},
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a", "grid_worker_a1"],
        outsiders=["member_user_a", "sysadmin"],
        outsider_status=(403,),
        state=_tags,
    )


@scope_case("orgs:tag_edit")
def tag_edit(world):
    return ScopeCase(
        f"/orgs/tags/{world.tag_elderly.pk}/edit/",
        method="post",
        data={"name": "独居老人", "code": "elderly_alone", "is_care": "on", "sort_order": "2"},
        may=["district_admin"],
        lesser=["community_admin_a"],
        outsiders=["member_user_a"],
        outsider_status=(403,),
        state=_tags,
    )


@scope_case("orgs:tag_delete")
def tag_delete(world):
    unused = services.household_tag_create(
        actor=world.district_admin, code="shidu", name="失独家庭", sort_order=9
    )
    return ScopeCase(
        f"/orgs/tags/{unused.pk}/delete/",
        method="post",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
        outsiders=["resident_a1"],
        outsider_status=(403,),
        state=_tags,
    )


@scope_case("orgs:coverage")
def coverage(world):
    return ScopeCase(
        "/orgs/coverage/",
        may=["district_admin", "street_admin", "community_admin_a"],
        lesser=["grid_worker_a1", "unit_contact_a"],
        outsiders=["member_user_a", "auditor"],
        outsider_status=(403,),
    )


@scope_case("orgs:coverage_export")
def coverage_export(world):
    return ScopeCase(
        "/orgs/coverage/export/",
        may=["district_admin", "community_admin_a"],
        lesser=["grid_worker_a1"],
        outsiders=["resident_a1"],
        outsider_status=(403,),
    )


@scope_case("orgs_api:node_children")
def api_node_children(world):
    return ScopeCase(
        f"/api/v1/orgs/nodes/{world.community_a.pk}/children/",
        may=["district_admin", "community_admin_a"],
        lesser=["member_user_a", "sysadmin"],
        outsiders=["community_admin_b", "grid_worker_a1"],
    )


@scope_case("orgs_api:coverage")
def api_coverage(world):
    return ScopeCase(
        "/api/v1/orgs/coverage/",
        may=["district_admin", "community_admin_b"],
        lesser=["grid_worker_a1"],
        outsiders=["member_user_a"],
        outsider_status=(403,),
    )
