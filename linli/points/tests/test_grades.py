"""Grades (PTS-3): thresholds, quotas with a fixed tie-break, violations override, exemptions stand outside."""

import datetime
from decimal import Decimal

import pytest

from linli.points import services
from linli.points.choices import Grade, Stage
from linli.points.models import Scheme, YearResult
from linli.points.selectors.grades import GradeInput, grades_compute, member_grade

from .builders import advance, day, open_year


def scheme(quota=None):
    return Scheme(
        year=2025,
        member_class="community",
        version=1,
        title="测试细则",
        excellent_min=Decimal("80"),
        qualified_min=Decimal("60"),
        basic_min=Decimal("40"),
        excellent_quota_percent=quota,
    )


def member(pk, total, *, joined=(2000, 7, 1), exempt=False, violations=()):
    return GradeInput(
        member_id=pk,
        name=f"党员{pk}",
        member_class="community",
        total=Decimal(total),
        join_date=datetime.date(*joined),
        is_exempt=exempt,
        violations=list(violations),
    )


def grades(inputs, quota=None):
    return {pk: o.grade for pk, o in grades_compute(inputs, {"community": scheme(quota)}).items()}


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("80", Grade.EXCELLENT),
        ("79.5", Grade.QUALIFIED),
        ("60", Grade.QUALIFIED),
        ("59", Grade.BASIC),
        ("40", Grade.BASIC),
        ("39.99", Grade.UNQUALIFIED),
        ("-3", Grade.UNQUALIFIED),
    ],
)
def test_thresholds_decide_the_grade(total, grade):
    assert grades([member(1, total)]) == {1: grade}


def test_quota_keeps_the_highest_totals_as_excellent():
    inputs = [member(pk, total) for pk, total in [(1, 95), (2, 85), (3, 90), (4, 50), (5, 70)]]
    # 20% of 5 taking part = 1 seat.
    assert grades(inputs, quota=20) == {
        1: Grade.EXCELLENT,
        2: Grade.QUALIFIED,
        3: Grade.QUALIFIED,
        4: Grade.BASIC,
        5: Grade.QUALIFIED,
    }


def test_ties_at_the_quota_go_to_the_earlier_party_member_then_the_lower_number():
    inputs = [
        member(1, 90, joined=(2010, 7, 1)),
        member(2, 90, joined=(1995, 7, 1)),
        member(3, 90, joined=(1995, 7, 1)),
        member(4, 30),
        member(5, 30),
        member(6, 30),
        member(7, 30),
        member(8, 30),
        member(9, 30),
        member(10, 30),
    ]
    result = grades_compute(inputs, {"community": scheme(20)})
    assert [result[pk].grade for pk in (1, 2, 3)] == [Grade.QUALIFIED, Grade.EXCELLENT, Grade.EXCELLENT]
    assert [result[pk].rank for pk in (1, 2, 3)] == [3, 1, 2]
    assert result[1].lines == [
        "年度积分90分。",
        "评定标准（2025年社区党员积分细则（第1版））：优秀≥80分，合格≥60分，基本合格≥40分，低于40分为不合格。",
        "按分数线应为「优秀」。",
        "优秀名额不超过20%：参评10人，最多2人（向下取整）；按积分从高到低排名，同分者入党时间早的在前。",
        "您在达到优秀分数线的党员中排名第3。",
        "超出优秀名额，评为「合格」。",
        "评定档次：合格。",
    ]
    assert result[1].overrides == ["超出优秀名额（第3名，名额2人）"]


def test_a_violation_makes_the_member_unqualified_whatever_the_total():
    result = grades_compute(
        [member(1, 99, violations=["2025年5月1日违纪：酒后驾驶受到党内警告处分"]), member(2, 85)],
        {"community": scheme(50)},
    )
    assert (result[1].grade, result[2].grade) == (Grade.UNQUALIFIED, Grade.EXCELLENT)
    assert result[1].lines[-2:] == [
        "2025年5月1日违纪：酒后驾驶受到党内警告处分——对出现违法、违纪、违规行为的，直接认定为不合格。",
        "评定档次：不合格。",
    ]


def test_exempt_members_are_not_graded_nor_counted_for_the_quota():
    result = grades_compute(
        [member(1, 90), member(2, 85), member(3, 0, exempt=True), member(4, 10)], {"community": scheme(50)}
    )
    # 50% of 3 taking part = 1 seat.
    assert {pk: o.grade for pk, o in result.items()} == {
        1: Grade.EXCELLENT,
        2: Grade.QUALIFIED,
        3: "",
        4: Grade.UNQUALIFIED,
    }
    assert result[3].lines == ["年度积分0分。", "经党委审核免于参加本年度积分活动，不评定档次。"]


def test_without_a_published_scheme_nobody_is_graded():
    result = grades_compute([member(1, 90)], {})
    assert (result[1].grade, result[1].lines[-1]) == ("", "本年度社区党员积分细则尚未发布，暂不能评定。")


def test_proposed_grades_are_stored_with_their_explanation(pw):
    open_year(pw)
    record = lambda m, points: services.claim_record(  # noqa: E731
        actor=pw.community_admin_a,
        member=m,
        item=pw.items["help"],
        occurred_on=day(2, 1),
        description="帮扶",
        points=points,
    )
    record(pw.members[0], 5)
    record(pw.members[1], 4)
    record(pw.members[2], 2)
    services.violation_record(
        actor=pw.community_admin_a,
        member=pw.members[1],
        kind="discipline",
        occurred_on=day(6, 1),
        description="违反廉洁纪律受到警告处分",
    )
    advance(pw, Stage.GRADE_CONFIRMATION)
    results = {
        r.member.person.name: (r.registered_total, r.grade)
        for r in YearResult.objects.select_related("member__person")
    }
    # Thresholds 6/3/1 and 50% of 4 = 2 seats; nobody reaches 6.
    assert results == {
        "李建国": (Decimal("5.00"), Grade.QUALIFIED),
        "赵红梅": (Decimal("4.00"), Grade.UNQUALIFIED),
        "钱志强": (Decimal("2.00"), Grade.BASIC),
        "孙丽": (Decimal("0.00"), Grade.UNQUALIFIED),
    }
    explanation, recorded = member_grade(pw.members[0], pw.branch_year)
    assert (recorded, explanation["grade_label"], explanation["total"]) == (True, "合格", "5")


def test_before_grading_the_member_sees_a_live_estimate(pw):
    open_year(pw)
    services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["help"],
        occurred_on=day(2, 1),
        description="帮扶",
        points=5,
    )
    explanation, recorded = member_grade(pw.member_a, pw.branch_year)
    assert (recorded, explanation["grade"], explanation["rank"]) == (False, Grade.QUALIFIED, None)
