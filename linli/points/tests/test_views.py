"""The points pages: what each shows and does, scoped lists, evidence served only through its view, exports."""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from openpyxl import load_workbook

from linli.points import services
from linli.points.choices import ClaimStatus, Stage
from linli.points.models import Claim, Evidence, Scheme

from .builders import PNG, add_member, advance, day, evidence, open_year, submit


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_member_page_shows_total_entries_pending_claims_and_grade(pw, client):
    open_year(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    submit(pw, "help", points=4, files=[])
    page = login(client, pw.member_user_a).get(f"/points/me/?year={pw.year}").content.decode()
    assert 'data-testid="points-total">2<' in page
    assert f"撰写学习心得（{day(3, 15):%Y-%m-%d}）" in page
    assert "待初评的申报（1）" in page
    assert "帮扶困难群众" in page
    assert "评定档次：基本合格。" in page
    assert "预估，以评定格次为准" in page


def test_self_report_form_uploads_evidence_and_returns_to_the_member_page(pw, client):
    open_year(pw)
    upload = evidence("学习笔记.png", PNG)
    response = login(client, pw.member_user_a).post(
        f"/points/me/report/?year={pw.year}",
        {
            "year": pw.year,
            "item": pw.items["essay"].pk,
            "occurred_on": day(5, 4).isoformat(),
            "description": "五四青年节专题学习心得",
            "quantity": 1,
            "evidence": [upload],
        },
    )
    claim = Claim.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/points/me/?year={pw.year}")
    assert (claim.status, claim.evidence.get().original_name) == (ClaimStatus.SUBMITTED, "学习笔记.png")


def test_self_report_errors_from_the_service_appear_on_the_form(pw, client):
    open_year(pw)
    response = login(client, pw.member_user_a).post(
        f"/points/me/report/?year={pw.year}",
        {
            "year": pw.year,
            "item": pw.items["essay"].pk,
            "occurred_on": day(5, 4).isoformat(),
            "description": "x",
            "quantity": 1,
        },
    )
    assert response.status_code == 200
    assert "「撰写学习心得」须上传佐证材料。" in response.content.decode()
    assert Claim.objects.count() == 0


def test_evidence_is_served_only_through_the_scoped_view(pw, client):
    open_year(pw)
    claim = submit(pw)
    file = Evidence.objects.get(claim=claim)
    response = login(client, pw.member_user_a).get(f"/points/evidence/{file.pk}/")
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    assert b"".join(response.streaming_content) == PNG
    detail = client.get(f"/points/claims/{claim.pk}/").content.decode()
    assert f"/points/evidence/{file.pk}/" in detail
    assert "/media/" not in detail
    assert login(client, pw.member_user_b).get(f"/points/evidence/{file.pk}/").status_code == 404


def test_review_queue_filters_by_category_and_hides_other_communities(pw, client):
    open_year(pw)
    submit(pw)
    submit(pw, "help", points=2, files=[])
    page = login(client, pw.community_admin_a).get("/points/review/?category=exemplary").content.decode()
    assert "帮扶困难群众" in page
    assert "撰写学习心得" not in page
    other = login(client, pw.community_admin_b).get("/points/review/").content.decode()
    assert "李建国" not in other
    assert "没有符合条件的申报" in other


def test_bulk_approve_from_the_queue(pw, client):
    open_year(pw)
    claims = [submit(pw, on=day(m, 1)) for m in (1, 2)]
    response = login(client, pw.community_admin_a).post(
        "/points/review/bulk/",
        {"claims": [c.pk for c in claims], "action": "approve", "query": "status=submitted"},
    )
    assert (response.status_code, response["Location"]) == (302, "/points/review/?status=submitted")
    assert messages_of(response) == ["已通过2条申报。"]
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.APPROVED}


def test_bulk_refusal_lists_each_problem_and_changes_nothing(pw, client):
    open_year(pw)
    claims = [submit(pw, on=day(m, 1)) for m in (1, 2)]
    response = login(client, pw.community_admin_a).post(
        "/points/review/bulk/", {"claims": [c.pk for c in claims], "action": "reject", "reason": ""}
    )
    assert messages_of(response)[0] == "本批2条均未处理，原因如下："
    assert len(messages_of(response)) == 3
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.SUBMITTED}


def test_a_skipped_step_is_refused_with_its_reason_on_the_page(pw, client):
    branch_year = open_year(pw)
    response = login(client, pw.community_admin_a).post(f"/points/years/{branch_year.pk}/step/register/", {})
    assert messages_of(response) == ["当前处于「2 党员自评」，不能执行「登记」；各步骤须依次进行。"]
    branch_year.refresh_from_db()
    assert branch_year.stage == Stage.SELF_ASSESSMENT


def test_the_assembly_step_from_the_year_page_publishes_the_notice(pw, client):
    branch_year = advance(pw, Stage.ASSEMBLY)
    response = login(client, pw.community_admin_a).post(
        f"/points/years/{branch_year.pk}/step/confirm_assembly/",
        {
            "meeting_date": day(12, 1),
            "expected": 4,
            "attended": 4,
            "publicity_start": day(12, 2),
            "note": "全体到会",
        },
    )
    branch_year.refresh_from_db()
    assert messages_of(response) == ["已完成「党员大会评定，发布公示」。"]
    assert (branch_year.stage, branch_year.assembly_attended) == (Stage.PUBLICITY, 4)


def test_the_notice_masks_names_and_shows_the_period(pw, client):
    advance(pw, Stage.PUBLICITY)
    notice = pw.branch_year.notices.get()
    page = login(client, pw.member_user_a).get(f"/points/notices/{notice.pk}/").content.decode()
    assert "李*国" in page
    assert "李建国" not in page
    assert f"公示期：{notice.start_date.year}年{notice.start_date.month}月{notice.start_date.day}日至" in page
    assert "登记异议" not in page


def test_year_export_masks_id_numbers_and_defuses_formulas(pw, client):
    add_member(pw.world, "=HYPERLINK(1)")
    branch_year = open_year(pw)
    response = login(client, pw.community_admin_a).get(f"/points/years/{branch_year.pk}/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [r[1] for r in rows[1:]]
    assert rows[0][:5] == ("序号", "姓名", "身份证号", "党员分类", "当前积分")
    assert "'=HYPERLINK(1)" in names
    assert ("李建国", "530102********0013") in [(r[1], r[2]) for r in rows[1:]]


def test_member_api_returns_balance_entries_and_grade(pw, client):
    open_year(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    data = login(client, pw.member_user_a).get(f"/api/v1/points/me/?year={pw.year}").json()
    assert (data["balance"], data["stage"], len(data["entries"]), data["entries"][0]["amount"]) == (
        "2",
        "self_assessment",
        1,
        "2",
    )
    assert data["grade"]["grade"] == "basic"


def test_filed_page_counts_grades_per_branch(pw, client):
    advance(pw, Stage.VERIFICATION)
    page = login(client, pw.street_admin).get(f"/points/filed/?year={pw.year}").content.decode()
    assert "复兴社区第一党支部" in page
    assert "11 积分核查" in page
    assert (
        login(client, pw.users["street_admin_b"])
        .get(f"/points/filed/?year={pw.year}")
        .content.decode()
        .count("复兴社区第一党支部")
        == 0
    )


def test_scheme_editor_creates_adds_an_item_and_publishes(world, client):
    login(client, world.district_admin)
    response = client.post(
        "/points/schemes/new/",
        {
            "year": 2031,
            "member_class": "government",
            "title": "2031年机关党员积分细则",
            "excellent_min": "85",
            "qualified_min": "60",
            "basic_min": "45",
            "excellent_quota_percent": "15",
            "publicity_days": "7",
        },
    )
    scheme = Scheme.objects.get()
    assert response["Location"] == f"/points/schemes/{scheme.pk}/"
    client.post(
        f"/points/schemes/{scheme.pk}/items/new/",
        {
            "category": "duty",
            "name": "在职党员进社区服务",
            "direction": "add",
            "default_points": "2",
            "cap_points": "20",
            "cap_period": "year",
            "auto_code": "inservice_service",
            "sort_order": "1",
        },
    )
    client.post(f"/points/schemes/{scheme.pk}/publish/")
    scheme.refresh_from_db()
    item = scheme.items.get()
    assert (scheme.status, scheme.excellent_quota_percent, item.cap_points, item.auto_code) == (
        "published",
        15,
        Decimal("20.00"),
        "inservice_service",
    )


@pytest.mark.parametrize("rows", [2, 6])
def test_review_queue_query_count_does_not_grow_with_rows(pw, client, django_assert_num_queries, rows):
    open_year(pw)
    for n in range(rows):
        submit(pw, "help", points=1, on=day(1 + n, 2), files=[evidence()])
    login(client, pw.community_admin_a)
    client.get("/points/review/")  # warm the session and content-type caches
    # 1 session, 2 user, 3 role grants (scope), 4 branches for the filter, 5 branch years in scope,
    # 6 count, 7 page of claims with member, person, item and branch joined, 8 their evidence.
    with django_assert_num_queries(8):
        assert client.get("/points/review/").status_code == 200


@pytest.mark.parametrize("claims", [1, 5])
def test_year_view_query_count_does_not_grow_with_members_or_claims(
    pw, client, django_assert_num_queries, claims
):
    branch_year = open_year(pw)
    for n in range(claims):
        services.claim_record(
            actor=pw.community_admin_a,
            member=pw.members[n % 4],
            item=pw.items["help"],
            occurred_on=day(n + 1, 3),
            description="帮扶",
            points=1,
        )
    login(client, pw.community_admin_a)
    client.get(f"/points/years/{branch_year.pk}/")
    # 1 session, 2 user, 3 grants, 4 the branch year, 5 its transition records, 6 members, 7 balances,
    # 8 claim counts, 9 exemptions, 10 violations per member, 11 notice lines, 12 results, 13 current notice,
    # 14 violations listed, 15 open exemptions, 16 members for the violation form (rendered by the template).
    with django_assert_num_queries(16):
        assert client.get(f"/points/years/{branch_year.pk}/").status_code == 200


@pytest.mark.parametrize("extra", [0, 4])
def test_notice_query_count_does_not_grow_with_the_list(pw, client, django_assert_num_queries, extra):
    for n in range(extra):
        add_member(pw.world, f"新党员{n}")
    advance(pw, Stage.PUBLICITY)
    notice = pw.branch_year.notices.get()
    login(client, pw.member_user_a)
    client.get(f"/points/notices/{notice.pk}/")
    # 1 session, 2 user, 3 grants, 4 member and household of the signed-in member (scope), 5 the notice
    # with branch and node, 6 the lines with members and persons.
    with django_assert_num_queries(6):
        assert client.get(f"/points/notices/{notice.pk}/").status_code == 200


def test_year_summary_api_gives_each_members_stage(pw, client):
    branch_year = open_year(pw)
    submit(pw)
    data = login(client, pw.community_admin_a).get(f"/api/v1/points/years/{branch_year.pk}/").json()
    assert (data["stage"], data["stage_label"]) == ("self_assessment", "2 党员自评")
    assert [(m["name"], m["total"], m["stage"]) for m in data["members"]] == [
        ("李建国", "0", "待初评1条"),
        ("钱志强", "0", "暂无积分事项"),
        ("孙丽", "0", "暂无积分事项"),
        ("赵红梅", "0", "暂无积分事项"),
    ]


def test_the_year_page_never_offers_a_failed_verification_as_a_button(pw, client):
    branch_year = advance(pw, Stage.VERIFICATION)
    page = login(client, pw.street_admin).get(f"/points/years/{branch_year.pk}/").content.decode()
    assert f"/points/years/{branch_year.pk}/step/verify/" in page
    assert "step/verify_failed/" not in page


def test_year_list_shows_only_branches_in_scope_and_offers_to_open_the_rest(pw, client):
    open_year(pw)
    own = login(client, pw.community_admin_a).get(f"/points/years/?year={pw.year}").content.decode()
    assert "复兴社区第一党支部" in own
    assert "金碧社区第一党支部" not in own
    other = login(client, pw.community_admin_b).get(f"/points/years/?year={pw.year}").content.decode()
    assert "复兴社区第一党支部" not in other
    assert "尚未启动" in other
    assert "金碧社区第一党支部" in other
