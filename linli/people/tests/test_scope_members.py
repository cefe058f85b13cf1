"""Who sees which Party members: branch, residence and in-service registration all count."""

import datetime

from linli.people.models import InServiceRegistration, Member


def test_grid_worker_sees_members_living_in_the_grid(world):
    assert list(Member.objects.visible_to(world.grid_worker_a1)) == [world.member_a]
    assert list(Member.objects.visible_to(world.grid_worker_a2)) == []


def test_community_sees_members_registered_with_it_though_their_branch_is_elsewhere(world):
    assert world.member_b not in Member.objects.visible_to(world.community_admin_a)
    InServiceRegistration.objects.create(
        member=world.member_b, community=world.community_a, registered_on=datetime.date(2026, 3, 1)
    )
    assert world.member_b in Member.objects.visible_to(world.community_admin_a)


def test_other_community_sees_neither(world):
    assert list(Member.objects.visible_to(world.community_admin_a2)) == []
