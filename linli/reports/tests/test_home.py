"""The home page of each role shows real figures of the user's scope, each linking to its records."""

from linli.core.scope import scope_for
from linli.people.tests import registry_data
from linli.reports import selectors

SESSION_USER_GRANTS = 3


def test_the_district_dashboard_counts_the_whole_district(world, registry):
    d = selectors.staff_dashboard(user=world.district_admin)
    assert (d.residents.value, d.households.value, d.members.value, d.inservice.value) == (5, 2, 2, 1)
    assert [(f.label, f.value) for f in d.members_by_category if f.value] == [("离退休", 1), ("下岗失业", 1)]
    assert [(f.label, f.value) for f in d.members_by_status] == [("正式党员", 2), ("预备党员", 0)]
    assert [(f.label, f.value) for f in d.households_by_tag if f.value] == [("低保", 1), ("独居老人", 1)]
    assert [(f.label, f.value) for f in d.coverage] == [
        ("未建党组织的社区", 1),
        ("可单独建支部而未建的单位", 0),
        ("没有网格员的网格", 2),
    ]


def test_every_figure_links_to_the_records_behind_it(world):
    d = selectors.staff_dashboard(user=world.community_admin_a)
    assert d.residents.url == "/people/persons/"
    assert d.members_by_category[1].url == "/people/members/?category=retired"
    assert d.members_by_status[1].url == "/people/members/?status=probationary"
    assert d.households_by_tag[0].url == f"/orgs/households/?tag={world.tag_low_income.pk}"
    assert d.coverage[2].url == "/orgs/coverage/#grid_without_worker"


def test_a_grid_worker_sees_the_grid_and_no_coverage(world):
    d = selectors.staff_dashboard(user=world.grid_worker_a1)
    assert (d.residents.value, d.households.value, d.members.value) == (2, 1, 0)
    assert d.show_coverage is False
    assert d.scope_names == ["复兴一网格"]


def test_the_staff_home_page_shows_figures_and_charts(world, registry, client):
    client.force_login(world.community_admin_a)
    content = client.get("/").content.decode()
    assert '<div class="linli-stat" data-figure="residents">3</div>' in content
    assert '<div class="linli-stat" data-figure="members">1</div>' in content
    assert "vendor/echarts/echarts.min.js" in content
    assert 'id="home-chart-data"' in content
    assert "组织覆盖缺口" in content


def test_the_home_page_costs_the_same_with_many_more_records(
    world, registry, client, django_assert_num_queries
):
    registry_data.add_unit_members(world, count=3)
    client.force_login(world.community_admin_a)
    client.get("/")
    # members by category and status, households, households per tag, residents, in-service,
    # coverage: communities, units with member counts and their covering orgs, grids, street/community names
    expected = SESSION_USER_GRANTS + 10
    with django_assert_num_queries(expected):
        client.get("/")
    registry_data.add_many(world, count=10)
    with django_assert_num_queries(expected):
        response = client.get("/")
    assert '<div class="linli-stat" data-figure="members">14</div>' in response.content.decode()


def test_a_member_sees_their_own_registry_card(world, registry, client):
    client.force_login(world.member_user_a)
    content = client.get("/").content.decode()
    for text in (
        "我的党员档案",
        "李建国",
        "复兴社区第一党支部",
        "楼院卫生监督岗",
        "1栋责任区：1栋",
        "530102********0013",
    ):
        assert text in content
    assert "data-figure" not in content


def test_a_resident_sees_their_own_household(world, client):
    client.force_login(world.resident_a1)
    content = client.get("/").content.decode()
    for text in ("我的家庭", "1栋1单元101", "低保", "张三（本人）"):
        assert text in content
    assert "data-figure" not in content


def test_a_system_role_sees_only_its_tools(world, client):
    client.force_login(world.auditor)
    content = client.get("/").content.decode()
    assert "审计日志" in content
    assert "data-figure" not in content and "我的家庭" not in content


def test_member_home_reads_in_a_fixed_number_of_queries(world, registry, django_assert_num_queries):
    scope_for(world.member_user_a)
    # the member with person, household, branch, unit; then the 7 queries of the member profile
    with django_assert_num_queries(9):
        home = selectors.member_home(user=world.member_user_a)
    assert home.member == world.member_a


def test_the_projects_own_styles_and_scripts_are_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("linli/linli.css")
    assert finders.find("linli/linli.js")
    assert finders.find("reports/home.js")
