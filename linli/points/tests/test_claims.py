"""Self-reports, the community's review and corrections: every approved point is one ledger entry."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.statemachine import TransitionError
from linli.ledger.models import Account, Entry
from linli.ledger.selectors import ledger_verify
from linli.points import services
from linli.points.choices import ClaimStatus
from linli.points.models import Claim, Evidence
from linli.points.rules import StageClosed

from .builders import PDF, advance, day, evidence, open_year, submit


def balance(pw, member=None):
    member = member or pw.member_a
    account = Account.objects.filter(owner_id=member.pk, year=pw.year, currency__code="member_points").first()
    return account.balance if account else Decimal("0")


def test_member_self_reports_with_evidence_and_waits_for_review(pw):
    open_year(pw)
    claim = submit(pw)
    stored = Evidence.objects.get(claim=claim)
    assert (claim.status, claim.requested_points, claim.points, claim.entry_id) == (
        ClaimStatus.SUBMITTED,
        Decimal("2.00"),
        None,
        None,
    )
    assert (stored.original_name, stored.content_type, stored.size) == ("心得.png", "image/png", 72)
    assert balance(pw) == Decimal("0")


def test_self_report_needs_the_branch_in_self_assessment(pw):
    with pytest.raises(StageClosed, match="尚未启动党员自评"):
        submit(pw)
    advance(pw, "preliminary_review")
    with pytest.raises(StageClosed, match="当前处于「3 社区党组织初评」，不能提交自评申报"):
        submit(pw)
    assert Claim.objects.count() == 0


def test_only_the_member_themself_may_self_report(pw):
    open_year(pw)
    with pytest.raises(PermissionDenied, match="只能由党员本人操作"):
        services.claim_submit(
            actor=pw.community_admin_a,
            member=pw.member_a,
            item=pw.items["essay"],
            occurred_on=day(3, 1),
            description="代报",
            files=[evidence()],
        )
    with pytest.raises(PermissionDenied):
        services.claim_submit(
            actor=pw.member_user_b,
            member=pw.member_a,
            item=pw.items["essay"],
            occurred_on=day(3, 1),
            description="冒名",
            files=[evidence()],
        )
    assert Claim.objects.count() == 0


def test_evidence_is_required_where_the_item_says_so(pw):
    open_year(pw)
    with pytest.raises(ValidationError, match="须上传佐证材料"):
        submit(pw, files=[])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.exe", b"MZ...", "格式不支持"),
        ("伪装.png", b"GIF89a....", "内容与扩展名不符"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_evidence_type_and_content_are_checked(pw, name, content, message):
    open_year(pw)
    with pytest.raises(ValidationError, match=message):
        submit(pw, files=[evidence(name, content)])
    assert (Claim.objects.count(), Evidence.objects.count()) == (0, 0)


def test_oversized_evidence_is_refused(pw, monkeypatch):
    open_year(pw)
    monkeypatch.setattr("linli.points.services.claims.EVIDENCE_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="超过0MB"):
        submit(pw, files=[evidence("大.pdf", PDF)])


def test_items_fed_by_activities_are_not_self_reported(pw):
    open_year(pw)
    with pytest.raises(ValidationError, match="自动记分，无需申报"):
        submit(pw, "meeting", files=[])


def test_range_item_needs_points_within_its_range(pw):
    open_year(pw)
    with pytest.raises(ValidationError, match="分值须在1到5分之间"):
        submit(pw, "help", points=6, files=[])
    claim = submit(pw, "help", points="4", files=[])
    assert claim.requested_points == Decimal("4.00")


def test_approval_posts_one_entry_citing_the_claim(pw):
    open_year(pw)
    claim = services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    claim.refresh_from_db()
    entry = claim.entry
    assert (claim.status, claim.points, claim.reviewed_by_name) == (
        ClaimStatus.APPROVED,
        Decimal("2.00"),
        "community_admin_a",
    )
    assert (entry.amount, entry.kind, entry.source_type, entry.source_id, entry.idempotency_key) == (
        Decimal("2.00"),
        "points_self",
        "points.claim",
        str(claim.pk),
        f"points:claim:{claim.pk}",
    )
    assert balance(pw) == Decimal("2.00")


def test_approving_twice_is_refused_and_posts_once(pw):
    open_year(pw)
    claim = submit(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=claim)
    with pytest.raises(TransitionError, match="当前状态为「已通过」，不能执行「初评通过」"):
        services.claim_approve(actor=pw.community_admin_a, claim=claim)
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["community_admin_a2", "community_admin_b", "street_admin", "member_user_a"]
)
def test_review_by_anyone_but_the_community_is_refused(pw, persona):
    open_year(pw)
    claim = submit(pw)
    with pytest.raises(PermissionDenied):
        services.claim_approve(actor=getattr(pw.world, persona), claim=claim)
    claim.refresh_from_db()
    assert (claim.status, Entry.objects.count()) == (ClaimStatus.SUBMITTED, 0)


def test_reject_needs_a_reason_and_posts_nothing(pw):
    open_year(pw)
    claim = submit(pw)
    with pytest.raises(ValidationError, match="不予通过须填写原因"):
        services.claim_reject(actor=pw.community_admin_a, claim=claim, reason=" ")
    services.claim_reject(actor=pw.community_admin_a, claim=claim, reason="佐证材料与事项不符")
    claim.refresh_from_db()
    assert (claim.status, claim.review_note, Entry.objects.count()) == (
        ClaimStatus.REJECTED,
        "佐证材料与事项不符",
        0,
    )


def test_adjust_posts_the_adjusted_amount_within_the_range(pw):
    open_year(pw)
    claim = submit(pw, "help", points=5, files=[])
    with pytest.raises(ValidationError, match="调整后的分值须在1到5分之间"):
        services.claim_adjust(actor=pw.community_admin_a, claim=claim, points=7, reason="过高")
    services.claim_adjust(actor=pw.community_admin_a, claim=claim, points="3", reason="帮扶时长较短")
    claim.refresh_from_db()
    assert (claim.status, claim.points, claim.entry.amount, balance(pw)) == (
        ClaimStatus.ADJUSTED,
        Decimal("3.00"),
        Decimal("3.00"),
        Decimal("3.00"),
    )


def test_member_may_withdraw_a_pending_claim_but_not_an_approved_one(pw):
    open_year(pw)
    pending, approved = submit(pw), submit(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=approved)
    services.claim_withdraw(actor=pw.member_user_a, claim=pending)
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.WITHDRAWN
    with pytest.raises(TransitionError, match="不能执行「撤回申报」"):
        services.claim_withdraw(actor=pw.member_user_a, claim=approved)
    with pytest.raises(PermissionDenied):
        services.claim_withdraw(actor=pw.member_user_b, claim=submit(pw))


def test_yearly_cap_truncates_the_last_approval_and_refuses_the_next(pw):
    open_year(pw)
    claims = [submit(pw, on=day(m, 1)) for m in (2, 3, 4)]
    extra = services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["speech"],
        occurred_on=day(1, 5),
        description="x",
    )
    assert extra.points == Decimal("3.00")
    # 撰写学习心得: 2 points each, at most 6 a year.
    for claim in claims:
        services.claim_approve(actor=pw.community_admin_a, claim=claim)
    assert balance(pw) == Decimal("9.00")
    services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["help"],
        occurred_on=day(5, 1),
        description="y",
        points=1,
    )
    with pytest.raises(ValidationError, match="全年上限6分已满，不能再申报"):
        submit(pw, on=day(6, 1))


def test_cap_truncation_marks_the_claim_adjusted_with_the_reason(pw):
    open_year(pw)
    first, second = (
        submit(pw, "help", points=5, on=day(1, 10), files=[]),
        submit(pw, "help", points=5, on=day(2, 10), files=[]),
    )
    services.claim_approve(actor=pw.community_admin_a, claim=first)
    services.claim_approve(actor=pw.community_admin_a, claim=second)
    second.refresh_from_db()
    assert (second.status, second.points) == (ClaimStatus.ADJUSTED, Decimal("3.00"))
    assert second.review_note == "超出「帮扶困难群众」每季度上限8分，按剩余额度记3分"


def test_quarter_cap_starts_again_next_quarter(pw):
    open_year(pw)
    for month in (1, 3, 4):
        services.claim_approve(
            actor=pw.community_admin_a, claim=submit(pw, "help", points=5, on=day(month, 2), files=[])
        )
    assert [c.points for c in Claim.objects.order_by("occurred_on")] == [
        Decimal("5.00"),
        Decimal("3.00"),
        Decimal("5.00"),
    ]


def test_per_occurrence_cap_limits_one_claim(pw):
    open_year(pw)
    claim = services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["speech"],
        occurred_on=day(3, 3),
        description="两场宣讲",
        quantity=1,
    )
    assert claim.points == Decimal("3.00")
    with pytest.raises(ValidationError, match="每次上限4分：最多还可记4分"):
        services.claim_record(
            actor=pw.community_admin_a,
            member=pw.member_a,
            item=pw.items["speech"],
            occurred_on=day(3, 4),
            description="两场宣讲",
            quantity=2,
        )


def test_community_records_a_deduction(pw):
    open_year(pw)
    claim = services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["absence"],
        occurred_on=day(4, 1),
        description="四月支部党员大会无故缺席",
    )
    assert (claim.points, claim.entry.amount, balance(pw)) == (
        Decimal("-2.00"),
        Decimal("-2.00"),
        Decimal("-2.00"),
    )


def test_award_below_district_is_set_by_the_branch_within_the_range(pw):
    open_year(pw)
    claim = services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["award"],
        occurred_on=day(6, 1),
        description="获评街道优秀志愿者",
        points=3,
    )
    assert claim.points == Decimal("3.00")


def test_correction_reverses_the_entry_and_posts_the_corrected_amount(pw):
    open_year(pw)
    claim = services.claim_approve(actor=pw.community_admin_a, claim=submit(pw, "help", points=5, files=[]))
    original = Claim.objects.get(pk=claim.pk).entry
    services.claim_correct(actor=pw.community_admin_a, claim=claim, points=2, reason="核实后帮扶仅一次")
    claim.refresh_from_db()
    reversal = Entry.objects.get(reverses=original)
    assert (claim.status, claim.points, claim.entry.amount, claim.entry.kind) == (
        ClaimStatus.ADJUSTED,
        Decimal("2.00"),
        Decimal("2.00"),
        "points_correction",
    )
    assert (reversal.amount, reversal.memo) == (Decimal("-5.00"), f"冲正#{original.seq}：核实后帮扶仅一次")
    assert [e.amount for e in Entry.objects.order_by("seq")] == [
        Decimal("5.00"),
        Decimal("-5.00"),
        Decimal("2.00"),
    ]
    assert balance(pw) == Decimal("2.00")
    assert ledger_verify().anomalies == []


def test_correction_to_zero_revokes_the_claim(pw):
    open_year(pw)
    claim = services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    services.claim_correct(actor=pw.community_admin_a, claim=claim, points=0, reason="重复申报")
    claim.refresh_from_db()
    assert (claim.status, claim.points, balance(pw)) == (
        ClaimStatus.REVOKED,
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_corrections_close_with_the_preliminary_review(pw):
    open_year(pw)
    claim = services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    advance(pw, "assembly")
    with pytest.raises(StageClosed, match="当前处于「4 党员大会评定」，不能更正积分"):
        services.claim_correct(actor=pw.community_admin_a, claim=claim, points=0, reason="x")
    assert balance(pw) == Decimal("2.00")


def test_bulk_approval_is_all_or_nothing_and_names_each_problem(pw):
    open_year(pw)
    claims = [submit(pw, on=day(m, 1)) for m in (1, 2, 3, 4)]
    # Four essays at 2 points against a yearly cap of 6: the fourth finds the cap full.
    with pytest.raises(ValidationError) as refused:
        services.claims_review_bulk(actor=pw.community_admin_a, claims=claims, action="approve")
    assert refused.value.messages == [
        "本批4条均未处理，原因如下：",
        "李建国「撰写学习心得」（04-01）：「撰写学习心得」全年上限6分已满，不能通过；请以「已达上限」为由不予通过。",
    ]
    assert (Entry.objects.count(), set(Claim.objects.values_list("status", flat=True))) == (0, {"submitted"})
    assert services.claims_review_bulk(actor=pw.community_admin_a, claims=claims[:3], action="approve") == 3
    assert balance(pw) == Decimal("6.00")


def test_bulk_reject_and_adjust_need_a_reason(pw):
    open_year(pw)
    claims = [submit(pw, "help", points=4, on=day(m, 1), files=[]) for m in (1, 5)]
    with pytest.raises(ValidationError, match="调整分值须填写原因"):
        services.claims_review_bulk(actor=pw.community_admin_a, claims=claims, action="adjust", points=2)
    services.claims_review_bulk(
        actor=pw.community_admin_a, claims=claims, action="adjust", points=2, reason="按实际"
    )
    assert [c.points for c in Claim.objects.order_by("pk")] == [Decimal("2.00"), Decimal("2.00")]
