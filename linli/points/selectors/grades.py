"""Grades (PTS-3): 优秀/合格/基本合格/不合格 from the total, the scheme's thresholds and quota, violations
and exemptions — computed, and explained in words a member can check against their own numbers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from linli.ledger.models import Account
from linli.people.choices import PointsClass, RecordState
from linli.people.models import Member, points_class_of

from ..choices import ExemptionStatus, Grade, SchemeStatus
from ..models import BranchYear, Exemption, Scheme, Violation, YearResult
from ..util import MEMBER_POINTS, cn_date, district_id_of, fmt


@dataclass
class GradeInput:
    member_id: int
    name: str
    member_class: str
    total: Decimal
    join_date: datetime.date
    is_exempt: bool = False
    violations: list[str] = field(default_factory=list)


@dataclass
class GradeOutcome:
    member_id: int
    grade: str  # "" when not graded (exempt, or no scheme)
    total: Decimal
    lines: list[str]
    thresholds: dict[str, str] = field(default_factory=dict)
    quota: dict[str, Any] = field(default_factory=dict)
    rank: int | None = None
    overrides: list[str] = field(default_factory=list)
    scheme: str = ""

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else "不评定"

    def as_data(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "grade_label": self.grade_label,
            "total": fmt(self.total),
            "scheme": self.scheme,
            "thresholds": self.thresholds,
            "quota": self.quota,
            "rank": self.rank,
            "overrides": self.overrides,
            "lines": self.lines,
        }


def _by_thresholds(total: Decimal, scheme: Scheme) -> str:
    if total >= scheme.excellent_min:
        return Grade.EXCELLENT
    if total >= scheme.qualified_min:
        return Grade.QUALIFIED
    if total >= scheme.basic_min:
        return Grade.BASIC
    return Grade.UNQUALIFIED


def grades_compute(inputs: list[GradeInput], schemes: dict[str, Scheme]) -> dict[int, GradeOutcome]:
    """Grade one branch's members. Quotas apply per member class among the members who take part.

    Order for the 优秀 quota: higher total first; equal totals go to the member who joined the
    Party earlier, then to the lower member number — fixed, so the same data always gives the same list.
    """
    outcomes: dict[int, GradeOutcome] = {}
    by_class: dict[str, list[GradeInput]] = {}
    for data in inputs:
        by_class.setdefault(data.member_class, []).append(data)
    for member_class, group in by_class.items():
        scheme = schemes.get(member_class)
        taking_part = [d for d in group if not d.is_exempt]
        seats = None
        if scheme is not None and scheme.excellent_quota_percent is not None:
            seats = len(taking_part) * scheme.excellent_quota_percent // 100
        candidates = sorted(
            (d for d in taking_part if scheme and not d.violations and d.total >= scheme.excellent_min),
            key=lambda d: (-d.total, d.join_date, d.member_id),
        )
        ranks = {d.member_id: i for i, d in enumerate(candidates, start=1)}
        for data in group:
            outcomes[data.member_id] = _grade_one(
                data, scheme, seats, len(taking_part), ranks.get(data.member_id)
            )
    return outcomes


def _grade_one(
    data: GradeInput, scheme: Scheme | None, seats: int | None, taking_part: int, rank: int | None
) -> GradeOutcome:
    lines = [f"年度积分{fmt(data.total)}分。"]
    if data.is_exempt:
        lines.append("经党委审核免于参加本年度积分活动，不评定档次。")
        return GradeOutcome(data.member_id, "", data.total, lines, overrides=["免于参加积分活动"])
    if scheme is None:
        lines.append(f"本年度{PointsClass(data.member_class).label}党员积分细则尚未发布，暂不能评定。")
        return GradeOutcome(data.member_id, "", data.total, lines)
    thresholds = {
        "excellent": fmt(scheme.excellent_min),
        "qualified": fmt(scheme.qualified_min),
        "basic": fmt(scheme.basic_min),
    }
    lines.append(
        f"评定标准（{scheme}）：优秀≥{thresholds['excellent']}分，合格≥{thresholds['qualified']}分，"
        f"基本合格≥{thresholds['basic']}分，低于{thresholds['basic']}分为不合格。"
    )
    by_total = _by_thresholds(data.total, scheme)
    quota: dict[str, Any] = {}
    grade = by_total
    overrides: list[str] = []
    if data.violations:
        grade = Grade.UNQUALIFIED
        for violation in data.violations:
            overrides.append(violation)
            lines.append(f"{violation}——对出现违法、违纪、违规行为的，直接认定为不合格。")
    else:
        lines.append(f"按分数线应为「{Grade(by_total).label}」。")
        if seats is not None:
            quota = {"percent": scheme.excellent_quota_percent, "seats": seats, "taking_part": taking_part}
            if by_total == Grade.EXCELLENT:
                lines.append(
                    f"优秀名额不超过{scheme.excellent_quota_percent}%：参评{taking_part}人，最多{seats}人"
                    "（向下取整）；按积分从高到低排名，同分者入党时间早的在前。"
                )
                lines.append(f"您在达到优秀分数线的党员中排名第{rank}。")
                if rank is not None and rank > seats:
                    grade = Grade.QUALIFIED
                    overrides.append(f"超出优秀名额（第{rank}名，名额{seats}人）")
                    lines.append("超出优秀名额，评为「合格」。")
    lines.append(f"评定档次：{Grade(grade).label}。")
    return GradeOutcome(
        data.member_id,
        grade,
        data.total,
        lines,
        thresholds=thresholds,
        quota=quota,
        rank=rank if by_total == Grade.EXCELLENT and not data.violations else None,
        overrides=overrides,
        scheme=str(scheme),
    )


def schemes_in_force(branch_year: BranchYear) -> dict[str, Scheme]:
    """The published scheme per member class for the branch's district and year (one query)."""
    district_id = district_id_of(branch_year.branch.node.path)
    return {
        s.member_class: s
        for s in Scheme.objects.filter(
            district_id=district_id, year=branch_year.year, status=SchemeStatus.PUBLISHED
        )
    }


def _violation_texts(branch_year: BranchYear) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    for v in Violation.objects.filter(branch_year=branch_year, revoked_at__isnull=True).order_by(
        "occurred_on", "id"
    ):
        texts.setdefault(v.member_id, []).append(
            f"{cn_date(v.occurred_on)}{v.get_kind_display()}：{v.description}"
        )
    return texts


def grade_inputs(branch_year: BranchYear) -> list[GradeInput]:
    """The members to grade and their totals: the registered results once 登记 is done, live balances before."""
    violations = _violation_texts(branch_year)
    results = list(YearResult.objects.filter(branch_year=branch_year).select_related("member__person"))
    if results:
        return [
            GradeInput(
                member_id=r.member_id,
                name=r.member.person.name,
                member_class=r.member.points_class,
                total=r.registered_total,
                join_date=r.member.join_date,
                is_exempt=r.is_exempt,
                violations=violations.get(r.member_id, []),
            )
            for r in results
        ]
    # Bare columns, not model instances: a member's own page grades the whole branch (the quota ranks
    # everyone), so this runs on every view of it.
    members = list(
        Member.objects.filter(branch_id=branch_year.branch_id, record_state=RecordState.ACTIVE).values_list(
            "pk", "person__name", "category", "join_date"
        )
    )
    balances = dict(
        Account.objects.filter(
            currency__code=MEMBER_POINTS,
            year=branch_year.year,
            owner_type__app_label="people",
            owner_type__model="member",
            owner_id__in=[pk for pk, *_ in members],
        ).values_list("owner_id", "balance")
    )
    exempt = set(
        Exemption.objects.filter(branch_year=branch_year, status=ExemptionStatus.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    return [
        GradeInput(
            member_id=pk,
            name=name,
            member_class=points_class_of(category),
            total=balances.get(pk, Decimal("0")),
            join_date=join_date,
            is_exempt=pk in exempt,
            violations=violations.get(pk, []),
        )
        for pk, name, category, join_date in members
    ]


def branch_year_grades(branch_year: BranchYear) -> dict[int, GradeOutcome]:
    return grades_compute(grade_inputs(branch_year), schemes_in_force(branch_year))


def member_grade(member: Member, branch_year: BranchYear | None) -> tuple[dict[str, Any] | None, bool]:
    """The member's grade explanation and whether it is the recorded one (True) or a live estimate (False)."""
    if branch_year is None:
        return None, False
    result = YearResult.objects.filter(branch_year=branch_year, member=member).first()
    if result is not None and result.graded_at is not None:
        return result.grade_explanation, True
    outcome = branch_year_grades(branch_year).get(member.pk)
    return (outcome.as_data() if outcome else None), False
