"""Scope: grants on a node cover its subtree; self roles cover one's own rows; deny by default."""

from linli.core.scope import scope_for
from linli.orgs.models import OrgNode
from linli.people.models import Member, Person


def test_subtree_is_one_prefix_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(OrgNode.objects.subtree_of(world.community_a).values_list("name", flat=True))
    assert names == {"复兴社区", "复兴一网格", "复兴二网格", "玉带物业公司"}


def test_community_worker_sees_only_own_community_people(world):
    names = set(Person.objects.visible_to(world.community_admin_a).values_list("name", flat=True))
    assert names == {"张三", "单田芳", "李建国"}


def test_grid_worker_sees_only_own_grid(world):
    names = set(Person.objects.visible_to(world.grid_worker_a1).values_list("name", flat=True))
    assert names == {"张三", "李建国"}


def test_street_admin_sees_communities_of_the_street_only(world):
    names = set(Person.objects.visible_to(world.street_admin).values_list("name", flat=True))
    assert names == {"张三", "单田芳", "李建国"}


def test_district_admin_sees_everyone(world):
    assert Person.objects.visible_to(world.district_admin).count() == 5


def test_member_sees_only_self(world):
    assert list(Person.objects.visible_to(world.member_user_a).values_list("name", flat=True)) == ["李建国"]
    assert list(Member.objects.visible_to(world.member_user_a)) == [world.member_a]


def test_resident_sees_own_household(world):
    assert list(Person.objects.visible_to(world.resident_a1).values_list("name", flat=True)) == ["张三"]


def test_system_roles_see_no_business_data(world):
    for persona in ("sysadmin", "secadmin", "auditor", "nobody"):
        assert Person.objects.visible_to(getattr(world, persona)).count() == 0


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Person.objects.visible_to(AnonymousUser()).count() == 0


def test_overlapping_grants_collapse_to_the_wider_path(world):
    scope = scope_for(world.district_admin)
    assert scope.paths_for("people.view") == [world.district.path]
    assert scope.has_perm_at("people.view", world.grid_b1.path)
