"""The menu: entries a user's roles allow, grouped under one heading per group."""

from linli.core.navigation import items_for


def test_each_group_appears_once_and_in_one_run(world):
    groups = [item["group"] for item in items_for(world.community_admin_a)]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(runs))


def test_system_roles_see_only_their_tools(world):
    assert [item["label"] for item in items_for(world.auditor)] == ["审计日志"]
