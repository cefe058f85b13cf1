"""Reads for the branch's year view, the 公示 list, the review queue and the street's filed results."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from linli.core.models import TransitionRecord
from linli.core.pii import mask_name
from linli.ledger.models import Account
from linli.orgs.models import PartyOrg
from linli.people.choices import RecordState
from linli.people.models import Member

from ..choices import ClaimStatus, ExemptionStatus, Grade, Stage
from ..models import (
    BranchYear,
    Claim,
    Evidence,
    Exemption,
    NoticeLine,
    Objection,
    PublicNotice,
    Violation,
    YearResult,
)
from ..rules import FILED_STAGES
from ..services.year import STAGE_ORDER, STEPS, YEAR_MACHINE
from ..util import MEMBER_POINTS

# ---------------------------------------------------------------- the eleven steps


@dataclass
class StepView:
    number: int
    label: str
    state: str  # "done" | "current" | "todo"
    record: TransitionRecord | None


def year_steps(branch_year: BranchYear, records: list[TransitionRecord]) -> list[StepView]:
    """The eleven steps with the record that completed each (the latest one, if a step was undone and redone)."""
    current = STAGE_ORDER.index(branch_year.stage)
    last: dict[str, TransitionRecord] = {}
    for record in records:
        last[record.transition] = record
    steps = []
    for number, label, name, stage in STEPS:
        position = STAGE_ORDER.index(stage)
        if position < current and not (
            stage == Stage.GRADING and branch_year.stage == Stage.GRADE_CONFIRMATION
        ):
            state = "done"
        elif position == current or (
            stage == Stage.GRADING and branch_year.stage == Stage.GRADE_CONFIRMATION
        ):
            state = "current"
        else:
            state = "todo"
        record = last.get(name) if state == "done" else None
        if name == "verify" and branch_year.stage == Stage.VERIFICATION:
            record = last.get("verify_failed")
        steps.append(StepView(number, label, state, record))
    return steps


def year_history(branch_year: BranchYear) -> list[TransitionRecord]:
    return list(YEAR_MACHINE.history(branch_year))


# ---------------------------------------------------------------- the branch's members in the year


@dataclass
class MemberRow:
    member: Member
    total: Decimal = Decimal("0")
    counts: Counter = field(default_factory=Counter)
    exemption_status: str = ""
    violations: int = 0
    notice_total: Decimal | None = None
    result: YearResult | None = None

    @property
    def pending(self) -> int:
        return self.counts[ClaimStatus.SUBMITTED]

    @property
    def is_exempt(self) -> bool:
        return self.exemption_status == ExemptionStatus.APPROVED


def member_stage(row: MemberRow, branch_year: BranchYear) -> str:
    """Where one member stands in the branch's year, in words."""
    if row.is_exempt:
        return "免于参加积分"
    stage = branch_year.stage
    if stage == Stage.SCHEME:
        return "尚未启动"
    if stage in (Stage.SELF_ASSESSMENT, Stage.PRELIMINARY_REVIEW):
        if row.pending:
            return f"待初评{row.pending}条"
        return "已初评" if sum(row.counts.values()) else "暂无积分事项"
    if stage == Stage.ASSEMBLY:
        return "待党员大会评定"
    if stage == Stage.PUBLICITY:
        return "公示中"
    if stage == Stage.REGISTRATION:
        return "公示期满，待登记"
    if row.result is not None and row.result.graded_at is not None:
        prefix = "格次" if stage in (Stage.VERIFICATION, Stage.DONE) else "拟评格次"
        return f"{prefix}：{Grade(row.result.grade).label if row.result.grade else '不评定'}"
    return {Stage.REPORTING: "已登记", Stage.FILING: "已上报"}.get(stage, "已备案")


def year_rows(branch_year: BranchYear) -> list[MemberRow]:
    """The branch's members with totals, claim counts, exemption, violations, 公示 and result: 8 queries."""
    members = list(
        Member.objects.filter(
            Q(branch_id=branch_year.branch_id, record_state=RecordState.ACTIVE)
            | Q(points_results__branch_year=branch_year)
        )
        .select_related("person")
        .distinct()
        .order_by("person__name_pinyin", "id")
    )
    rows = {m.pk: MemberRow(member=m) for m in members}
    ids = list(rows)
    for owner_id, balance in Account.objects.filter(
        currency__code=MEMBER_POINTS,
        year=branch_year.year,
        owner_type__app_label="people",
        owner_type__model="member",
        owner_id__in=ids,
    ).values_list("owner_id", "balance"):
        rows[owner_id].total = balance
    for member_id, status, count in (
        Claim.objects.filter(branch_year=branch_year, member_id__in=ids)
        .values("member_id", "status")
        .annotate(n=Count("id"))
        .values_list("member_id", "status", "n")
    ):
        rows[member_id].counts[status] = count
    for member_id, status in (
        Exemption.objects.filter(branch_year=branch_year, member_id__in=ids)
        .exclude(status__in=[ExemptionStatus.WITHDRAWN, ExemptionStatus.REJECTED])
        .values_list("member_id", "status")
    ):
        rows[member_id].exemption_status = status
    for member_id, count in (
        Violation.objects.filter(branch_year=branch_year, revoked_at__isnull=True, member_id__in=ids)
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    ):
        rows[member_id].violations = count
    for line in NoticeLine.objects.filter(
        notice__branch_year=branch_year, notice__is_withdrawn=False, member_id__in=ids
    ):
        rows[line.member_id].notice_total = line.total
    for result in YearResult.objects.filter(branch_year=branch_year, member_id__in=ids):
        rows[result.member_id].result = result
    return list(rows.values())


# ---------------------------------------------------------------- 公示


@dataclass
class NoticeRow:
    position: int
    masked_name: str
    member_class: str
    total: Decimal
    is_exempt: bool


def notice_rows(notice: PublicNotice) -> list[NoticeRow]:
    """The printable list: names masked (PIPL), totals as published. One query."""
    return [
        NoticeRow(
            position=line.position,
            masked_name=mask_name(line.member.person.name),
            member_class=line.member.get_category_display(),
            total=line.total,
            is_exempt=line.is_exempt,
        )
        for line in NoticeLine.objects.filter(notice=notice)
        .select_related("member__person")
        .order_by("position")
    ]


def notice_objections(notice: PublicNotice) -> list[Objection]:
    return list(Objection.objects.filter(notice=notice).select_related("member__person", "correction_entry"))


# ---------------------------------------------------------------- the review queue


@dataclass
class QueueFilters:
    status: str = ClaimStatus.SUBMITTED
    branch: int | None = None
    category: str = ""
    origin: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""


def review_queue(user: Any, filters: QueueFilters) -> QuerySet[Claim]:
    """Claims the user may review, filtered; evidence prefetched, members and items joined.

    The branch years in the user's scope are read first (a community has a handful, the district a
    few hundred a year) so that the claims are found through the (branch year, status) index: the
    work grows with the queue in scope, not with the district's million claims, which the database
    would otherwise walk in date order looking for the scope's few pending ones.
    """
    years = BranchYear.objects.visible_to(user, "points.review")
    if filters.branch:
        years = years.filter(branch_id=filters.branch)
    claims = (
        Claim.objects.visible_to(user, "points.review")
        .filter(branch_year_id__in=list(years.values_list("pk", flat=True)))
        .select_related("member__person", "item", "branch_year__branch")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
    )
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.branch:
        claims = claims.filter(branch_year__branch_id=filters.branch)
    if filters.category:
        claims = claims.filter(item__category=filters.category)
    if filters.origin:
        claims = claims.filter(origin=filters.origin)
    if filters.date_from:
        claims = claims.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        claims = claims.filter(occurred_on__lte=filters.date_to)
    if filters.q:
        term = filters.q.strip()
        claims = claims.filter(
            Q(member__person__name__icontains=term)
            | Q(member__person__name_pinyin__icontains=term.lower())
            | Q(member__person__name_initials__icontains=term.lower())
            | Q(item__name__icontains=term)
        )
    return claims.order_by("created_at", "id")


def review_branches(user: Any) -> QuerySet[PartyOrg]:
    return PartyOrg.objects.visible_to(user, "points.review").filter(points_years__isnull=False).distinct()


# ---------------------------------------------------------------- lists of branch years


def year_list(user: Any, year: int) -> QuerySet[BranchYear]:
    return (
        BranchYear.objects.visible_to(user, "points.year_view")
        .filter(year=year)
        .select_related("branch__node")
        .annotate(
            pending=Count("claims", filter=Q(claims__status=ClaimStatus.SUBMITTED), distinct=True),
        )
        .order_by("branch__node__path", "branch_id")
    )


def branches_without_year(user: Any, year: int) -> QuerySet[PartyOrg]:
    """Party organisations holding members where the user may open the year and it is not open yet."""
    return (
        PartyOrg.objects.visible_to(user, "points.run_year")
        .filter(members__record_state=RecordState.ACTIVE)
        .exclude(points_years__year=year)
        .select_related("node")
        .distinct()
        .order_by("node__path", "id")
    )


def filed_results(user: Any, year: int) -> QuerySet[BranchYear]:
    """Branch years reported to the street (备案 and after), with their result counts in one query."""
    grade_counts = {
        f"grade_{g}": Count("results", filter=Q(results__grade=g), distinct=True) for g in Grade.values
    }
    return (
        BranchYear.objects.visible_to(user, "points.filed_view")
        .filter(year=year, stage__in=FILED_STAGES)
        .select_related("branch__node")
        .annotate(
            members=Count("results", distinct=True),
            exempt=Count("results", filter=Q(results__is_exempt=True), distinct=True),
            total=Sum("results__registered_total"),
            **grade_counts,
        )
        .order_by("branch__node__path", "branch_id")
    )


def results_for_export(branch_years: QuerySet[BranchYear] | list[BranchYear]) -> dict[int, list[YearResult]]:
    grouped: dict[int, list[YearResult]] = defaultdict(list)
    for result in (
        YearResult.objects.filter(branch_year__in=branch_years)
        .select_related("member__person", "branch_year__branch")
        .order_by("branch_year_id", "-registered_total", "member__person__name_pinyin")
    ):
        grouped[result.branch_year_id].append(result)
    return grouped
