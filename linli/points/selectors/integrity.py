"""积分核查 (step 11): prove that a branch's year reached its results only through the recorded process.

Three checks: every account's hash chain and balance (the ledger's own verify); the 公示 list against
its keyed digest; and each account against the 公示 snapshot — every entry after the snapshot must be
the correction of a recorded objection, and the balance must equal the published total plus those
corrections (and the registered total, once registered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from linli.core.pii import lookup_hash
from linli.ledger.models import Account, Entry
from linli.ledger.selectors import ledger_verify

from ..models import BranchYear, NoticeLine, Objection, PublicNotice, YearResult

CENT = Decimal("0.01")


def notice_digest(notice: PublicNotice, lines: list[NoticeLine]) -> str:
    """A keyed digest of what the notice published: someone who edits a line cannot forge it without the key."""
    parts = [f"{notice.branch_year_id}|{notice.start_date}|{notice.end_date}"]
    for line in sorted(lines, key=lambda x: x.position):
        parts.append(
            f"{line.position}:{line.member_id}:{line.account_id or ''}:{Decimal(line.total).quantize(CENT)}:"
            f"{line.entry_count}:{line.last_hash}:{int(line.is_exempt)}"
        )
    return lookup_hash(";".join(parts), "points_notice")


def current_notice(branch_year: BranchYear) -> PublicNotice | None:
    return (
        PublicNotice.objects.filter(branch_year=branch_year, is_withdrawn=False)
        .order_by("-published_at", "-id")
        .first()
    )


@dataclass
class Problem:
    account_id: int | None
    entry_id: int | None
    text: str

    def __str__(self) -> str:
        where = []
        if self.account_id:
            where.append(f"账户#{self.account_id}")
        if self.entry_id:
            where.append(f"分录#{self.entry_id}")
        return (" ".join(where) + "：" if where else "") + self.text


@dataclass
class IntegrityReport:
    accounts: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def as_data(self) -> dict:
        return {
            "clean": self.is_clean,
            "accounts": self.accounts,
            "entries": self.entries,
            "problems": [
                {"account": p.account_id, "entry": p.entry_id, "text": str(p)} for p in self.problems
            ],
        }


def branch_year_integrity(branch_year: BranchYear) -> IntegrityReport:
    """Run the three checks for one branch's year; a fixed number of queries plus the ledger's stream."""
    report = IntegrityReport()
    notice = current_notice(branch_year)
    if notice is None:
        report.problems.append(Problem(None, None, "没有有效的公示记录，无法核查。"))
        return report
    lines = list(notice.lines.select_related("member__person"))
    if notice_digest(notice, lines) != notice.digest:
        report.problems.append(Problem(None, None, "公示名单与发布时的摘要不符：公示记录在流程之外被修改。"))
    account_ids = [line.account_id for line in lines if line.account_id]
    ledger = ledger_verify(accounts=Account.objects.filter(pk__in=account_ids))
    report.accounts, report.entries = ledger.accounts, ledger.entries
    for anomaly in ledger.anomalies:
        report.problems.append(Problem(anomaly.account_id, anomaly.entry_id, str(anomaly).split("：", 1)[-1]))

    corrections: dict[int, Decimal] = {}
    correction_entries: set[int] = set()
    for objection in Objection.objects.filter(notice=notice, correction_entry__isnull=False).select_related(
        "correction_entry"
    ):
        entry = objection.correction_entry
        correction_entries.add(entry.pk)
        corrections[entry.account_id] = corrections.get(entry.account_id, Decimal("0")) + entry.amount
    balances = dict(Account.objects.filter(pk__in=account_ids).values_list("pk", "balance"))
    after = Q(pk__in=[])
    for line in lines:
        if line.account_id:
            after |= Q(account_id=line.account_id, seq__gte=max(line.entry_count, 1))
    later: dict[int, list[Entry]] = {}
    for entry in Entry.objects.filter(after).order_by("account_id", "seq"):
        later.setdefault(entry.account_id, []).append(entry)
    results = {r.member_id: r for r in YearResult.objects.filter(branch_year=branch_year)}

    for line in lines:
        if not line.account_id:
            continue
        entries = later.get(line.account_id, [])
        for entry in entries:
            if entry.seq == line.entry_count and entry.hash != line.last_hash:
                report.problems.append(
                    Problem(line.account_id, entry.pk, f"序号{entry.seq}的分录与公示时记下的链尾哈希不符。")
                )
            elif entry.seq > line.entry_count and entry.pk not in correction_entries:
                report.problems.append(
                    Problem(
                        line.account_id,
                        entry.pk,
                        f"公示后记账（序号{entry.seq}，{entry.amount:+}），但没有对应的异议处理记录。",
                    )
                )
        expected = line.total + corrections.get(line.account_id, Decimal("0"))
        balance = balances.get(line.account_id)
        if balance is not None and balance != expected:
            report.problems.append(
                Problem(
                    line.account_id,
                    None,
                    f"{line.member.person.name}的账户余额{balance}不等于公示积分{line.total}加异议更正"
                    f"{corrections.get(line.account_id, Decimal('0'))}（应为{expected}）。",
                )
            )
        result = results.get(line.member_id)
        if result is not None and result.registered_total != expected:
            report.problems.append(
                Problem(
                    line.account_id,
                    None,
                    f"{line.member.person.name}的登记积分{result.registered_total}与公示积分加异议更正（{expected}）不符。",
                )
            )
    return report
