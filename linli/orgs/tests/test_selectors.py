"""Organisation reads on the standard world: tree figures, coverage gaps, households, place names."""

import datetime

from linli.core.scope import scope_for
from linli.orgs import selectors, services
from linli.orgs.choices import NodeKind
from linli.people.tests import registry_data


def figures(values):
    return {f.key: f.value for f in values}


def test_rollup_adds_rows_up_per_child(world):
    rows = [
        (world.grid_a1.path, 2),
        (world.grid_a2.path, 1),
        (world.grid_b1.path, 4),
        (world.community_a.path, 1),
    ]
    total, by_child = selectors.subtree_rollup(rows, world.street_a)
    assert total == 4
    assert by_child == {world.community_a.pk: 4}


def test_the_district_level_shows_each_street_with_its_figures(world):
    level = selectors.tree_level(user=world.district_admin, node=world.district)
    assert [(row.node.name, row.child_count) for row in level.children] == [("华山街道", 2), ("护国街道", 1)]
    assert [f.key for f in level.columns] == [
        "grids",
        "units",
        "residents",
        "members",
        "households",
        "care_households",
    ]
    street_a, street_b = level.children
    assert figures(street_a.figures) == {
        "grids": 2,
        "units": 1,
        "residents": 3,
        "members": 1,
        "households": 1,
        "care_households": 1,
    }
    assert figures(street_b.figures) == {
        "grids": 1,
        "units": 0,
        "residents": 2,
        "members": 1,
        "households": 1,
        "care_households": 1,
    }
    assert figures(level.figures) == {
        "grids": 3,
        "units": 1,
        "residents": 5,
        "members": 2,
        "households": 2,
        "care_households": 2,
    }


def test_figures_link_to_the_records_behind_them(world):
    level = selectors.tree_level(user=world.community_admin_a, node=world.community_a)
    links = {f.key: f.link for f in level.children[0].figures}
    assert links["residents"] == f"/people/persons/?node={world.grid_a1.pk}"
    assert links["households"] == f"/orgs/households/?node={world.grid_a1.pk}"
    assert links["grids"] == ""


def test_a_tree_level_costs_the_same_queries_with_more_children(world, django_assert_num_queries):
    scope_for(world.district_admin)
    # ancestors, children with child counts, one per figure (grids, units, residents, members,
    # households, households needing care), plus the paths of the nodes (branches) that residents
    # (members) were counted under
    with django_assert_num_queries(10):
        selectors.tree_level(user=world.district_admin, node=world.community_a)
    for index in range(5):
        services.node_create(
            actor=world.district_admin, parent=world.community_a, kind=NodeKind.GRID, name=f"新网格{index}"
        )
    with django_assert_num_queries(10):
        level = selectors.tree_level(user=world.district_admin, node=world.community_a)
    assert len(level.children) == 8


def test_people_figures_are_shown_only_to_who_may_see_people(world):
    level = selectors.tree_level(user=world.unit_contact_a, node=world.unit_a)
    assert [f.key for f in level.columns] == ["grids", "units"]


def test_breadcrumb_stops_at_the_top_of_the_users_scope(world):
    level = selectors.tree_level(user=world.community_admin_a, node=world.grid_a1)
    assert [a.name for a in level.ancestors] == ["复兴社区"]
    assert [
        a.name for a in selectors.tree_level(user=world.district_admin, node=world.grid_a1).ancestors
    ] == [
        "五华区",
        "华山街道",
        "复兴社区",
    ]


def test_tree_roots_are_the_nodes_of_the_users_grants(world):
    assert selectors.tree_roots(user=world.street_admin) == [world.street_a]
    assert selectors.tree_roots(user=world.member_user_a) == []


def test_node_detail_lists_party_orgs_buildings_and_current_cadres(world, registry):
    detail = selectors.node_detail(user=world.community_admin_a, node=world.community_a)
    assert [o.name for o in detail.party_orgs] == ["复兴社区党总支", "复兴社区第一党支部"]
    [(template, cadres)] = detail.sections
    assert template == "people/includes/node_cadres.html"
    assert [(p.get_position_display(), p.person.name) for p in cadres["positions"]] == [
        ("书记", "张三"),
        ("居委会主任", "张三"),
        ("后备干部", "单田芳"),
    ]
    grid = selectors.node_detail(user=world.community_admin_a, node=world.grid_a1)
    assert [(b.name, b.household_count) for b in grid.buildings] == [("1栋", 1)]


def test_a_unit_page_names_the_joint_branch_covering_it(world):
    joint = services.party_org_create(
        actor=world.district_admin,
        node=world.community_a,
        name="复兴社区非公企业联合党支部",
        kind="branch",
        parent=world.org_community_a,
        formation="joint",
        covered_units=[world.unit_a],
    )
    detail = selectors.node_detail(user=world.community_admin_a, node=world.unit_a)
    assert detail.covering_orgs == [joint]


# ---------------------------------------------------------------------------------------------------
# Coverage (ORG-2)


def gaps(report):
    return {section.check.key: [gap.node.name for gap in section.gaps] for section in report}


def test_coverage_on_the_plain_world(world):
    assert gaps(selectors.coverage_report(user=world.district_admin)) == {
        "community_without_party_org": ["翠湖社区"],
        "unit_without_own_branch": [],
        "grid_without_worker": ["复兴一网格", "复兴二网格", "金碧一网格"],
    }


def test_coverage_is_limited_to_the_users_scope(world):
    assert gaps(selectors.coverage_report(user=world.community_admin_b)) == {
        "community_without_party_org": [],
        "unit_without_own_branch": [],
        "grid_without_worker": ["金碧一网格"],
    }
    assert gaps(selectors.coverage_report(user=world.grid_worker_a1)) == {
        "community_without_party_org": [],
        "unit_without_own_branch": [],
        "grid_without_worker": [],
    }


def test_a_grid_with_a_current_grid_worker_is_covered_and_one_whose_worker_left_is_not(world, registry):
    report = gaps(selectors.coverage_report(user=world.community_admin_a))
    assert report["grid_without_worker"] == ["复兴二网格"]
    from linli.people import services as people_services

    people_services.cadre_position_update(
        actor=world.district_admin,
        position=registry.cadres["grid_worker"],
        end_date=datetime.date(2024, 1, 1),
    )
    report = gaps(selectors.coverage_report(user=world.community_admin_a))
    assert report["grid_without_worker"] == ["复兴一网格", "复兴二网格"]


def test_a_unit_with_three_formal_members_and_no_branch_is_a_gap(world):
    registry_data.add_unit_members(world, count=2)
    assert gaps(selectors.coverage_report(user=world.district_admin))["unit_without_own_branch"] == []
    registry_data.add_unit_members(world, count=1)
    [section] = [
        s for s in selectors.coverage_report(user=world.district_admin) if s.check.key.startswith("unit")
    ]
    [gap] = section.gaps
    assert (gap.node, gap.street, gap.community) == (world.unit_a, "华山街道", "复兴社区")
    assert gap.detail == "正式党员3名，未单独建立党组织，也未纳入联合党支部"
    assert gap.data == {"formal_members": 3, "covered_by": []}


def test_a_unit_in_a_joint_branch_is_still_listed_with_who_covers_it(world):
    registry_data.add_unit_members(world, count=3)
    services.party_org_create(
        actor=world.district_admin,
        node=world.community_a,
        name="复兴社区非公企业联合党支部",
        kind="branch",
        parent=world.org_community_a,
        formation="joint",
        covered_units=[world.unit_a],
    )
    [section] = [
        s for s in selectors.coverage_report(user=world.district_admin) if s.check.key.startswith("unit")
    ]
    assert [g.detail for g in section.gaps] == [
        "正式党员3名，未单独建立党组织；现由「复兴社区非公企业联合党支部」覆盖"
    ]


def test_a_unit_with_its_own_branch_is_covered(world):
    registry_data.add_unit_members(world, count=3)
    services.party_org_create(
        actor=world.district_admin,
        node=world.unit_a,
        name="玉带物业公司党支部",
        kind="branch",
        formation="single",
    )
    assert gaps(selectors.coverage_report(user=world.district_admin))["unit_without_own_branch"] == []


def test_probationary_members_do_not_count_towards_a_branch(world):
    members = registry_data.add_unit_members(world, count=3)
    from linli.people import services as people_services

    people_services.member_update(actor=world.district_admin, member=members[0], status="probationary")
    assert gaps(selectors.coverage_report(user=world.district_admin))["unit_without_own_branch"] == []


def test_the_member_threshold_is_configurable(world, settings):
    settings.LINLI_UNIT_BRANCH_MIN_MEMBERS = 2
    registry_data.add_unit_members(world, count=2)
    assert gaps(selectors.coverage_report(user=world.district_admin))["unit_without_own_branch"] == [
        "玉带物业公司"
    ]


def test_coverage_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    scope_for(world.district_admin)
    registry_data.add_unit_members(world, count=3)
    # communities (1), units with member counts (1) and their covering orgs (1), grids (1), place names (1)
    with django_assert_num_queries(5):
        selectors.coverage_report(user=world.district_admin)
    registry_data.add_unit_members(world, count=3, unit=registry_data.add_unit(world))
    with django_assert_num_queries(5):
        report = selectors.coverage_report(user=world.district_admin)
    assert gaps(report)["unit_without_own_branch"] == ["玉带物业公司", "翠湖科技公司"]


def test_a_community_whose_party_orgs_are_all_inactive_is_a_gap(world):
    for org in (world.branch_b, world.org_community_b):
        services.party_org_update(
            actor=world.district_admin,
            org=org,
            name=org.name,
            kind=org.kind,
            parent=org.parent,
            formation="single",
            is_active=False,
        )
    assert gaps(selectors.coverage_report(user=world.district_admin))["community_without_party_org"] == [
        "翠湖社区",
        "金碧社区",
    ]


# ---------------------------------------------------------------------------------------------------
# Households and places


def test_household_list_and_counts(world):
    assert [h.label for h in selectors.household_list(user=world.district_admin)] == [
        "1栋1单元101",
        "金碧路8号",
    ]
    assert [h.label for h in selectors.household_list(user=world.grid_worker_a1)] == ["1栋1单元101"]
    assert [h.label for h in selectors.household_list(user=world.resident_a1)] == ["1栋1单元101"]
    assert [h.label for h in selectors.household_list(user=world.district_admin, tag=world.tag_elderly)] == [
        "金碧路8号"
    ]
    assert [h.label for h in selectors.household_list(user=world.district_admin, q="金碧")] == ["金碧路8号"]
    counts = selectors.household_counts(user=world.community_admin_a)
    assert counts.total == 1
    # Every tag is listed (an install may seed more); only 低保 has households in 复兴社区.
    assert [(t.name, n) for t, n in counts.by_tag if n] == [("低保", 1)]
    assert {t.name for t, _ in counts.by_tag} >= {"低保", "独居老人"}
    assert selectors.household_resident_counts([world.household_a1, world.household_b1]) == {
        world.household_a1.pk: 1,
        world.household_b1.pk: 1,
    }


def test_a_grid_worker_knows_the_name_of_the_street_and_community_above(world):
    names = selectors.place_names(user=world.grid_worker_a1, permission="people.view")
    assert selectors.place_of(world.grid_a1.path, names) == ("华山街道", "复兴社区")
    assert selectors.place_of(world.grid_b1.path, names) == ("", "")
