"""Automatic credits (PTS-5): the interface other areas call, tested directly."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from linli.ledger.models import Entry
from linli.points import services
from linli.points.choices import ClaimOrigin, ClaimStatus, Stage
from linli.points.models import BranchYear, Claim
from linli.points.services import points_auto_credit

from .builders import advance, day, open_year


def credit(pw, source, code="meeting_attendance", on=None, member=None, **kwargs):
    return points_auto_credit(
        member=member or pw.member_a, auto_code=code, source=source, occurred_on=on or day(3, 1), **kwargs
    )


def test_credit_posts_the_item_value_and_links_the_entry_to_its_source(pw):
    open_year(pw)
    source = pw.household_a1  # any saved row of another app stands for a meeting here
    result = credit(pw, source, memo="三月支部党员大会")
    claim = Claim.objects.get()
    assert (result.status, result.points, result.message) == (
        "credited",
        Decimal("1.00"),
        "已为李建国记1分（参加三会一课）。",
    )
    assert (result.entry.source_type, result.entry.source_id, result.entry.kind) == (
        "orgs.household",
        str(source.pk),
        "points_auto",
    )
    assert result.entry.memo == f"参加三会一课（{day(3, 1):%Y-%m-%d}）三月支部党员大会"
    assert (claim.origin, claim.status, claim.entry_id, claim.source_type) == (
        ClaimOrigin.AUTO,
        ClaimStatus.APPROVED,
        result.entry.pk,
        "orgs.household",
    )


def test_same_source_twice_credits_once_and_returns_the_first_entry(pw):
    open_year(pw)
    first = credit(pw, pw.household_a1)
    again = credit(pw, pw.household_a1)
    assert (again.status, again.entry.pk, again.points) == ("duplicate", first.entry.pk, Decimal("0"))
    assert (Entry.objects.count(), Claim.objects.count()) == (1, 1)


def test_same_source_for_another_member_is_a_separate_credit(pw):
    open_year(pw)
    credit(pw, pw.household_a1)
    other = credit(pw, pw.household_a1, member=pw.members[1])
    assert other.status == "credited"
    assert Entry.objects.count() == 2


def test_yearly_cap_credits_what_is_left_then_reports_capped(pw):
    open_year(pw)
    sources = [pw.household_a1, pw.household_b1, pw.building_a1, pw.grid_a1]
    results = [credit(pw, s, quantity=1) for s in sources[:2]]
    truncated = credit(pw, sources[2], quantity=3)
    capped = credit(pw, sources[3])
    assert [r.points for r in results] == [Decimal("1.00"), Decimal("1.00")]
    assert (truncated.status, truncated.points) == ("credited", Decimal("1.00"))
    assert truncated.message == "已为李建国记1分（参加三会一课，「参加三会一课」全年上限3分，应记3分）。"
    assert (capped.status, capped.entry, capped.points) == ("capped", None, Decimal("0"))
    assert capped.message == "李建国「参加三会一课」全年上限3分已满，本次不记分。"


def test_monthly_cap_counts_each_month_apart(pw):
    open_year(pw)
    sources = [pw.household_a1, pw.household_b1, pw.building_a1]
    march = [
        credit(pw, s, code="volunteering", on=day(3, d)) for s, d in zip(sources[:2], (2, 20), strict=True)
    ]
    april = credit(pw, sources[2], code="volunteering", on=day(4, 2))
    assert [r.points for r in march] == [Decimal("2.00"), Decimal("1.00")]
    assert april.points == Decimal("2.00")


def test_deducting_item_posts_a_negative_amount(pw):
    open_year(pw)
    result = credit(pw, pw.household_a1, code="meeting_absence")
    assert (result.status, result.points, result.entry.amount) == (
        "credited",
        Decimal("-2.00"),
        Decimal("-2.00"),
    )
    assert result.message == "已为李建国扣2分（无故缺席组织生活）。"


def test_exempt_member_is_skipped(pw):
    open_year(pw)
    exemption = services.exemption_apply(
        actor=pw.member_user_a, member=pw.member_a, year=pw.year, reason_kind="illness", reason="长期住院"
    )
    services.exemption_decide(actor=pw.community_admin_a, exemption=exemption, name="recommend")
    services.exemption_decide(actor=pw.street_admin, exemption=exemption, name="approve")
    result = credit(pw, pw.household_a1)
    assert (result.status, result.entry, result.message) == (
        "exempt",
        None,
        f"李建国已免于参加{pw.year}年积分活动，不记分。",
    )
    assert Entry.objects.count() == 0


def test_no_published_item_for_the_code_or_year(pw):
    open_year(pw)
    missing = credit(pw, pw.household_a1, code="pairing_help")
    other_year = credit(pw, pw.household_a1, on=datetime.date(pw.year - 1, 5, 1))
    assert (missing.status, missing.message) == (
        "no_item",
        f"{pw.year}年社区党员积分细则中没有「结对帮扶」项目。",
    )
    assert other_year.status == "no_item"
    assert Entry.objects.count() == 0


def test_credits_arrive_before_the_branch_opens_the_year(pw):
    result = credit(pw, pw.household_a1)
    assert result.status == "credited"
    assert BranchYear.objects.get(branch=pw.branch_a, year=pw.year).stage == Stage.SCHEME
    assert open_year(pw).stage == Stage.SELF_ASSESSMENT


def test_closed_once_the_preliminary_review_is_finished(pw):
    open_year(pw)
    advance(pw, "assembly")
    result = credit(pw, pw.household_a1)
    assert (result.status, result.message) == (
        "closed",
        f"复兴社区第一党支部{pw.year}年积分已进入「4 党员大会评定」，不再记入活动积分。",
    )
    assert Entry.objects.count() == 0


def test_a_duplicate_is_reported_even_after_the_window_closed(pw):
    open_year(pw)
    first = credit(pw, pw.household_a1)
    advance(pw, "assembly")
    assert credit(pw, pw.household_a1).status == "duplicate"
    assert Entry.objects.get().pk == first.entry.pk


def test_member_no_longer_on_the_roll_is_closed(pw):
    open_year(pw)
    from linli.people.models import Member

    Member.objects.filter(pk=pw.member_a.pk).update(record_state="transferred_out")
    assert credit(pw, pw.household_a1).status == "closed"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"auto_code": "unknown"}, "未知的记分代码"),
        ({"member": None}, "未知的党员"),
        ({"quantity": 0}, "次数必须是正整数"),
        ({"occurred_on": "2025-01-01"}, "发生日期必须是日期"),
    ],
)
def test_programming_errors_raise(pw, kwargs, message):
    arguments = {
        "member": pw.member_a,
        "auto_code": "meeting_attendance",
        "source": pw.household_a1,
        "occurred_on": day(3, 1),
        **kwargs,
    }
    with pytest.raises(ValidationError, match=message):
        points_auto_credit(**arguments)


def test_unsaved_source_raises(pw):
    from linli.orgs.models import Household

    with pytest.raises(ValidationError, match="来源必须是已保存的记录"):
        credit(pw, Household(grid=pw.grid_a1))
