"""The bulk writer of scale seeding leaves the ledger exactly as the posting service would."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.ledger.bulk import BulkLedger
from linli.ledger.hashing import digest_of
from linli.ledger.models import GENESIS_HASH, Account, Currency, Entry
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import EntryOutOfOrder, account_open, ledger_post


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, 0))


@pytest.fixture
def coins(db):
    return Currency.objects.create(code="test_coins", name="测试积分")


def test_chains_balances_and_tails_match_the_service(world, coins):
    ledger = BulkLedger(note="测试")
    account = ledger.open(
        currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path, created_at=_at(1, 8)
    )
    # Posted out of time order: the writer lays them in time order, equal times in posting order.
    third = ledger.post(account, 2, kind="credit", at=_at(5), memo="三")
    first = ledger.post(account, 5, kind="credit", at=_at(2), memo="一", idempotency_key="k:1")
    second = ledger.post(account, "-1.5", kind="debit", at=_at(2), memo="二")
    reversal = ledger.reverse(first, at=_at(6), reason="录错")
    assert ledger.flush() == 4

    entries = list(Entry.objects.filter(account_id=account.pk).order_by("seq"))
    assert [e.pk for e in entries] == [first, second, third, reversal]
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert [e.balance_after for e in entries] == [
        Decimal("5"),
        Decimal("3.5"),
        Decimal("5.5"),
        Decimal("0.5"),
    ]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(entries[i].prev_hash == entries[i - 1].hash for i in range(1, 4))
    assert all(digest_of(e) == e.hash for e in entries)
    assert entries[3].reverses_id == first and entries[3].memo == "冲正#1：录错"
    stored = Account.objects.get(pk=account.pk)
    assert (stored.balance, stored.entry_count, stored.last_hash, stored.last_entry_at) == (
        Decimal("0.5"),
        4,
        entries[3].hash,
        _at(6),
    )
    assert AuditEntry.objects.filter(target_type="ledger.entry", target_repr="4条积分分录").exists()
    assert ledger_verify().is_clean

    # A later flush continues the chain, and the service continues it after that.
    ledger.post(stored, 1, kind="credit", at=_at(7))
    ledger.finish()
    entry = ledger_post(account=stored, amount=2, kind="credit", actor=None)
    assert entry.seq == 6 and Account.objects.get(pk=account.pk).balance == Decimal("3.5")
    assert ledger_verify().is_clean


def test_bulk_entries_next_to_existing_accounts_keep_verify_clean(world, coins, capsys):
    existing = account_open(currency=coins, owner=world.person_a2, scope_path=world.grid_a1.path)
    ledger_post(account=existing, amount=3, kind="credit", actor=None, at=_at(1))
    ledger = BulkLedger()
    ledger.post(existing, 4, kind="credit", at=_at(3))
    account = ledger.open(
        currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path, created_at=_at(1)
    )
    for day in range(1, 20):
        ledger.post(account, day, kind="credit", at=_at(day))
    ledger.finish()
    assert Account.objects.get(pk=existing.pk).balance == Decimal("7")
    call_command("ledger", "verify")
    assert "发现 0 处异常" in capsys.readouterr().out


def test_verify_detects_a_tampered_bulk_row(world, coins):
    ledger = BulkLedger()
    account = ledger.open(
        currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path, created_at=_at(1)
    )
    ids = [ledger.post(account, 2, kind="credit", at=_at(day)) for day in (1, 2, 3)]
    ledger.finish()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET amount = 20 WHERE id = %s", [ids[1]])
    report = ledger_verify()
    assert {a.entry_id for a in report.anomalies if a.entry_id} == {ids[1]}
    with pytest.raises(CommandError):
        call_command("ledger", "verify")


def test_refuses_a_negative_balance_and_an_entry_before_the_tail(world, coins):
    ledger = BulkLedger()
    account = ledger.open(
        currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path, created_at=_at(1)
    )
    ledger.post(account, 2, kind="credit", at=_at(2))
    ledger.post(account, -3, kind="debit", at=_at(3))
    with pytest.raises(ValueError, match="余额将为负数"):
        ledger.flush()

    ledger = BulkLedger()
    account = ledger.open(
        currency=coins, owner=world.person_a2, scope_path=world.grid_a1.path, created_at=_at(1)
    )
    ledger.post(account, 2, kind="credit", at=_at(5))
    ledger.flush()
    ledger.post(account, 1, kind="credit", at=_at(4))
    with pytest.raises(EntryOutOfOrder):
        ledger.flush()


def test_ids_continue_after_bulk_rows(world, coins):
    ledger = BulkLedger()
    account = ledger.open(
        currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path, created_at=_at(1)
    )
    last = ledger.post(account, 1, kind="credit", at=_at(1))
    ledger.finish()
    other = account_open(currency=coins, owner=world.person_a2, scope_path=world.grid_a1.path)
    entry = ledger_post(account=other, amount=1, kind="credit", actor=None)
    assert other.pk > account.pk and entry.pk > last
