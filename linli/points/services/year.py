"""The eleven steps (PTS-2) as one state machine on the branch's year, and what each step does.

One table (`YEAR_MACHINE`) says which step follows which and who may take it; `branch_year_step`
checks the role, then the step's own conditions, does the step's work (the 公示 snapshot, the
register, the grades, the verification) and records the transition with its data, all at once.
Undoing a step is a transition too, and needs a reason.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from linli.core import clock
from linli.core.models import TransitionRecord
from linli.core.shortcuts import require_perm_at
from linli.core.statemachine import StateMachine, TransitionError, transition
from linli.ledger.models import Account
from linli.orgs.models import PartyOrg
from linli.people.choices import PointsClass, RecordState
from linli.people.models import Member

from ..choices import ClaimStatus, ExemptionStatus, ObjectionStatus, Stage
from ..models import BranchYear, Claim, Exemption, NoticeLine, Objection, PublicNotice, YearResult
from ..selectors.grades import branch_year_grades, schemes_in_force
from ..selectors.integrity import branch_year_integrity, current_notice, notice_digest
from ..util import cn_date, fmt
from .common import branch_year_get, lock_branch_year, member_account, member_points_currency, publicity_end

S = Stage
YEAR_MACHINE = StateMachine(
    name="points_year",
    state_field="stage",
    states=Stage,
    transitions=[
        transition(
            "adopt_scheme", "启用积分细则，开始党员自评", S.SCHEME, S.SELF_ASSESSMENT, "points.run_year"
        ),
        transition(
            "close_self_assessment",
            "结束党员自评",
            S.SELF_ASSESSMENT,
            S.PRELIMINARY_REVIEW,
            "points.run_year",
        ),
        transition(
            "finish_preliminary_review",
            "完成社区党组织初评",
            S.PRELIMINARY_REVIEW,
            S.ASSEMBLY,
            "points.run_year",
        ),
        transition("confirm_assembly", "党员大会评定，发布公示", S.ASSEMBLY, S.PUBLICITY, "points.run_year"),
        transition("close_publicity", "公示期满", S.PUBLICITY, S.REGISTRATION, "points.run_year"),
        transition("register", "登记", S.REGISTRATION, S.REPORTING, "points.run_year"),
        transition("report", "上报街道党工委", S.REPORTING, S.FILING, "points.run_year"),
        transition("file", "备案", S.FILING, S.YEAR_END_REVIEW, "points.file"),
        transition("year_end_review", "年底评议", S.YEAR_END_REVIEW, S.GRADING, "points.run_year"),
        transition("propose_grades", "评定格次", S.GRADING, S.GRADE_CONFIRMATION, "points.run_year"),
        transition("confirm_grades", "确认格次", S.GRADE_CONFIRMATION, S.VERIFICATION, "points.file"),
        transition("verify", "积分核查", S.VERIFICATION, S.DONE, "points.verify"),
        transition("verify_failed", "积分核查未通过", S.VERIFICATION, S.VERIFICATION, "points.verify"),
        # Undoing a step: a recorded transition with a reason.
        transition(
            "reopen_self_assessment",
            "重新开放党员自评",
            S.PRELIMINARY_REVIEW,
            S.SELF_ASSESSMENT,
            "points.run_year",
            is_undo=True,
        ),
        transition(
            "reopen_preliminary_review",
            "退回社区初评",
            S.ASSEMBLY,
            S.PRELIMINARY_REVIEW,
            "points.run_year",
            is_undo=True,
        ),
        transition(
            "withdraw_publicity", "撤回公示", S.PUBLICITY, S.ASSEMBLY, "points.run_year", is_undo=True
        ),
        transition("return_report", "退回上报", S.FILING, S.REPORTING, "points.file", is_undo=True),
        transition("return_grades", "退回格次", S.GRADE_CONFIRMATION, S.GRADING, "points.file", is_undo=True),
    ],
)

# The eleven steps, each completed by one transition (step 10 is proposed by the community, confirmed by the street).
STEPS: list[tuple[int, str, str, Stage]] = [
    (1, "制定积分细则", "adopt_scheme", S.SCHEME),
    (2, "党员自评", "close_self_assessment", S.SELF_ASSESSMENT),
    (3, "社区党组织初评", "finish_preliminary_review", S.PRELIMINARY_REVIEW),
    (4, "党员大会评定", "confirm_assembly", S.ASSEMBLY),
    (5, "公示", "close_publicity", S.PUBLICITY),
    (6, "登记", "register", S.REGISTRATION),
    (7, "上报", "report", S.REPORTING),
    (8, "备案", "file", S.FILING),
    (9, "年底评议", "year_end_review", S.YEAR_END_REVIEW),
    (10, "评定格次", "confirm_grades", S.GRADING),
    (11, "积分核查", "verify", S.VERIFICATION),
]
STAGE_ORDER = [
    S.SCHEME,
    S.SELF_ASSESSMENT,
    S.PRELIMINARY_REVIEW,
    S.ASSEMBLY,
    S.PUBLICITY,
    S.REGISTRATION,
    S.REPORTING,
    S.FILING,
    S.YEAR_END_REVIEW,
    S.GRADING,
    S.GRADE_CONFIRMATION,
    S.VERIFICATION,
    S.DONE,
]

Handler = Callable[[Any, BranchYear, str, dict[str, Any]], tuple[dict[str, Any], list[str]]]


def _active_members(branch_year: BranchYear) -> list[Member]:
    return list(
        Member.objects.filter(branch_id=branch_year.branch_id, record_state=RecordState.ACTIVE)
        .select_related("person", "branch__node")
        .order_by("person__name_pinyin", "id")
    )


# ---------------------------------------------------------------- step handlers
# Each returns (data for the transition record, extra BranchYear fields it set) or raises ValidationError.


def _adopt_scheme(actor, branch_year, note, params):
    classes = sorted({m.points_class for m in _active_members(branch_year)})
    if not classes:
        raise ValidationError(f"{branch_year.branch}没有在册党员，无需开展积分。")
    schemes = schemes_in_force(branch_year)
    missing = [PointsClass(c).label for c in classes if c not in schemes]
    if missing:
        raise ValidationError(
            f"{branch_year.year}年{'、'.join(missing)}党员积分细则尚未发布，不能开始党员自评。"
        )
    data = {
        "schemes": {
            c: {"id": schemes[c].pk, "version": schemes[c].version, "title": str(schemes[c])} for c in classes
        }
    }
    return data, []


def _close_self_assessment(actor, branch_year, note, params):
    pending = Claim.objects.filter(branch_year=branch_year, status=ClaimStatus.SUBMITTED).count()
    return {"pending": pending}, []


def _finish_preliminary_review(actor, branch_year, note, params):
    counts = Counter(Claim.objects.filter(branch_year=branch_year).values_list("status", flat=True))
    if counts[ClaimStatus.SUBMITTED]:
        raise ValidationError(f"还有{counts[ClaimStatus.SUBMITTED]}条自评申报待初评，请先审核。")
    open_exemptions = Exemption.objects.filter(
        branch_year=branch_year, status__in=[ExemptionStatus.APPLIED, ExemptionStatus.RECOMMENDED]
    ).count()
    if open_exemptions:
        raise ValidationError(f"还有{open_exemptions}项免于参加积分的申请未审结，请先办结。")
    return {"claims": dict(sorted(counts.items()))}, []


def _date(value: Any, label: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError(f"请填写{label}。") from None


def _int(value: Any, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"请填写{label}。") from None


def _confirm_assembly(actor, branch_year, note, params):
    """党员大会评定: record the meeting, freeze every member's total in a 公示 with its publicity period."""
    today = clock.today()
    meeting = _date(params.get("meeting_date"), "党员大会日期")
    expected = _int(params.get("expected"), "应到人数")
    attended = _int(params.get("attended"), "实到人数")
    start = _date(params.get("publicity_start") or today, "公示开始日期")
    if meeting > today:
        raise ValidationError("党员大会日期不能晚于今天。")
    if meeting.year < branch_year.year:
        raise ValidationError(f"党员大会日期须在{branch_year.year}年或以后。")
    if expected < 1 or not 0 <= attended <= expected:
        raise ValidationError("实到人数须在0到应到人数之间。")
    if attended * 2 <= expected:
        raise ValidationError(f"到会{attended}人，未超过应到{expected}人的半数，党员大会不能作出评定。")
    if start < meeting:
        raise ValidationError("公示不能早于党员大会开始。")
    if start > today + datetime.timedelta(days=30):
        raise ValidationError("公示开始日期不能晚于今天30天以上。")
    schemes = schemes_in_force(branch_year)
    days = max((s.publicity_days for s in schemes.values()), default=5)
    end = publicity_end(start, days)
    members = _active_members(branch_year)
    currency = member_points_currency()
    exempt = set(
        Exemption.objects.filter(branch_year=branch_year, status=ExemptionStatus.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    notice = PublicNotice.objects.create(
        branch_year=branch_year,
        start_date=start,
        end_date=end,
        working_days=days,
        contact=(params.get("contact") or "").strip()[:200],
        digest="pending",
        published_by_name=actor.get_username(),
    )
    lines = []
    for position, member in enumerate(members, start=1):
        account = Account.objects.select_for_update().get(
            pk=member_account(member, branch_year.year, currency).pk
        )
        lines.append(
            NoticeLine(
                notice=notice,
                member=member,
                account=account,
                position=position,
                total=account.balance,
                entry_count=account.entry_count,
                last_hash=account.last_hash,
                is_exempt=member.pk in exempt,
            )
        )
    NoticeLine.objects.bulk_create(lines)
    notice.digest = notice_digest(notice, lines)
    PublicNotice.objects.filter(pk=notice.pk).update(digest=notice.digest)
    branch_year.assembly_date, branch_year.assembly_expected, branch_year.assembly_attended = (
        meeting,
        expected,
        attended,
    )
    data = {
        "meeting_date": meeting.isoformat(),
        "expected": expected,
        "attended": attended,
        "notice": notice.pk,
        "publicity": [start.isoformat(), end.isoformat(), days],
        "members": len(lines),
        "digest": notice.digest,
    }
    return data, ["assembly_date", "assembly_expected", "assembly_attended"]


def _withdraw_publicity(actor, branch_year, note, params):
    notice = current_notice(branch_year)
    if notice is not None:
        PublicNotice.objects.filter(pk=notice.pk).update(is_withdrawn=True, withdrawn_reason=note)
    return {"notice": notice.pk if notice else None}, []


def _close_publicity(actor, branch_year, note, params):
    notice = current_notice(branch_year)
    if notice is None:
        raise ValidationError("没有有效的公示。")
    today = clock.today()
    if today <= notice.end_date:
        raise ValidationError(f"公示期至{cn_date(notice.end_date)}，期满后才能结束公示。")
    statuses = Counter(Objection.objects.filter(notice=notice).values_list("status", flat=True))
    if statuses[ObjectionStatus.OPEN]:
        raise ValidationError(f"还有{statuses[ObjectionStatus.OPEN]}条异议未处理，请先处理。")
    return {"notice": notice.pk, "objections": dict(sorted(statuses.items()))}, []


def _register(actor, branch_year, note, params):
    """登记: the registered total of each member is the published total plus the corrections of upheld objections."""
    notice = current_notice(branch_year)
    if notice is None:
        raise ValidationError("没有有效的公示，不能登记。")
    corrections = dict(
        Objection.objects.filter(notice=notice, correction_entry__isnull=False)
        .values("correction_entry__account_id")
        .annotate(total=Sum("correction_entry__amount"))
        .values_list("correction_entry__account_id", "total")
    )
    results = []
    for line in notice.lines.all():
        correction = corrections.get(line.account_id, Decimal("0"))
        results.append(
            YearResult(
                branch_year=branch_year,
                member_id=line.member_id,
                account_id=line.account_id,
                is_exempt=line.is_exempt,
                notice_total=line.total,
                corrections_total=correction,
                registered_total=line.total + correction,
            )
        )
    YearResult.objects.bulk_create(results)
    total = sum((r.registered_total for r in results), Decimal("0"))
    return {"notice": notice.pk, "members": len(results), "total": fmt(total)}, []


def _report(actor, branch_year, note, params):
    count = YearResult.objects.filter(branch_year=branch_year).count()
    if not count:
        raise ValidationError("尚未登记，不能上报。")
    return {"members": count}, []


def _file(actor, branch_year, note, params):
    return {"members": YearResult.objects.filter(branch_year=branch_year).count()}, []


def _year_end_review(actor, branch_year, note, params):
    day = _date(params.get("review_date"), "年底评议日期")
    if day > clock.today():
        raise ValidationError("年底评议日期不能晚于今天。")
    if branch_year.assembly_date and day < branch_year.assembly_date:
        raise ValidationError("年底评议日期不能早于党员大会评定。")
    branch_year.review_date = day
    return {"review_date": day.isoformat()}, ["review_date"]


def _propose_grades(actor, branch_year, note, params):
    outcomes = branch_year_grades(branch_year)
    results = list(YearResult.objects.filter(branch_year=branch_year))
    now = clock.now()
    for result in results:
        outcome = outcomes[result.member_id]
        result.grade = outcome.grade
        result.grade_explanation = outcome.as_data()
        result.graded_at = now
    YearResult.objects.bulk_update(results, ["grade", "grade_explanation", "graded_at"])
    counts = Counter(r.grade or "none" for r in results)
    return {"grades": dict(sorted(counts.items()))}, []


def _confirm_grades(actor, branch_year, note, params):
    ungraded = YearResult.objects.filter(branch_year=branch_year, graded_at__isnull=True).count()
    if ungraded:
        raise ValidationError(f"还有{ungraded}名党员尚未评定格次。")
    counts = Counter(YearResult.objects.filter(branch_year=branch_year).values_list("grade", flat=True))
    return {"grades": {k or "none": v for k, v in sorted(counts.items())}}, []


def _nothing(actor, branch_year, note, params):
    return {}, []


HANDLERS: dict[str, Handler] = {
    "adopt_scheme": _adopt_scheme,
    "close_self_assessment": _close_self_assessment,
    "finish_preliminary_review": _finish_preliminary_review,
    "confirm_assembly": _confirm_assembly,
    "close_publicity": _close_publicity,
    "register": _register,
    "report": _report,
    "file": _file,
    "year_end_review": _year_end_review,
    "propose_grades": _propose_grades,
    "confirm_grades": _confirm_grades,
    "reopen_self_assessment": _nothing,
    "reopen_preliminary_review": _nothing,
    "withdraw_publicity": _withdraw_publicity,
    "return_report": _nothing,
    "return_grades": _nothing,
}


# ---------------------------------------------------------------- services


@transaction.atomic
def branch_year_step(
    *, actor: Any, branch_year: BranchYear, name: str, note: str = "", **params: Any
) -> TransitionRecord:
    """Take one step of the branch's year. Wrong role → PermissionDenied; wrong step → TransitionError."""
    if name == "verify":
        return branch_year_verify(actor=actor, branch_year=branch_year, note=note)
    step = YEAR_MACHINE.get(name)
    if name not in HANDLERS:
        raise TransitionError(f"「{step.label}」不能直接执行。")
    branch_year = lock_branch_year(branch_year)
    require_perm_at(actor, step.permission, branch_year.get_scope_path())
    if branch_year.stage not in step.sources:
        raise TransitionError(
            f"当前处于「{YEAR_MACHINE.state_label(branch_year.stage)}」，不能执行「{step.label}」；各步骤须依次进行。"
        )
    note = (note or "").strip()
    if step.is_undo and not note:
        raise TransitionError(f"执行「{step.label}」必须填写原因。")
    data, fields = HANDLERS[name](actor, branch_year, note, params)

    def carry(locked: BranchYear) -> None:
        for f in fields:
            setattr(locked, f, getattr(branch_year, f))

    return YEAR_MACHINE.apply(
        branch_year, name, actor=actor, note=note, data=data, before_save=carry, extra_update_fields=fields
    )


@transaction.atomic
def branch_year_open(*, actor: Any, branch: PartyOrg, year: int, note: str = "") -> BranchYear:
    """Step 1 for one branch: adopt the published schemes and open 党员自评."""
    require_perm_at(actor, "points.run_year", branch.node.path)
    if not 2000 <= year <= 2100:
        raise ValidationError("年度不正确。")
    branch_year = branch_year_get(branch, year)
    branch_year_step(actor=actor, branch_year=branch_year, name="adopt_scheme", note=note)
    branch_year.refresh_from_db()
    return branch_year


@transaction.atomic
def branch_year_verify(*, actor: Any, branch_year: BranchYear, note: str = "") -> TransitionRecord:
    """积分核查: run the integrity checks; a clean result closes the year, otherwise the failure is recorded."""
    branch_year = lock_branch_year(branch_year)
    step = YEAR_MACHINE.get("verify")
    require_perm_at(actor, step.permission, branch_year.get_scope_path())
    if branch_year.stage not in step.sources:
        raise TransitionError(
            f"当前处于「{YEAR_MACHINE.state_label(branch_year.stage)}」，不能执行「{step.label}」；各步骤须依次进行。"
        )
    report = branch_year_integrity(branch_year)
    name = "verify" if report.is_clean else "verify_failed"
    summary = f"核查{report.accounts}个账户、{report.entries}笔分录，发现{len(report.problems)}处问题"
    return YEAR_MACHINE.apply(
        branch_year,
        name,
        actor=actor,
        note=f"{summary}。{note}".strip(),
        data=report.as_data(),
    )
