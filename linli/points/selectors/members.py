"""A member's own year: total, entries with their sources and reversals, claims, grade and its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from linli.ledger.models import Account, Entry
from linli.people.models import Member

from ..choices import ClaimStatus, ExemptionStatus, PointsEntryKind, Stage
from ..models import BranchYear, Claim, Evidence, Exemption, SchemeItem, Violation
from ..rules import SELF_REPORT_STAGES
from ..util import MEMBER_POINTS, district_id_of
from .grades import member_grade

ENTRY_KIND_LABELS = {**dict(PointsEntryKind.choices), "reversal": "冲正"}


@dataclass
class EntryRow:
    entry: Entry
    kind_label: str
    claim_id: int | None
    reversed_by_seq: int | None
    reverses_seq: int | None


@dataclass
class MemberOverview:
    member: Member
    year: int
    branch_year: BranchYear | None
    account: Account | None
    entries: list[EntryRow]
    claims: list[Claim]
    exemption: Exemption | None
    violations: list[Violation]
    grade: dict[str, Any] | None
    grade_recorded: bool
    totals_by_category: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.account.balance if self.account else Decimal("0")

    @property
    def pending(self) -> list[Claim]:
        return [c for c in self.claims if c.status == ClaimStatus.SUBMITTED]

    @property
    def is_exempt(self) -> bool:
        return self.exemption is not None and self.exemption.status == ExemptionStatus.APPROVED

    @property
    def stage_label(self) -> str:
        return Stage(self.branch_year.stage).label if self.branch_year else "本支部本年度积分尚未启动"

    @property
    def can_self_report(self) -> bool:
        return (
            self.branch_year is not None
            and self.branch_year.stage in SELF_REPORT_STAGES
            and not self.is_exempt
        )


def member_overview(member: Member, year: int) -> MemberOverview:
    """Everything on the member's page, in a fixed number of queries however many entries they have."""
    branch_year = (
        BranchYear.objects.select_related("branch__node")
        .filter(branch_id=member.branch_id, year=year)
        .first()
    )
    account = Account.objects.filter(
        currency__code=MEMBER_POINTS,
        year=year,
        owner_type__app_label="people",
        owner_type__model="member",
        owner_id=member.pk,
    ).first()
    claims = list(
        Claim.objects.filter(member=member, branch_year__year=year)
        .select_related("item")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-occurred_on", "-id")
    )
    entries: list[EntryRow] = []
    if account is not None:
        # Plain rows: a reversal and the entry it reverses are on the same account, and a claim's entry
        # is known from the claims above, so no join is needed to link them.
        rows = list(Entry.objects.filter(account=account).order_by("-seq"))
        seq_of = {entry.pk: entry.seq for entry in rows}
        reversed_by = {entry.reverses_id: entry.seq for entry in rows if entry.reverses_id}
        claim_of_entry = {claim.entry_id: claim.pk for claim in claims if claim.entry_id}
        for entry in rows:
            claim_id = None
            if entry.source_type == "points.claim":
                claim_id = int(entry.source_id)
            else:
                claim_id = claim_of_entry.get(entry.pk)
            entries.append(
                EntryRow(
                    entry=entry,
                    kind_label=ENTRY_KIND_LABELS.get(entry.kind, entry.kind),
                    claim_id=claim_id,
                    reversed_by_seq=reversed_by.get(entry.pk),
                    reverses_seq=seq_of.get(entry.reverses_id) if entry.reverses_id else None,
                )
            )
    exemption = (
        Exemption.objects.filter(member=member, branch_year__year=year).order_by("-applied_at", "-id").first()
    )
    violations = list(
        Violation.objects.filter(member=member, branch_year__year=year).order_by("-occurred_on")
    )
    grade, recorded = member_grade(member, branch_year)
    by_category: dict[str, Decimal] = {}
    for claim in claims:
        if claim.status in (ClaimStatus.APPROVED, ClaimStatus.ADJUSTED) and claim.points is not None:
            label = claim.item.get_category_display()
            by_category[label] = by_category.get(label, Decimal("0")) + claim.points
    return MemberOverview(
        member=member,
        year=year,
        branch_year=branch_year,
        account=account,
        entries=entries,
        claims=claims,
        exemption=exemption,
        violations=violations,
        grade=grade,
        grade_recorded=recorded,
        totals_by_category=sorted(by_category.items()),
    )


def reportable_items(member: Member, year: int) -> list[SchemeItem]:
    """Items the member may self-report this year: the published scheme of their class, without activity-fed items."""
    return list(
        SchemeItem.objects.filter(
            scheme__district_id=district_id_of(member.branch.node.path),
            scheme__year=year,
            scheme__member_class=member.points_class,
            scheme__status="published",
            auto_code="",
        ).order_by("category", "sort_order", "id")
    )
