"""An account's entries are in time order: the wall clock is caught up, a given or simulated earlier time is refused."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from linli.core import clock
from linli.core.models import AuditEntry
from linli.ledger.models import Account, Currency, Entry
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import (
    EntryOutOfOrder,
    account_open,
    ledger_post,
    ledger_reverse,
    ledger_transfer,
)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 9, day, hour, minute))


@pytest.fixture
def coins(db):
    return Currency.objects.create(code="test_coins", name="测试积分", unit="分")


@pytest.fixture
def account(world, coins):
    return account_open(currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path)


@pytest.fixture
def other(world, coins):
    return account_open(currency=coins, owner=world.person_a2, scope_path=world.grid_a1.path)


def post(account, amount=5, **kwargs):
    return ledger_post(account=account, amount=amount, kind="credit", actor=None, **kwargs)


def test_the_account_remembers_when_its_last_entry_was_posted(account):
    first = post(account, at=at(1, 9))
    second = post(account, at=at(2, 10))
    account.refresh_from_db()
    assert (first.at, second.at, account.last_entry_at) == (at(1, 9), at(2, 10), at(2, 10))


def test_a_posting_on_the_wall_clock_carries_the_current_time(account):
    before = timezone.now()
    entry = post(account)
    assert before <= entry.at <= timezone.now()


def test_a_wall_clock_behind_the_last_entry_posts_at_the_last_entrys_time(account):
    ahead = timezone.now() + datetime.timedelta(hours=3)
    post(account, at=ahead)
    entry = post(account, amount=2)
    assert (entry.seq, entry.at) == (2, ahead)


def test_a_given_time_before_the_last_entry_is_refused_and_changes_nothing(account):
    post(account, at=at(10, 15, 30))
    audits = AuditEntry.objects.count()
    with pytest.raises(EntryOutOfOrder) as refused:
        post(account, amount=3, at=at(10, 15, 29))
    assert str(refused.value) == (
        f"账户#{account.pk}（{account}）的分录须按时间顺序记账：本笔时间2026-09-10 15:29:00.000000"
        "早于上一笔（序号1）的2026-09-10 15:30:00.000000。请按时间顺序执行（演示数据见 linli.core.demo 的时间线）。"
    )
    account.refresh_from_db()
    assert (account.balance, account.entry_count, account.last_entry_at) == (Decimal("5"), 1, at(10, 15, 30))
    assert (Entry.objects.count(), AuditEntry.objects.count()) == (1, audits)


def test_a_given_time_equal_to_the_last_entry_is_accepted(account):
    post(account, at=at(10, 15))
    assert post(account, at=at(10, 15)).seq == 2


def test_a_simulated_clock_stamps_its_moment_and_may_not_go_back(account):
    with clock.simulated(at(3, 9, 15)):
        first = post(account)
    with clock.simulated(at(3, 9, 14)), pytest.raises(EntryOutOfOrder):
        post(account)
    with clock.simulated(at(4, 16)):
        second = post(account)
    assert [(e.seq, e.at) for e in (first, second)] == [(1, at(3, 9, 15)), (2, at(4, 16))]


def test_a_reversal_under_a_simulated_earlier_clock_is_refused(account):
    with clock.simulated(at(5, 10)):
        entry = post(account)
    with clock.simulated(at(4, 10)), pytest.raises(EntryOutOfOrder):
        ledger_reverse(entry=entry, actor=None, reason="录错")
    assert Entry.objects.filter(reverses=entry).count() == 0


def test_both_legs_of_a_transfer_carry_one_time_not_before_either_account(account, other):
    post(account, amount=10, at=at(6, 9))
    ahead = timezone.now() + datetime.timedelta(hours=2)
    post(other, amount=1, at=ahead)
    out, into = ledger_transfer(
        source_account=account, target_account=other, amount=4, kind="relay", actor=None
    )
    assert (out.at, into.at) == (ahead, ahead)


def test_a_transfer_under_a_simulated_clock_before_the_target_is_refused(account, other):
    post(account, amount=10, at=at(6, 9))
    post(other, amount=1, at=at(8, 9))
    with clock.simulated(at(7, 9)), pytest.raises(EntryOutOfOrder):
        ledger_transfer(source_account=account, target_account=other, amount=4, kind="relay", actor=None)
    assert (Entry.objects.filter(account=account).count(), Entry.objects.filter(account=other).count()) == (
        1,
        1,
    )


def test_verify_is_clean_after_postings_in_time_order(account, other):
    post(account, at=at(1, 9))
    post(other, at=at(1, 8))
    with clock.simulated(at(2, 10)):
        ledger_transfer(source_account=account, target_account=other, amount=2, kind="relay", actor=None)
    assert ledger_verify().anomalies == []


def test_the_migration_fills_the_last_entry_time_from_the_entries_and_its_reverse_clears_it(account, other):
    post(account, at=at(1, 9))
    post(account, at=at(2, 9))
    Account.objects.update(last_entry_at=None)
    migration = importlib.import_module("linli.ledger.migrations.0003_account_last_entry_at_backfill")
    migration.backfill(apps, None)
    assert dict(Account.objects.values_list("pk", "last_entry_at")) == {account.pk: at(2, 9), other.pk: None}
    migration.clear(apps, None)
    assert set(Account.objects.values_list("last_entry_at", flat=True)) == {None}
