"""Posting expiry of old points by each community's rule; idempotent per depositor and expiry date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.ledger.choices import EntryKind
from linli.ledger.models import Account
from linli.ledger.services import ledger_post

from ..models import Depositor, ExpiryPosting, ExpiryRule
from ..selectors.expiry import ExpiryLine, expiry_applies, expiry_cutoff, expiry_lines, last_expiry_date


@dataclass
class ExpiryRun:
    rule: ExpiryRule
    expires_on: datetime.date
    cutoff: datetime.date
    applies: bool
    lines: list[ExpiryLine] = field(default_factory=list)
    posted: int = 0


def expiry_run(
    *, on: datetime.date | None = None, dry_run: bool = True, actor: Any = None
) -> list[ExpiryRun]:
    """For each active rule: the latest expiry date on or before `on`, what expires, and (unless dry) post it.

    Each depositor's expiry posts in its own transaction with an idempotency key per depositor and
    date, so running again (or after an interruption) never expires anything twice.
    """
    on = on or clock.today()
    runs = []
    for rule in ExpiryRule.objects.filter(is_active=True).select_related("station__community").order_by("pk"):
        expires_on = last_expiry_date(rule, on)
        run = ExpiryRun(rule, expires_on, expiry_cutoff(rule, expires_on), expiry_applies(rule, expires_on))
        if run.applies:
            run.lines = expiry_lines(rule, expires_on)
            if not dry_run:
                for line in run.lines:
                    if _post_one(rule=rule, expires_on=expires_on, cutoff=run.cutoff, line=line, actor=actor):
                        run.posted += 1
        runs.append(run)
    return runs


@transaction.atomic
def _post_one(
    *, rule: ExpiryRule, expires_on: datetime.date, cutoff: datetime.date, line: ExpiryLine, actor: Any
) -> bool:
    depositor = Depositor.objects.get(pk=line.depositor_id)
    # The account lock is the one every earning and order takes, so the balance cannot move under us.
    Account.objects.select_for_update().get(pk=depositor.points_account_id)
    if ExpiryPosting.objects.filter(depositor=depositor, expires_on=expires_on).exists():
        return False
    # Recompute under the lock: the depositor may have redeemed since the list was drawn up.
    fresh = expiry_lines(rule, expires_on, depositor_ids=[depositor.pk])
    if not fresh:
        return False
    amount = fresh[0].amount
    entry = ledger_post(
        account=depositor.points_account,
        amount=-amount,
        kind=EntryKind.EXPIRY,
        actor=actor,
        memo=f"{rule.station.name}·积分过期（{cutoff:%Y-%m-%d}及以前获得，{expires_on:%Y-%m-%d}到期）",
        source=rule,
        idempotency_key=f"bank:expiry:{depositor.pk}:{expires_on.isoformat()}",
    )
    posting = ExpiryPosting.objects.create(
        rule=rule,
        depositor=depositor,
        expires_on=expires_on,
        cutoff=cutoff,
        amount=amount,
        entry=entry,
        posted_at=clock.now(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=posting, changes={"amount": str(amount)})
    return True
