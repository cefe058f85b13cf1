"""Organisation pages: tree browser, node page, forms with Chinese errors, tags, households, coverage."""

import io

import pytest
from openpyxl import load_workbook

from linli.accounts import services as account_services
from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.orgs import services
from linli.orgs.models import Household, HouseholdTag, OrgNode, PartyOrg
from linli.people.tests import registry_data

SESSION_USER_GRANTS = 3


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_every_organisation_page_renders(world, registry, client):
    pages = [
        (world.community_admin_a, f"/orgs/nodes/{world.community_a.pk}/"),
        (world.community_admin_a, f"/orgs/nodes/{world.grid_a1.pk}/"),
        (world.community_admin_a, f"/orgs/nodes/{world.unit_a.pk}/"),
        (world.community_admin_a, f"/orgs/nodes/{world.community_a.pk}/new/"),
        (world.community_admin_a, f"/orgs/nodes/{world.unit_a.pk}/edit/"),
        (world.community_admin_a, f"/orgs/nodes/{world.community_a.pk}/party-orgs/new/"),
        (world.community_admin_a, f"/orgs/party-orgs/{world.branch_a.pk}/edit/"),
        (world.community_admin_a, f"/orgs/nodes/{world.grid_a1.pk}/buildings/new/"),
        (world.community_admin_a, f"/orgs/buildings/{world.building_a1.pk}/edit/"),
        (world.community_admin_a, "/orgs/households/"),
        (
            world.community_admin_a,
            f"/orgs/households/?node={world.grid_a1.pk}&tag={world.tag_low_income.pk}&care=on",
        ),
        (world.community_admin_a, f"/orgs/households/new/?grid={world.grid_a1.pk}"),
        (world.community_admin_a, f"/orgs/households/{world.household_a1.pk}/"),
        (world.resident_a1, f"/orgs/households/{world.household_a1.pk}/"),
        (world.community_admin_a, "/orgs/coverage/"),
        (world.district_admin, "/orgs/tags/"),
        (world.district_admin, f"/orgs/tags/{world.tag_elderly.pk}/edit/"),
        (world.district_admin, f"/orgs/nodes/{world.district.pk}/"),
    ]
    for user, url in pages:
        response = _get(client, user, url)
        assert response.status_code == 200, url


def test_a_user_with_one_subtree_goes_straight_to_it(world, client):
    response = _get(client, world.community_admin_a, "/orgs/")
    assert response["Location"] == f"/orgs/nodes/{world.community_a.pk}/"


def test_a_user_with_several_subtrees_chooses_one(world, client):
    account_services.role_grant(
        actor=None,
        user=world.community_admin_a,
        role="community_admin",
        node=world.community_b,
        check_actor=False,
    )
    world.community_admin_a.forget_scope()
    content = _get(client, world.community_admin_a, "/orgs/").content.decode()
    assert "复兴社区" in content and "金碧社区" in content


def test_the_node_page_drills_down_with_figures_party_orgs_and_cadres(world, registry, client):
    content = _get(client, world.community_admin_a, f"/orgs/nodes/{world.community_a.pk}/").content.decode()
    assert f'href="/orgs/nodes/{world.grid_a1.pk}/"' in content
    assert f'href="/people/persons/?node={world.grid_a1.pk}">2</a>' in content
    for text in (
        "复兴社区党总支",
        "复兴社区第一党支部",
        "现任干部",
        "书记",
        "张三",
        "干部名册",
        "重点关爱户",
    ):
        assert text in content


def test_the_node_page_costs_the_same_with_more_children(world, client, django_assert_num_queries):
    client.force_login(world.community_admin_a)
    url = f"/orgs/nodes/{world.community_a.pk}/"
    client.get(url)
    # node, ancestors, children, 6 figures (residents and members: counts, then their nodes' paths),
    # Party orgs and their covered units, current cadres
    expected = SESSION_USER_GRANTS + 14
    with django_assert_num_queries(expected):
        client.get(url)
    for index in range(6):
        services.node_create(
            actor=world.district_admin, parent=world.community_a, kind="grid", name=f"新网格{index}"
        )
    registry_data.add_many(world, count=6)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.content.decode().count('href="/orgs/nodes/') >= 9


def test_a_duplicate_node_name_is_refused_in_chinese_and_nothing_is_saved(world, client):
    client.force_login(world.community_admin_a)
    before = OrgNode.objects.count()
    response = client.post(f"/orgs/nodes/{world.community_a.pk}/new/", {"kind": "grid", "name": "复兴一网格"})
    assert "同一上级下已有「复兴一网格」。" in response.content.decode()
    assert OrgNode.objects.count() == before


def test_a_unit_needs_its_type(world, client):
    client.force_login(world.community_admin_a)
    response = client.post(f"/orgs/nodes/{world.community_a.pk}/new/", {"kind": "unit", "name": "新单位"})
    assert "请选择单位类型。" in response.content.decode()
    assert not OrgNode.objects.filter(name="新单位").exists()


def test_a_joint_branch_without_units_is_refused(world, client):
    client.force_login(world.community_admin_a)
    before = PartyOrg.objects.count()
    response = client.post(
        f"/orgs/nodes/{world.community_a.pk}/party-orgs/new/",
        {"name": "联合党支部", "kind": "branch", "formation": "joint"},
    )
    assert "联合组建或挂靠的党组织须选择覆盖的单位。" in response.content.decode()
    assert PartyOrg.objects.count() == before


def test_a_joint_branch_covering_the_unit_is_created(world, client):
    client.force_login(world.community_admin_a)
    response = client.post(
        f"/orgs/nodes/{world.community_a.pk}/party-orgs/new/",
        {
            "name": "复兴社区非公企业联合党支部",
            "kind": "branch",
            "parent": world.org_community_a.pk,
            "formation": "joint",
            "covered_units": [world.unit_a.pk],
        },
    )
    assert response.status_code == 302
    joint = PartyOrg.objects.get(name="复兴社区非公企业联合党支部")
    assert list(joint.covered_units.all()) == [world.unit_a]
    content = client.get(f"/orgs/nodes/{world.unit_a.pk}/").content.decode()
    assert "由「复兴社区非公企业联合党支部」（联合组建，位于复兴社区）覆盖" in content


def test_a_household_needs_a_building_of_its_grid_or_an_address(world, client):
    client.force_login(world.community_admin_a)
    before = Household.objects.count()
    other = services.building_create(actor=world.district_admin, grid=world.grid_a2, name="9栋")
    response = client.post(
        f"/orgs/households/new/?grid={world.grid_a1.pk}", {"grid": world.grid_a1.pk, "building": other.pk}
    )
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post(f"/orgs/households/new/?grid={world.grid_a1.pk}", {"grid": world.grid_a1.pk})
    assert "未选择楼栋时请填写地址。" in response.content.decode()
    assert Household.objects.count() == before


def test_household_tags_are_set_on_the_household_page(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(
        f"/orgs/households/{world.household_a1.pk}/",
        {
            "building": world.building_a1.pk,
            "unit_no": "1单元",
            "room_no": "101",
            "tags": [world.tag_low_income.pk, world.tag_elderly.pk],
        },
    )
    assert response.status_code == 302
    assert sorted(world.household_a1.tags.values_list("name", flat=True)) == ["低保", "独居老人"]


def test_a_resident_sees_the_household_but_no_form(world, client):
    content = _get(client, world.resident_a1, f"/orgs/households/{world.household_a1.pk}/").content.decode()
    assert "1栋1单元101" in content
    assert 'name="room_no"' not in content
    assert "查看本户人员" not in content


def test_tags_are_managed_by_the_district_admin(world, client):
    client.force_login(world.district_admin)
    response = client.post("/orgs/tags/", {"name": "留守儿童", "code": "left_behind", "sort_order": "9"})
    assert response.status_code == 302
    assert HouseholdTag.objects.get(code="left_behind").is_care is False
    response = client.post("/orgs/tags/", {"name": "残疾", "code": "残疾"})
    assert "代码只能由英文字母、数字、下划线或连字符组成。" in response.content.decode()
    content = client.get("/orgs/tags/").content.decode()
    assert 'data-confirm="确定删除标签「留守儿童」吗？"' in content


def test_a_tag_in_use_is_not_deleted(world, client):
    client.force_login(world.district_admin)
    response = client.post(f"/orgs/tags/{world.tag_low_income.pk}/delete/", follow=True)
    assert "标签「低保」仍有1户在用，不能删除。" in response.content.decode()
    assert HouseholdTag.objects.filter(pk=world.tag_low_income.pk).exists()


def test_the_coverage_page_lists_the_gaps(world, client):
    content = _get(client, world.district_admin, "/orgs/coverage/").content.decode()
    for text in (
        "未建党组织的社区",
        "翠湖社区",
        "没有网格员的网格",
        "金碧一网格",
        "可单独建支部而未建的单位",
    ):
        assert text in content


@pytest.mark.parametrize("user", ["district_admin", "community_admin_a"])
def test_the_coverage_page_costs_the_same_with_more_gaps(world, client, django_assert_num_queries, user):
    persona = getattr(world, user)
    client.force_login(persona)
    registry_data.add_unit_members(world, count=3)
    client.get("/orgs/coverage/")
    # communities, units with member counts, their covering orgs, grids, street/community names
    with django_assert_num_queries(SESSION_USER_GRANTS + 5):
        client.get("/orgs/coverage/")
    for index in range(4):
        services.node_create(
            actor=world.district_admin, parent=world.community_a, kind="grid", name=f"空网格{index}"
        )
    with django_assert_num_queries(SESSION_USER_GRANTS + 5):
        client.get("/orgs/coverage/")


def test_the_coverage_export_has_one_row_per_gap(world, client):
    client.force_login(world.district_admin)
    response = client.get("/orgs/coverage/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [
        ["未建党组织的社区", "华山街道", "翠湖社区", "翠湖社区", "社区", "社区尚未建立党组织"],
        ["没有网格员的网格", "华山街道", "复兴社区", "复兴一网格", "网格", "网格没有在任网格员"],
        ["没有网格员的网格", "华山街道", "复兴社区", "复兴二网格", "网格", "网格没有在任网格员"],
        ["没有网格员的网格", "护国街道", "金碧社区", "金碧一网格", "网格", "网格没有在任网格员"],
    ]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_type="orgs.coverage").count() == 1


def test_the_household_export_names_street_community_and_tags(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.get("/orgs/households/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]] == [
        "华山街道",
        "复兴社区",
        "复兴一网格",
        "1栋",
        "1单元",
        "101",
        None,
        "低保",
        None,
    ]
