"""Registry reads on the standard world: exact rows and figures, scope, filters, cadres and cards."""

import datetime
from decimal import Decimal

from django.utils import timezone

from linli.core.scope import scope_for
from linli.people import selectors, services
from linli.people.tests import registry_data


def names(rows):
    return [getattr(r, "person", r).name for r in rows]


def _age(born: datetime.date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# ---------------------------------------------------------------------------------------------------
# Residents


def test_a_community_worker_lists_the_residents_of_the_community_in_pinyin_order(world):
    assert names(selectors.person_list(user=world.community_admin_a)) == ["李建国", "单田芳", "张三"]


def test_residents_filtered_by_grid_household_tag_and_membership(world):
    user = world.community_admin_a
    assert names(selectors.person_list(user=user, node=world.grid_a1)) == ["李建国", "张三"]
    assert names(selectors.person_list(user=user, household=world.household_a1)) == ["张三"]
    assert names(selectors.person_list(user=user, tag=world.tag_low_income)) == ["张三"]
    assert names(selectors.person_list(user=user, is_member=True)) == ["李建国"]
    assert names(selectors.person_list(user=user, is_member=False)) == ["单田芳", "张三"]
    assert names(selectors.person_list(user=user, gender="F")) == ["单田芳"]


def test_residents_filtered_by_age_range(world):
    age = _age(datetime.date(1985, 3, 15))  # 张三
    user = world.community_admin_a
    assert names(selectors.person_list(user=user, age_min=age, age_max=age)) == ["张三"]
    assert names(selectors.person_list(user=user, age_min=age + 1)) == ["李建国"]
    assert names(selectors.person_list(user=user, age_max=age - 1)) == ["单田芳"]


def test_people_moved_out_leave_the_default_list_but_not_the_full_one(world):
    services.person_set_status(
        actor=world.community_admin_a, person=world.person_a2, status="moved_out", note="迁往官渡区"
    )
    user = world.community_admin_a
    assert names(selectors.person_list(user=user)) == ["李建国", "张三"]
    assert names(selectors.person_list(user=user, status="")) == ["李建国", "单田芳", "张三"]
    assert names(selectors.person_list(user=user, status="moved_out")) == ["单田芳"]


def test_person_profile_has_housemates_tags_and_positions(world, registry):
    services.person_update(actor=world.district_admin, person=world.person_a2, node=world.grid_a1)
    services.person_update(
        actor=world.district_admin,
        person=world.person_a2,
        household=world.household_a1,
        relation_to_head="spouse",
    )
    profile = selectors.person_profile(person=world.person_a1)
    assert [p.name for p in profile.housemates] == ["单田芳"]
    assert [t.name for t in profile.tags] == ["低保"]
    assert sorted(p.get_position_display() for p in profile.positions) == ["书记", "居委会主任"]


# ---------------------------------------------------------------------------------------------------
# Members


def test_member_list_follows_the_branch_scope(world):
    assert names(selectors.member_list(user=world.district_admin)) == ["李建国", "王秀英"]
    assert names(selectors.member_list(user=world.community_admin_a)) == ["李建国"]
    assert names(selectors.member_list(user=world.community_admin_b)) == ["王秀英"]
    assert names(selectors.member_list(user=world.member_user_a)) == ["李建国"]
    assert names(selectors.member_list(user=world.resident_a1)) == []


def test_in_service_members_registered_at_the_community_are_listed_there(world, registry):
    assert names(selectors.member_list(user=world.community_admin_a)) == ["李建国", "王秀英"]


def test_member_filters(world):
    user = world.district_admin
    assert names(selectors.member_list(user=user, category="retired")) == ["李建国"]
    assert names(selectors.member_list(user=user, category="unemployed")) == ["王秀英"]
    assert names(selectors.member_list(user=user, branch=world.branch_b)) == ["王秀英"]
    assert names(selectors.member_list(user=user, node=world.grid_a1)) == ["李建国"]
    assert names(selectors.member_list(user=user, node=world.community_b)) == ["王秀英"]
    assert names(selectors.member_list(user=user, gender="F")) == ["王秀英"]
    assert names(selectors.member_list(user=user, tag=world.tag_elderly)) == []
    assert names(selectors.member_list(user=user, status="probationary")) == []


def test_members_who_left_the_register_are_listed_only_when_asked(world):
    services.member_update(
        actor=world.district_admin,
        member=world.member_b,
        record_state="transferred_out",
        left_on=datetime.date(2025, 1, 1),
    )
    assert names(selectors.member_list(user=world.district_admin)) == ["李建国"]
    assert names(selectors.member_list(user=world.district_admin, record_state="")) == ["李建国", "王秀英"]


def test_member_counts_by_category_and_status(world, django_assert_num_queries):
    scope_for(world.district_admin)
    with django_assert_num_queries(1):
        counts = selectors.member_counts(user=world.district_admin)
    assert counts["total"] == 2
    assert counts["by_category"] == {
        "employed": 0,
        "retired": 1,
        "unemployed": 1,
        "floating": 0,
        "new_economy": 0,
        "government": 0,
    }
    assert counts["by_status"] == {"formal": 2, "probationary": 0}
    assert selectors.member_counts(user=world.community_admin_a)["total"] == 1
    assert selectors.member_counts(user=world.grid_worker_a1)["total"] == 0


def test_resident_and_in_service_counts_follow_the_scope(world, registry):
    assert selectors.resident_count(user=world.district_admin) == 5
    assert selectors.resident_count(user=world.community_admin_a) == 3
    assert selectors.resident_count(user=world.grid_worker_a1) == 2
    assert selectors.resident_count(user=world.member_user_a) == 0
    assert selectors.inservice_count(user=world.community_admin_a) == 1
    assert selectors.inservice_count(user=world.community_admin_b) == 0


def test_member_profile_holds_every_registry_record_of_the_member(world, registry, django_assert_num_queries):
    with django_assert_num_queries(8):
        profile = selectors.member_profile(member=world.member_a)
    assert [r.place for r in profile.floating] == ["广东省深圳市南山区"]
    assert [c.is_thought_report for c in profile.floating[0].contacts.all()] == [True]
    assert [p.title for p in profile.posts] == ["楼院卫生监督岗"]
    assert [z.name for z in profile.zones] == ["1栋责任区"]
    assert [h.label for h in profile.zones[0].key_households.all()] == ["1栋1单元101"]
    assert profile.cards == [
        ("floating_contact", "流动党员联系卡"),
        ("floating_activity", "流动党员活动记录卡"),
        ("retired", "离退休党员管理卡"),
    ]


# ---------------------------------------------------------------------------------------------------
# In-service, floating, zones, posts


def test_floating_list_counts_contacts_and_thought_reports_and_finds_stale_ones(world, registry):
    [record] = selectors.floating_list(user=world.community_admin_a)
    assert (record.contact_count, record.thought_report_count) == (1, 1)
    assert list(selectors.floating_list(user=world.community_admin_a, stale_days=30)) == [record]
    assert list(selectors.floating_list(user=world.community_admin_b)) == []
    assert list(selectors.floating_list(user=world.community_admin_a, direction="inflow")) == []


def test_in_service_zone_and_post_lists(world, registry):
    assert [r.member.person.name for r in selectors.inservice_list(user=world.community_admin_a)] == [
        "王秀英"
    ]
    assert list(selectors.inservice_list(user=world.community_admin_b)) == []
    assert [r.member.person.name for r in selectors.inservice_list(user=world.member_user_b)] == ["王秀英"]
    assert [z.name for z in selectors.zone_list(user=world.grid_worker_a1)] == ["1栋责任区"]
    assert [p.title for p in selectors.post_list(user=world.community_admin_a, kind="duty")] == [
        "楼院卫生监督岗"
    ]
    assert list(selectors.post_list(user=world.community_admin_a, kind="model")) == []


# ---------------------------------------------------------------------------------------------------
# Cadres


def test_cadre_overview_shows_dual_role_reserve_count_and_subsidies(
    world, registry, django_assert_num_queries
):
    scope_for(world.street_admin)  # the grants are loaded once per request, not counted here
    # communities, current positions, the secretaries and directors named
    with django_assert_num_queries(3):
        rows = selectors.cadre_overview(user=world.street_admin)
    assert [r.community.name for r in rows] == ["复兴社区", "翠湖社区"]
    fuxing, cuihu = rows
    assert fuxing.street == "华山街道"
    assert [p.name for p in fuxing.secretaries] == ["张三"]
    assert [p.name for p in fuxing.directors] == ["张三"]
    assert fuxing.is_dual_role is True
    assert (fuxing.reserve_count, fuxing.reserve_status) == (1, "low")
    assert fuxing.cadre_count == 4
    assert fuxing.subsidy_total == Decimal("2200")
    assert (cuihu.is_dual_role, cuihu.reserve_count, cuihu.cadre_count) == (False, 0, 0)


def test_dual_role_needs_the_same_person_in_both_posts(world, registry):
    services.cadre_position_update(
        actor=world.district_admin, position=registry.cadres["director"], end_date=datetime.date(2024, 12, 31)
    )
    services.cadre_position_create(
        actor=world.district_admin,
        person=world.person_a2,
        node=world.community_a,
        position="director",
        start_date=datetime.date(2025, 1, 1),
    )
    [fuxing] = selectors.cadre_overview(user=world.community_admin_a)
    assert [p.name for p in fuxing.directors] == ["单田芳"]
    assert fuxing.is_dual_role is False


def test_cadre_roster_lists_current_terms_first_by_position_then_past_ones(world, registry):
    services.cadre_position_update(
        actor=world.district_admin, position=registry.cadres["reserve"], end_date=datetime.date(2024, 6, 30)
    )
    roster = selectors.cadre_roster(user=world.community_admin_a, community=world.community_a)
    assert [(p.node.name, p.get_position_display(), p.person.name) for p in roster.current] == [
        ("复兴社区", "书记", "张三"),
        ("复兴社区", "居委会主任", "张三"),
        ("复兴一网格", "网格员", "单田芳"),
    ]
    assert [p.get_position_display() for p in roster.past] == ["后备干部"]
    assert roster.summary.reserve_count == 0
    assert roster.summary.is_dual_role is True


def test_cadre_list_filters_current_positions_by_node_and_position(world, registry):
    rows = selectors.cadre_list(user=world.community_admin_a, position="grid_worker")
    assert [(p.node.name, p.person.name) for p in rows] == [("复兴一网格", "单田芳")]
    assert list(selectors.cadre_list(user=world.community_admin_b)) == []


# ---------------------------------------------------------------------------------------------------
# The five cards


def test_card_batches_pick_the_members_each_card_is_for(world, registry, django_assert_num_queries):
    scope_for(world.community_admin_a)
    with django_assert_num_queries(7):
        retired = selectors.card_members(
            user=world.community_admin_a, kind="retired", community=world.community_a
        )
    assert names(retired) == ["李建国"]
    assert names(selectors.card_members(user=world.community_admin_a, kind="floating_contact")) == ["李建国"]
    assert names(selectors.card_members(user=world.district_admin, kind="unemployed")) == ["王秀英"]
    assert names(selectors.card_members(user=world.district_admin, kind="new_economy")) == []


def test_two_new_economy_card_covers_members_working_in_a_new_economy_unit(world):
    registry_data.add_unit_members(world, count=2)
    members = selectors.card_members(
        user=world.community_admin_a, kind="new_economy", community=world.community_a
    )
    assert names(members) == ["物业党员甲", "物业党员乙"]
