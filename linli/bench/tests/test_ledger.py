"""The ledger benchmark: both variants post N entries on their own accounts and leave every chain valid."""

import pytest

from linli.bench import ledger
from linli.core.models import AuditEntry
from linli.ledger.models import Account, Entry
from linli.ledger.selectors import ledger_verify


def _entries(accounts: list[Account]) -> int:
    return Entry.objects.filter(account__in=accounts).count()


def test_quick_run_posts_200_entries_per_variant_and_leaves_the_chains_valid(world):
    audit_before = AuditEntry.objects.count()

    floor, post = ledger.run(quick=True, log=lambda message: None)

    floor_accounts, post_accounts = ledger.bench_accounts()
    assert _entries(floor_accounts) == 200
    assert _entries(post_accounts) == 200
    # The hot account takes every entry of alternate block pairs: blocks 2, 3, 6, 7 of ten blocks of 20.
    assert Entry.objects.filter(account=floor_accounts[-1]).count() == 80
    assert Entry.objects.filter(account=post_accounts[-1]).count() == 80
    # Only the service writes audit entries; the floor inserts the bare row.
    assert AuditEntry.objects.count() - audit_before == 200
    ids = [a.pk for a in (*floor_accounts, *post_accounts)]
    report = ledger_verify(accounts=Account.objects.filter(pk__in=ids))
    assert report.is_clean, report.anomalies
    assert report.entries == 400
    for account in Account.objects.filter(pk__in=ids):
        assert account.scope_path == ledger.SCOPE_PATH
        assert account.label.startswith("性能基准")
        assert account.balance >= 0

    assert (floor.key, post.key) == ("ledger:floor", "ledger:post")
    assert floor.n == post.n == 200
    assert floor.floor_ms is None
    assert post.floor_ms == floor.median_ms
    assert post.p95_ms >= post.median_ms > 0
    assert post.extra["entries"] == 200
    assert post.extra["verified_entries"] == 400


def test_a_second_run_extends_the_same_chains(world):
    ledger.run(quick=True, log=lambda message: None)
    ledger.run(quick=True, log=lambda message: None)

    floor_accounts, post_accounts = ledger.bench_accounts()
    assert _entries(floor_accounts) == _entries(post_accounts) == 400
    assert Account.objects.filter(label__startswith="性能基准").count() == 10


def test_an_interrupted_run_still_leaves_the_floor_accounts_consistent(world, monkeypatch):
    calls = []

    def failing_post(**kwargs):
        calls.append(kwargs)
        if len(calls) > 30:
            raise RuntimeError("interrupted")
        return real_post(**kwargs)

    real_post = ledger.ledger_post
    monkeypatch.setattr(ledger, "ledger_post", failing_post)
    with pytest.raises(RuntimeError, match="interrupted"):
        ledger.run(quick=True, log=lambda message: None)

    floor_accounts, post_accounts = ledger.bench_accounts()
    assert _entries(floor_accounts) > 0
    ids = [a.pk for a in (*floor_accounts, *post_accounts)]
    assert ledger_verify(accounts=Account.objects.filter(pk__in=ids)).is_clean


def test_schedule_alternates_round_robin_and_hot_blocks():
    blocks = ledger._schedule(10, 2)

    assert [slots for _, slots in blocks] == [[0, 1], [2, 3], [4, 4], [4, 4], [0, 1]]
