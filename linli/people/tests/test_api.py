"""The registry API: the same scope and filters as the pages, masked personal data only."""

from linli.testing.world import ID_A1, ID_MEMBER_A


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_persons_are_listed_with_masked_personal_data(world, client):
    data = _get(client, world.community_admin_a, "/api/v1/people/persons/").json()
    assert data["count"] == 3
    assert [
        (p["name"], p["id_number_masked"], p["phone_masked"], p["is_member"]) for p in data["results"]
    ] == [
        ("李建国", "530102********0013", "136****6000", True),
        ("单田芳", "530102********0029", "139****9000", False),
        ("张三", "530102********0018", "138****8000", False),
    ]
    flat = str(data)
    assert ID_A1 not in flat and ID_MEMBER_A not in flat
    assert "encrypted" not in flat and "hash" not in flat


def test_the_person_list_takes_the_page_filters_and_search(world, client):
    data = _get(client, world.district_admin, "/api/v1/people/persons/", q="stf").json()
    assert [p["name"] for p in data["results"]] == ["单田芳"]
    data = _get(client, world.district_admin, "/api/v1/people/persons/", tag=world.tag_elderly.pk).json()
    assert [p["name"] for p in data["results"]] == ["曾小红"]


def test_a_person_detail_names_the_household(world, client):
    data = _get(client, world.resident_a1, f"/api/v1/people/persons/{world.person_a1.pk}/").json()
    assert (data["name"], data["household_label"], data["node_name"], data["gender_display"]) == (
        "张三",
        "1栋1单元101",
        "复兴一网格",
        "男",
    )


def test_members_list_and_detail(world, client):
    data = _get(client, world.district_admin, "/api/v1/people/members/", category="unemployed").json()
    assert [(m["name"], m["category_display"], m["branch_name"]) for m in data["results"]] == [
        ("王秀英", "下岗失业", "金碧社区第一党支部")
    ]
    detail = _get(client, world.member_user_a, f"/api/v1/people/members/{world.member_a.pk}/").json()
    assert (detail["name"], detail["join_date"], detail["status_display"], detail["id_number_masked"]) == (
        "李建国",
        "1995-07-01",
        "正式党员",
        "530102********0013",
    )


def test_search_returns_members_and_residents(world, client):
    data = _get(client, world.community_admin_a, "/api/v1/people/search/", q="zs").json()
    assert data["results"] == [
        {
            "name": "张三",
            "is_member": False,
            "place": "复兴一网格",
            "id_number_masked": "530102********0018",
            "phone_masked": "138****8000",
            "detail": "居民",
            "url": f"/people/persons/{world.person_a1.pk}/",
        }
    ]


def test_a_person_out_of_scope_is_not_found_like_a_missing_one(world, client):
    assert (
        _get(client, world.community_admin_b, f"/api/v1/people/persons/{world.person_a1.pk}/").status_code
        == 404
    )
    assert _get(client, world.community_admin_b, "/api/v1/people/persons/999999/").status_code == 404


def test_the_api_refuses_roles_without_the_permission_in_chinese(world, client):
    response = _get(client, world.sysadmin, "/api/v1/people/members/")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权使用此功能。"}
