"""Search as Chinese users type it: name, full pinyin, initials (with surname readings), ID number, phone."""

import pytest

from linli.people import selectors
from linli.people.search import parse_term
from linli.testing.world import ID_A1, ID_B1


def names(queryset):
    return sorted(p.name for p in queryset)


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("", "empty", ""),
        ("  张三 ", "name", "张三"),
        ("ZhangSan", "pinyin", "zhangsan"),
        ("zhang san", "pinyin", "zhangsan"),
        ("53010219760708003x", "id_number", "53010219760708003X"),
        ("138 0013 8000", "phone", "13800138000"),
        ("+8613800138000", "phone", "13800138000"),
        ("0871-12345678", "phone", "0871-12345678"),
        ("8000", "last4", "8000"),
        ("李a", "name", "李a"),
    ],
)
def test_a_search_box_is_understood(raw, kind, value):
    term = parse_term(raw)
    assert (term.kind, term.value) == (kind, value)


@pytest.mark.parametrize("q", ["张三", "张", "zhangsan", "zhang", "zs", "ZS", "zhangs"])
def test_zhang_san_is_found_by_name_full_pinyin_and_initials(world, q):
    assert names(selectors.person_list(user=world.community_admin_a, q=q)) == ["张三"]


@pytest.mark.parametrize("q", ["shantianfang", "stf", "shan"])
def test_the_surname_dan_is_read_shan(world, q):
    assert names(selectors.person_list(user=world.community_admin_a, q=q)) == ["单田芳"]


def test_the_common_reading_of_the_surname_finds_nobody(world):
    assert names(selectors.person_list(user=world.community_admin_a, q="dantianfang")) == []


def test_the_surname_ceng_is_read_zeng(world):
    assert names(selectors.person_list(user=world.district_admin, q="zxh")) == ["曾小红"]
    assert names(selectors.person_list(user=world.district_admin, q="zengxiaohong")) == ["曾小红"]


def test_id_number_is_found_exactly_through_its_keyed_hash(world):
    assert names(selectors.person_list(user=world.district_admin, q=ID_A1)) == ["张三"]
    assert names(selectors.person_list(user=world.district_admin, q=ID_B1.lower())) == ["曾小红"]
    assert names(selectors.person_list(user=world.district_admin, q=ID_A1[:-1] + "9")) == []


def test_phone_is_found_by_full_number_or_last_four_digits(world):
    assert names(selectors.person_list(user=world.district_admin, q="13800138000")) == ["张三"]
    assert names(selectors.person_list(user=world.district_admin, q="138-0013-8000")) == ["张三"]
    assert names(selectors.person_list(user=world.district_admin, q="9000")) == ["单田芳"]
    assert names(selectors.person_list(user=world.district_admin, q="1234")) == []


def test_search_never_leaves_the_users_scope(world):
    assert names(selectors.person_list(user=world.community_admin_b, q="zs")) == []
    assert names(selectors.person_list(user=world.community_admin_b, q=ID_A1)) == []
    assert names(selectors.person_list(user=world.grid_worker_a1, q="stf")) == []


def test_members_are_searched_through_their_person(world):
    found = selectors.member_list(user=world.district_admin, q="ljg")
    assert [m.person.name for m in found] == ["李建国"]
    assert [m.person.name for m in selectors.member_list(user=world.district_admin, q="5000")] == ["王秀英"]


def test_quick_search_lists_a_member_once_and_links_to_the_member_page(world):
    hits = selectors.quick_search(user=world.community_admin_a, q="ljg")
    assert [(h.name, h.is_member, h.url) for h in hits] == [
        ("李建国", True, f"/people/members/{world.member_a.pk}/")
    ]
    assert hits[0].id_number_masked == "530102********0013"


def test_quick_search_orders_by_pinyin_and_says_who_is_a_member(world):
    hits = selectors.quick_search(user=world.district_admin, q="z")
    assert [(h.name, h.is_member) for h in hits] == [("曾小红", False), ("张三", False)]
    hits = selectors.quick_search(user=world.district_admin, q="w")
    assert [(h.name, h.is_member, h.detail) for h in hits] == [
        ("王秀英", True, "正式党员 · 金碧社区第一党支部")
    ]


def test_quick_search_reaches_in_service_members_registered_at_the_community(world, registry):
    hits = selectors.quick_search(user=world.community_admin_a, q="wxy")
    assert [(h.name, h.is_member) for h in hits] == [("王秀英", True)]


def test_an_empty_search_finds_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.quick_search(user=world.district_admin, q="  ") == []
