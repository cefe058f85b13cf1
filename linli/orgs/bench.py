"""Bench cases for the organisation pages and API: the 区管理员 on the tree and coverage, the 社区书记 on
her community's households, buildings and Party organisations."""

from linli.bench.cases import BenchRequest, bench_case, bench_skip
from linli.orgs.choices import NodeKind
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode, PartyOrg

bench_skip("orgs:tag_delete", reason="只接受 POST 的操作")

COMMUNITY_ADMIN = "shequ_fuxing"


def community_grid(data) -> OrgNode:
    """The grid of 复兴社区 with the most households."""
    community = data.node(COMMUNITY_ADMIN)
    grids = OrgNode.objects.filter(path__startswith=community.path, kind=NodeKind.GRID)
    return data.most(grids, "households", "有住户的网格（复兴社区）")


@bench_case("orgs:tree", kind="list")
def tree(data):
    # One root (the district) redirects to its page: timed with the redirect, as the user meets it.
    return BenchRequest(data.user("quwei_admin"), "/orgs/", "组织架构树→全区页面（区管理员）", follow=True)


@bench_case("orgs:node_detail", kind="detail")
def node_detail(data):
    community = data.node(COMMUNITY_ADMIN)
    return BenchRequest(data.user(COMMUNITY_ADMIN), f"/orgs/nodes/{community.pk}/", "社区详情（社区书记）")


@bench_case("orgs:node_create", kind="form")
def node_create(data):
    community = data.node(COMMUNITY_ADMIN)
    return BenchRequest(
        data.user(COMMUNITY_ADMIN), f"/orgs/nodes/{community.pk}/new/", "新建下级节点（社区书记）"
    )


@bench_case("orgs:node_edit", kind="form")
def node_edit(data):
    grid = community_grid(data)
    return BenchRequest(data.user(COMMUNITY_ADMIN), f"/orgs/nodes/{grid.pk}/edit/", "编辑网格（社区书记）")


@bench_case("orgs:party_org_create", kind="form")
def party_org_create(data):
    community = data.node(COMMUNITY_ADMIN)
    url = f"/orgs/nodes/{community.pk}/party-orgs/new/"
    return BenchRequest(data.user(COMMUNITY_ADMIN), url, "新建党组织（社区书记）")


@bench_case("orgs:party_org_edit", kind="form")
def party_org_edit(data):
    user = data.user(COMMUNITY_ADMIN)
    orgs = PartyOrg.objects.visible_to(user, "orgs.change").order_by("pk")
    party_org = data.most(orgs, "members", "有党员的党组织（复兴社区）")
    return BenchRequest(user, f"/orgs/party-orgs/{party_org.pk}/edit/", "编辑党组织（社区书记）")


@bench_case("orgs:building_create", kind="form")
def building_create(data):
    grid = community_grid(data)
    return BenchRequest(
        data.user(COMMUNITY_ADMIN), f"/orgs/nodes/{grid.pk}/buildings/new/", "新建楼栋（社区书记）"
    )


@bench_case("orgs:building_edit", kind="form")
def building_edit(data):
    user = data.user(COMMUNITY_ADMIN)
    building = data.most(
        Building.objects.visible_to(user, "orgs.change"), "households", "有住户的楼栋（复兴社区）"
    )
    return BenchRequest(user, f"/orgs/buildings/{building.pk}/edit/", "编辑楼栋（社区书记）")


@bench_case("orgs:household_list", kind="list")
def household_list(data):
    return BenchRequest(data.user(COMMUNITY_ADMIN), "/orgs/households/", "住户列表（社区书记）")


@bench_case("orgs:household_export", kind="export")
def household_export(data):
    return BenchRequest(data.user(COMMUNITY_ADMIN), "/orgs/households/export/", "导出住户（社区书记）")


@bench_case("orgs:household_create", kind="form")
def household_create(data):
    return BenchRequest(data.user(COMMUNITY_ADMIN), "/orgs/households/new/", "新建住户（社区书记）")


@bench_case("orgs:household_edit", kind="detail")
def household_edit(data):
    user = data.user(COMMUNITY_ADMIN)
    household = data.most(
        Household.objects.visible_to(user, "people.browse"), "persons", "有人员的住户（复兴社区）"
    )
    return BenchRequest(user, f"/orgs/households/{household.pk}/", "住户详情（社区书记）")


@bench_case("orgs:tag_list", kind="list")
def tag_list(data):
    return BenchRequest(data.user("quwei_admin"), "/orgs/tags/", "住户标签（区管理员）")


@bench_case("orgs:tag_edit", kind="form")
def tag_edit(data):
    tag = data.pick(HouseholdTag.objects.order_by("pk"), "住户标签")
    return BenchRequest(data.user("quwei_admin"), f"/orgs/tags/{tag.pk}/edit/", "编辑住户标签（区管理员）")


@bench_case("orgs:coverage", kind="dashboard")
def coverage(data):
    return BenchRequest(data.user("quwei_admin"), "/orgs/coverage/", "组织覆盖检查（区管理员，全区）")


@bench_case("orgs:coverage_export", kind="export")
def coverage_export(data):
    return BenchRequest(data.user("quwei_admin"), "/orgs/coverage/export/", "导出覆盖检查（区管理员）")


@bench_case("orgs_api:node_children", kind="api")
def api_node_children(data):
    district = data.node("quwei_admin")
    url = f"/api/v1/orgs/nodes/{district.pk}/children/"
    return BenchRequest(data.user("quwei_admin"), url, "接口：下级节点（区管理员）")


@bench_case("orgs_api:coverage", kind="api")
def api_coverage(data):
    return BenchRequest(data.user("quwei_admin"), "/api/v1/orgs/coverage/", "接口：覆盖检查（区管理员）")
