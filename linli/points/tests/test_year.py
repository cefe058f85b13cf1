"""The eleven steps (PTS-2): every transition, every refusal, undo with a reason, and what each step gates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linli.core.models import TransitionRecord
from linli.core.statemachine import TransitionError
from linli.ledger.models import Entry
from linli.points import services
from linli.points.choices import ObjectionStatus, Stage
from linli.points.models import BranchYear, NoticeLine, PublicNotice, YearResult
from linli.points.services.year import YEAR_MACHINE

from .builders import add_member, advance, day, open_year, submit


def step(pw, name, actor=None, **params):
    return services.branch_year_step(
        actor=actor or pw.community_admin_a, branch_year=pw.branch_year, name=name, **params
    )


def history(pw):
    return [r.transition for r in YEAR_MACHINE.history(pw.branch_year)]


def test_the_whole_year_walks_eleven_steps_with_a_record_each(pw):
    open_year(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    branch_year = advance(pw, Stage.DONE)
    assert branch_year.stage == Stage.DONE
    assert history(pw) == [
        "adopt_scheme",
        "close_self_assessment",
        "finish_preliminary_review",
        "confirm_assembly",
        "close_publicity",
        "register",
        "report",
        "file",
        "year_end_review",
        "propose_grades",
        "confirm_grades",
        "verify",
    ]
    records = list(YEAR_MACHINE.history(branch_year))
    assert [r.actor_name for r in records] == ["community_admin_a"] * 7 + [
        "street_admin",
        "community_admin_a",
        "community_admin_a",
        "street_admin",
        "street_admin",
    ]
    assert records[-1].data["clean"] is True
    assert records[0].data["schemes"]["community"]["version"] == 1


def test_opening_needs_a_published_scheme_for_every_class_in_the_branch(pw):
    add_member(pw.world, "周敏", category="government")
    from linli.points.models import Scheme

    Scheme.objects.filter(year=pw.year, member_class="government").update(status="superseded")
    with pytest.raises(ValidationError, match=f"{pw.year}年机关党员积分细则尚未发布，不能开始党员自评"):
        open_year(pw)
    assert BranchYear.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("finish_preliminary_review", Stage.SELF_ASSESSMENT),
        ("confirm_assembly", Stage.SELF_ASSESSMENT),
        ("register", Stage.SELF_ASSESSMENT),
        ("close_publicity", Stage.PRELIMINARY_REVIEW),
        ("propose_grades", Stage.PRELIMINARY_REVIEW),
    ],
)
def test_a_step_cannot_be_skipped(pw, name, stage):
    advance(pw, stage)
    with pytest.raises(
        TransitionError, match=f"当前处于「{Stage(stage).label}」，不能执行.*各步骤须依次进行"
    ):
        step(pw, name)
    assert pw.branch_year.stage == stage


def test_verify_cannot_be_skipped_to(pw):
    advance(pw, Stage.FILING)
    with pytest.raises(TransitionError, match="不能执行「积分核查」"):
        services.branch_year_step(actor=pw.street_admin, branch_year=pw.branch_year, name="verify")


# Every step with someone who may not take it: the other role of the process, a colleague next door,
# the street of another district area, and the member.
WRONG_ROLES = [
    (Stage.SELF_ASSESSMENT, "close_self_assessment", ["street_admin", "community_admin_a2", "member_user_a"]),
    (Stage.PRELIMINARY_REVIEW, "finish_preliminary_review", ["street_admin", "community_admin_b"]),
    (Stage.PRELIMINARY_REVIEW, "reopen_self_assessment", ["street_admin", "district_admin"]),
    (Stage.ASSEMBLY, "confirm_assembly", ["street_admin", "district_admin"]),
    (Stage.ASSEMBLY, "reopen_preliminary_review", ["street_admin"]),
    (Stage.PUBLICITY, "close_publicity", ["street_admin", "community_admin_a2"]),
    (Stage.PUBLICITY, "withdraw_publicity", ["street_admin"]),
    (Stage.REGISTRATION, "register", ["street_admin", "district_admin"]),
    (Stage.REPORTING, "report", ["street_admin", "member_user_a"]),
    (Stage.FILING, "file", ["community_admin_a", "street_admin_b", "district_admin"]),
    (Stage.FILING, "return_report", ["community_admin_a", "street_admin_b"]),
    (Stage.YEAR_END_REVIEW, "year_end_review", ["street_admin", "community_admin_b"]),
    (Stage.GRADING, "propose_grades", ["street_admin", "district_admin"]),
    (Stage.GRADE_CONFIRMATION, "confirm_grades", ["community_admin_a", "street_admin_b"]),
    (Stage.GRADE_CONFIRMATION, "return_grades", ["community_admin_a"]),
    (Stage.VERIFICATION, "verify", ["community_admin_a", "street_admin_b", "member_user_a"]),
]


@pytest.mark.parametrize(("stage", "name", "wrong"), WRONG_ROLES)
def test_a_step_by_the_wrong_role_is_refused_and_changes_nothing(pw, stage, name, wrong):
    advance(pw, stage)
    before = TransitionRecord.objects.count()
    for persona in wrong:
        actor = pw.users.get(persona) or getattr(pw.world, persona)
        with pytest.raises(PermissionDenied):
            step(
                pw,
                name,
                actor=actor,
                note="试图越权",
                review_date=day(12, 20),
                meeting_date=day(12, 1),
                expected=4,
                attended=4,
            )
    assert (pw.branch_year.stage, TransitionRecord.objects.count()) == (stage, before)


def test_every_transition_of_the_table_is_tested_for_the_wrong_role():
    tested = {name for _stage, name, _wrong in WRONG_ROLES}
    assert tested | {"adopt_scheme", "verify_failed"} == {t.name for t in YEAR_MACHINE.transitions}


def test_opening_the_year_by_the_wrong_role_is_refused(pw):
    for actor in (pw.street_admin, pw.community_admin_b, pw.member_user_a):
        with pytest.raises(PermissionDenied):
            services.branch_year_open(actor=actor, branch=pw.branch_a, year=pw.year)
    assert BranchYear.objects.count() == 0


def test_district_admin_may_verify(pw):
    advance(pw, Stage.VERIFICATION)
    step(pw, "verify", actor=pw.district_admin)
    assert pw.branch_year.stage == Stage.DONE


def test_finishing_the_preliminary_review_needs_no_pending_claims(pw):
    open_year(pw)
    submit(pw)
    step(pw, "close_self_assessment")
    with pytest.raises(ValidationError, match="还有1条自评申报待初评，请先审核"):
        step(pw, "finish_preliminary_review")
    assert pw.branch_year.stage == Stage.PRELIMINARY_REVIEW


def test_undo_needs_a_reason_and_is_recorded(pw):
    advance(pw, Stage.PRELIMINARY_REVIEW)
    with pytest.raises(TransitionError, match="执行「重新开放党员自评」必须填写原因"):
        step(pw, "reopen_self_assessment")
    step(pw, "reopen_self_assessment", note="部分党员外出未及时申报")
    record = YEAR_MACHINE.history(pw.branch_year).last()
    assert (pw.branch_year.stage, record.transition, record.note) == (
        Stage.SELF_ASSESSMENT,
        "reopen_self_assessment",
        "部分党员外出未及时申报",
    )


def test_the_assembly_records_the_meeting_and_freezes_totals_in_a_notice(pw):
    open_year(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    advance(pw, Stage.ASSEMBLY)
    step(
        pw,
        "confirm_assembly",
        meeting_date=day(12, 1),
        expected=4,
        attended=3,
        publicity_start=day(12, 2),
        contact="社区党群服务中心 0871-1234567",
    )
    branch_year = pw.branch_year
    notice = PublicNotice.objects.get()
    lines = list(NoticeLine.objects.filter(notice=notice).order_by("position"))
    assert (branch_year.assembly_date, branch_year.assembly_expected, branch_year.assembly_attended) == (
        day(12, 1),
        4,
        3,
    )
    assert (notice.start_date, notice.working_days, notice.contact) == (
        day(12, 2),
        5,
        "社区党群服务中心 0871-1234567",
    )
    assert [(line.member.person.name, line.total, line.entry_count) for line in lines] == [
        ("李建国", Decimal("2.00"), 1),
        ("钱志强", Decimal("0.00"), 0),
        ("孙丽", Decimal("0.00"), 0),
        ("赵红梅", Decimal("0.00"), 0),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"expected": 4, "attended": 2}, "未超过应到4人的半数"),
        ({"expected": 4, "attended": 5}, "实到人数须在0到应到人数之间"),
        ({"expected": 4, "attended": 3, "meeting_date": datetime.date(2999, 1, 1)}, "不能晚于今天"),
        (
            {"expected": 4, "attended": 3, "publicity_start": datetime.date(2000, 1, 1)},
            "公示不能早于党员大会",
        ),
    ],
)
def test_the_assembly_is_checked(pw, params, message):
    advance(pw, Stage.ASSEMBLY)
    with pytest.raises(ValidationError, match=message):
        step(pw, "confirm_assembly", **{"meeting_date": day(12, 1), **params})
    assert (pw.branch_year.stage, PublicNotice.objects.count()) == (Stage.ASSEMBLY, 0)


def test_publicity_cannot_close_before_its_period_ends(pw):
    advance(pw, Stage.ASSEMBLY)
    today = timezone.localdate()
    step(pw, "confirm_assembly", meeting_date=today, expected=4, attended=4, publicity_start=today)
    with pytest.raises(ValidationError, match="期满后才能结束公示"):
        step(pw, "close_publicity")


def test_withdrawing_the_notice_is_an_undo_that_marks_it_withdrawn(pw):
    advance(pw, Stage.PUBLICITY)
    step(pw, "withdraw_publicity", note="公示名单漏列一名党员")
    notice = PublicNotice.objects.get()
    assert (pw.branch_year.stage, notice.is_withdrawn, notice.withdrawn_reason) == (
        Stage.ASSEMBLY,
        True,
        "公示名单漏列一名党员",
    )


def test_objection_upheld_posts_a_correction_that_registration_counts(pw):
    advance(pw, Stage.PUBLICITY)
    notice = PublicNotice.objects.get()
    objection = services.objection_record(
        actor=pw.community_admin_a,
        notice=notice,
        member=pw.member_a,
        received_on=day(12, 3),
        content="李建国同志六月参加防汛志愿服务未计分",
        raised_by="群众",
    )
    with pytest.raises(ValidationError, match="还有1条异议未处理"):
        step(pw, "close_publicity")
    services.objection_resolve(
        actor=pw.community_admin_a,
        objection=objection,
        upheld=True,
        resolution="经核实属实，补记2分",
        correction_points="2",
    )
    step(pw, "close_publicity")
    step(pw, "register")
    objection.refresh_from_db()
    result = YearResult.objects.get(member=pw.member_a)
    assert (objection.status, objection.correction_entry.amount, objection.correction_entry.kind) == (
        ObjectionStatus.UPHELD,
        Decimal("2.00"),
        "points_objection",
    )
    assert (result.notice_total, result.corrections_total, result.registered_total) == (
        Decimal("0.00"),
        Decimal("2.00"),
        Decimal("2.00"),
    )


def test_objection_outside_the_publicity_period_is_refused(pw):
    advance(pw, Stage.PUBLICITY)
    with pytest.raises(ValidationError, match="异议须在公示期内"):
        services.objection_record(
            actor=pw.community_admin_a, notice=PublicNotice.objects.get(), received_on=day(11, 1), content="x"
        )


def test_dismissed_objection_cannot_correct_points(pw):
    advance(pw, Stage.PUBLICITY)
    objection = services.objection_record(
        actor=pw.community_admin_a,
        notice=PublicNotice.objects.get(),
        member=pw.member_a,
        received_on=day(12, 2),
        content="分数偏高",
    )
    with pytest.raises(ValidationError, match="异议不成立时不能更正积分"):
        services.objection_resolve(
            actor=pw.community_admin_a,
            objection=objection,
            upheld=False,
            resolution="不属实",
            correction_points=-1,
        )
    services.objection_resolve(
        actor=pw.community_admin_a, objection=objection, upheld=False, resolution="经核实不属实"
    )
    objection.refresh_from_db()
    assert (objection.status, Entry.objects.count()) == (ObjectionStatus.DISMISSED, 0)


def test_the_community_may_send_the_year_back_to_the_preliminary_review(pw):
    advance(pw, Stage.ASSEMBLY)
    step(pw, "reopen_preliminary_review", note="一名党员的申报需要重新审核")
    assert pw.branch_year.stage == Stage.PRELIMINARY_REVIEW
    assert history(pw)[-1] == "reopen_preliminary_review"


def test_objections_are_recorded_by_the_community_and_only_during_publicity(pw):
    advance(pw, Stage.PUBLICITY)
    notice = PublicNotice.objects.get()
    with pytest.raises(PermissionDenied):
        services.objection_record(actor=pw.street_admin, notice=notice, received_on=day(12, 2), content="x")
    step(pw, "withdraw_publicity", note="重新评定")
    with pytest.raises(ValidationError, match="该公示已撤回"):
        services.objection_record(
            actor=pw.community_admin_a, notice=notice, received_on=day(12, 2), content="x"
        )


def test_street_may_return_a_report_with_a_reason(pw):
    advance(pw, Stage.FILING)
    services.branch_year_step(
        actor=pw.street_admin, branch_year=pw.branch_year, name="return_report", note="登记表缺少签字"
    )
    assert pw.branch_year.stage == Stage.REPORTING


def test_street_may_return_grades_with_a_reason(pw):
    advance(pw, Stage.GRADE_CONFIRMATION)
    with pytest.raises(TransitionError, match="必须填写原因"):
        services.branch_year_step(actor=pw.street_admin, branch_year=pw.branch_year, name="return_grades")
    services.branch_year_step(
        actor=pw.street_admin, branch_year=pw.branch_year, name="return_grades", note="请复核"
    )
    assert pw.branch_year.stage == Stage.GRADING


def test_year_end_review_records_its_date(pw):
    advance(pw, Stage.YEAR_END_REVIEW)
    step(pw, "year_end_review", review_date=day(12, 20), note="民主评议党员大会")
    assert pw.branch_year.review_date == day(12, 20)


def test_violation_recorded_until_grading(pw):
    advance(pw, Stage.GRADE_CONFIRMATION)
    with pytest.raises(ValidationError, match="不能登记违法违纪违规"):
        services.violation_record(
            actor=pw.community_admin_a,
            member=pw.member_a,
            kind="discipline",
            occurred_on=day(5, 1),
            description="x",
        )


def test_branch_years_are_scoped_to_their_community(pw):
    open_year(pw)
    assert list(BranchYear.objects.visible_to(pw.community_admin_a)) == [pw.branch_year]
    assert list(BranchYear.objects.visible_to(pw.community_admin_b)) == []
    assert list(BranchYear.objects.visible_to(pw.member_user_a)) == [pw.branch_year]
    assert list(BranchYear.objects.visible_to(pw.member_user_b)) == []
