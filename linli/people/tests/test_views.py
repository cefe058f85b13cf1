"""Registry pages: every page renders, lists cost a constant number of queries, forms refuse bad input in
Chinese and save nothing, personal data is masked unless revealed (and every reveal is audited)."""

import datetime

import pytest

from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.people.models import CadrePosition, FloatingContact, Member, Person
from linli.people.tests import registry_data
from linli.testing.world import ID_A1, ID_MEMBER_A

# Every request of a signed-in user starts with the same three queries.
SESSION_USER_GRANTS = 3


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _pages(world, registry):
    return [
        "/people/persons/",
        f"/people/persons/?q=zs&node={world.grid_a1.pk}&gender=M&age_min=18&age_max=90&tag={world.tag_low_income.pk}",
        "/people/persons/new/",
        f"/people/persons/new/?household={world.household_a1.pk}",
        f"/people/persons/{world.person_a1.pk}/",
        f"/people/persons/{world.person_a1.pk}/edit/",
        "/people/members/",
        f"/people/members/?category=retired&status=formal&branch={world.branch_a.pk}&record_state=all",
        f"/people/members/{world.member_a.pk}/",
        f"/people/members/{world.member_a.pk}/edit/",
        f"/people/persons/{world.person_a2.pk}/member/new/",
        "/people/search/?q=ljg",
        "/people/inservice/",
        f"/people/members/{world.member_a.pk}/inservice/new/",
        f"/people/inservice/{registry.inservice.pk}/",
        "/people/floating/",
        "/people/floating/?stale_days=90&direction=outflow&state=all",
        f"/people/members/{world.member_a.pk}/floating/new/",
        f"/people/floating/{registry.floating.pk}/",
        f"/people/floating/{registry.floating.pk}/edit/",
        "/people/zones/",
        f"/people/members/{world.member_a.pk}/zones/new/",
        f"/people/zones/{registry.zone.pk}/edit/",
        "/people/posts/",
        "/people/posts/?kind=duty",
        f"/people/members/{world.member_a.pk}/posts/new/",
        f"/people/posts/{registry.post.pk}/edit/",
        "/people/cadres/",
        "/people/cadres/list/?current=0",
        f"/people/cadres/community/{world.community_a.pk}/",
        f"/people/persons/{world.person_a1.pk}/positions/new/",
        f"/people/positions/{registry.cadres['secretary'].pk}/edit/",
        "/people/cards/",
        f"/people/cards/floating_activity/community/{world.community_a.pk}/",
        f"/people/members/{world.member_a.pk}/cards/floating_contact/",
    ]


def test_every_registry_page_renders_for_a_community_worker(world, registry, client):
    client.force_login(world.community_admin_a)
    for url in _pages(world, registry):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "530102198503150018" not in response.content.decode(), url


def test_pages_are_in_chinese_and_name_what_they_show(world, registry, client):
    content = _get(client, world.community_admin_a, f"/people/members/{world.member_a.pk}/").content.decode()
    for text in (
        "李建国",
        "离退休",
        "复兴社区第一党支部",
        "广东省深圳市南山区",
        "楼院卫生监督岗",
        "1栋责任区",
        "离退休党员管理卡",
    ):
        assert text in content


# ---------------------------------------------------------------------------------------------------
# Lists cost the same number of queries with one row or many


LIST_QUERIES = {
    # count, page rows, grid/community filter options, household tag options
    "/people/persons/": 4,
    # count, page rows, grid/community options, Party organisation options, tag options
    "/people/members/": 5,
    # count, page rows, their tags, their resident counts, node options, tag options
    "/orgs/households/": 6,
    # count, page rows (member, person, branch, unit, community joined), node options
    "/people/inservice/": 3,
    # count, page rows with contact and thought-report counts, node options
    "/people/floating/": 3,
    # count, page rows, their buildings, their key households, node options
    "/people/zones/": 5,
    # count, page rows, node options
    "/people/posts/": 3,
    # communities with their street, current positions in them, the secretaries and directors named
    "/people/cadres/": 3,
    # count, page rows, node options
    "/people/cadres/list/": 3,
    # count, page rows (the API has no filter options to render)
    "/api/v1/people/persons/": 2,
    "/api/v1/people/members/": 2,
}


@pytest.mark.parametrize("url", sorted(LIST_QUERIES))
def test_a_list_costs_the_same_queries_with_one_row_and_with_many(
    world, registry, client, django_assert_num_queries, url
):
    client.force_login(world.community_admin_a)
    client.get(url)  # the first request of a session also writes the session
    with django_assert_num_queries(SESSION_USER_GRANTS + LIST_QUERIES[url]):
        few = client.get(url)
    registry_data.add_many(world, count=12)
    with django_assert_num_queries(SESSION_USER_GRANTS + LIST_QUERIES[url]):
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert len(many.content) > len(few.content)


# ---------------------------------------------------------------------------------------------------
# Personal data: masked, revealed only to roles allowed, and audited


def test_detail_shows_the_masked_id_number_and_phone_only(world, client):
    content = _get(client, world.community_admin_a, f"/people/persons/{world.person_a1.pk}/").content.decode()
    assert "530102********0018" in content
    assert "138****8000" in content
    assert ID_A1 not in content
    assert "13800138000" not in content
    assert "显示完整信息" in content


def test_a_grid_worker_sees_no_reveal_control(world, client):
    content = _get(client, world.grid_worker_a1, f"/people/persons/{world.person_a1.pk}/").content.decode()
    assert "530102********0018" in content
    assert "显示完整信息" not in content


def test_revealing_shows_the_full_values_and_writes_the_audit_log(world, client):
    client.force_login(world.community_admin_a)
    response = client.post(f"/people/persons/{world.person_a1.pk}/reveal/", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert ID_A1 in content
    assert "13800138000" in content
    assert "本次查看已记入审计日志" in content
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_PII)
    assert (entry.actor_name, entry.target_type, entry.target_id) == (
        "community_admin_a",
        "people.person",
        str(world.person_a1.pk),
    )


def test_revealing_without_htmx_renders_the_whole_page(world, client):
    client.force_login(world.community_admin_a)
    response = client.post(f"/people/persons/{world.member_a.person_id}/reveal/")
    assert response.status_code == 200
    assert ID_MEMBER_A in response.content.decode()
    assert "<html" in response.content.decode()


def test_a_grid_worker_cannot_reveal_and_nothing_is_logged(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(f"/people/persons/{world.person_a1.pk}/reveal/")
    assert response.status_code == 403
    assert ID_A1 not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_PII).exists()


def test_the_member_page_masks_personal_data_too(world, client):
    content = _get(client, world.community_admin_a, f"/people/members/{world.member_a.pk}/").content.decode()
    assert "530102********0013" in content
    assert ID_MEMBER_A not in content


# ---------------------------------------------------------------------------------------------------
# Forms: errors in Chinese, nothing saved on bad input


def test_a_wrong_id_number_is_refused_in_chinese_and_nothing_is_saved(world, client):
    client.force_login(world.grid_worker_a1)
    before = Person.objects.count()
    response = client.post(
        f"/people/persons/new/?grid={world.grid_a1.pk}",
        {"node": world.grid_a1.pk, "name": "赵六", "id_number": ID_A1[:-1] + "9", "ethnicity": "汉族"},
    )
    assert response.status_code == 200
    assert "身份证号校验位错误。" in response.content.decode()
    assert Person.objects.count() == before


def test_an_id_number_already_registered_is_refused(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(
        f"/people/persons/new/?grid={world.grid_a1.pk}",
        {
            "node": world.grid_a1.pk,
            "name": "赵六",
            "id_number": ID_A1,
            "phone": "1380013",
            "ethnicity": "汉族",
        },
    )
    content = response.content.decode()
    assert "电话号码格式不正确" in content
    assert Person.objects.filter(name="赵六").count() == 0
    response = client.post(
        f"/people/persons/new/?grid={world.grid_a1.pk}",
        {"node": world.grid_a1.pk, "name": "赵六", "id_number": ID_A1, "ethnicity": "汉族"},
    )
    assert "该身份证号已登记（张*），不能重复登记。" in response.content.decode()
    assert Person.objects.filter(name="赵六").count() == 0


def test_registering_a_resident_fills_birth_date_and_gender_from_the_id_number(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(
        f"/people/persons/new/?household={world.household_a1.pk}",
        {
            "node": world.grid_a1.pk,
            "household": world.household_a1.pk,
            "relation_to_head": "spouse",
            "name": "赵六",
            "id_number": "530102199203040014",
            "phone": "13512345678",
            "ethnicity": "汉族",
            "is_resident": "on",
        },
    )
    person = Person.objects.get(name="赵六")
    assert response.status_code == 302
    assert response["Location"] == f"/people/persons/{person.pk}/"
    assert (person.birth_date, person.gender, person.id_number_masked, person.phone_masked) == (
        datetime.date(1992, 3, 4),
        "M",
        "530102********0014",
        "135****5678",
    )
    assert (person.name_pinyin, person.name_initials) == ("zhaoliu", "zl")


def test_editing_keeps_the_id_number_when_left_blank(world, client):
    client.force_login(world.grid_worker_a1)
    client.post(
        f"/people/persons/{world.person_a1.pk}/edit/",
        {"node": world.grid_a1.pk, "name": "张三", "ethnicity": "回族", "is_resident": "on"},
    )
    world.person_a1.refresh_from_db()
    assert (world.person_a1.ethnicity, world.person_a1.id_number_masked, world.person_a1.phone_masked) == (
        "回族",
        "530102********0018",
        "138****8000",
    )


def test_a_member_cannot_join_in_the_future(world, client):
    client.force_login(world.community_admin_a)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        f"/people/persons/{world.person_a2.pk}/member/new/",
        {"branch": world.branch_a.pk, "status": "probationary", "join_date": future, "category": "employed"},
    )
    assert "入党日期不能晚于今天。" in response.content.decode()
    assert not Member.objects.filter(person=world.person_a2).exists()


def test_a_second_secretary_is_refused_on_the_form(world, registry, client):
    client.force_login(world.community_admin_a)
    before = CadrePosition.objects.count()
    response = client.post(
        f"/people/persons/{world.person_a2.pk}/positions/new/",
        {"node": world.community_a.pk, "position": "secretary", "start_date": "2025-01-01"},
    )
    assert "复兴社区在此期间已有书记（张三），请先登记其离任。" in response.content.decode()
    assert CadrePosition.objects.count() == before


def test_a_contact_without_content_is_refused(world, registry, client):
    client.force_login(world.community_admin_a)
    response = client.post(
        f"/people/floating/{registry.floating.pk}/contacts/",
        {"contacted_on": "2025-01-01", "method": "phone", "content": ""},
    )
    assert response.status_code == 200
    assert "该字段是必填项。" in response.content.decode()
    assert FloatingContact.objects.count() == 1


def test_the_evaluation_letter_is_printable_for_the_employer(world, registry, client):
    client.force_login(world.community_admin_a)
    client.post(
        f"/people/inservice/{registry.inservice.pk}/evaluate/",
        {"evaluation": "积极参加社区服务，群众反映良好。", "evaluated_on": "2025-12-01"},
    )
    content = client.get(f"/people/inservice/{registry.inservice.pk}/letter/").content.decode()
    assert "在职党员进社区表现反馈函" in content
    assert "王秀英" in content
    assert "积极参加社区服务，群众反映良好。" in content
    assert "2025年12月1日" in content


def test_a_letter_without_evaluation_sends_back_to_the_form(world, registry, client):
    response = _get(client, world.community_admin_a, f"/people/inservice/{registry.inservice.pk}/letter/")
    assert response.status_code == 302
    assert response["Location"] == f"/people/inservice/{registry.inservice.pk}/"


def test_a_card_that_does_not_apply_to_the_member_is_not_found(world, client):
    response = _get(client, world.community_admin_a, f"/people/members/{world.member_a.pk}/cards/unemployed/")
    assert response.status_code == 404
    response = _get(client, world.community_admin_a, f"/people/members/{world.member_a.pk}/cards/nonsense/")
    assert response.status_code == 404


def test_a_batch_of_cards_prints_every_member_of_the_community(world, registry, client):
    registry_data.add_many(world, count=3)
    response = _get(
        client, world.community_admin_a, f"/people/cards/floating_contact/community/{world.community_a.pk}/"
    )
    content = response.content.decode()
    assert content.count('class="card linli-card-print') == 4
    assert "流动党员联系卡 · 复兴社区（4张）" in content


def test_the_card_index_redirects_to_the_chosen_batch(world, client):
    response = _get(
        client, world.community_admin_a, "/people/cards/", kind="retired", community=world.community_a.pk
    )
    assert response["Location"] == f"/people/cards/retired/community/{world.community_a.pk}/"


def test_moving_out_from_the_detail_page_needs_a_note(world, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(
        f"/people/persons/{world.person_a1.pk}/status/", {"status": "moved_out"}, follow=True
    )
    assert "请填写迁出或去世的说明。" in response.content.decode()
    world.person_a1.refresh_from_db()
    assert world.person_a1.status == "active"


def test_quick_search_answers_htmx_with_the_dropdown_only(world, client):
    client.force_login(world.community_admin_a)
    response = client.get("/people/search/", {"q": "zs"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "张三" in content
    assert "<html" not in content
    assert f'href="/people/persons/{world.person_a1.pk}/"' in content
