"""The organisation API: a node's children with figures, and the coverage report."""


def test_node_children_carry_child_counts_and_figures(world, client):
    client.force_login(world.community_admin_a)
    data = client.get(f"/api/v1/orgs/nodes/{world.community_a.pk}/children/").json()
    assert data["node"]["name"] == "复兴社区"
    assert data["node"]["figures"] == {
        "grids": 2,
        "units": 1,
        "residents": 3,
        "members": 1,
        "households": 1,
        "care_households": 1,
    }
    assert data["figure_labels"]["care_households"] == "重点关爱户"
    assert [
        (c["name"], c["kind"], c["child_count"], c["figures"]["residents"]) for c in data["children"]
    ] == [
        ("复兴一网格", "grid", 0, 2),
        ("复兴二网格", "grid", 0, 1),
        ("玉带物业公司", "unit", 0, 0),
    ]


def test_coverage_lists_each_check_with_its_gaps(world, client):
    client.force_login(world.street_admin)
    data = client.get("/api/v1/orgs/coverage/").json()
    assert [(c["key"], c["count"]) for c in data["checks"]] == [
        ("community_without_party_org", 1),
        ("unit_without_own_branch", 0),
        ("grid_without_worker", 2),
    ]
    gap = data["checks"][0]["gaps"][0]
    assert (gap["node"]["name"], gap["street"], gap["community"], gap["detail"]) == (
        "翠湖社区",
        "华山街道",
        "翠湖社区",
        "社区尚未建立党组织",
    )
