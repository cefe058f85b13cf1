"""The ledger core: posting under lock, no negative balances, idempotent credits, reversals, transfers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from linli.core.models import AuditEntry
from linli.ledger.models import Account, Currency, Entry
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import (
    AlreadyReversed,
    InsufficientBalance,
    account_open,
    ledger_post,
    ledger_reverse,
    ledger_transfer,
)


@pytest.fixture
def coins(db):
    return Currency.objects.create(code="test_coins", name="测试积分", unit="分")


@pytest.fixture
def account(world, coins):
    return account_open(currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path)


def test_post_moves_balance_and_chains_the_entry(world, account):
    first = ledger_post(account=account, amount=5, kind="credit", actor=world.grid_worker_a1, memo="垃圾分类")
    second = ledger_post(account=account, amount="-2", kind="debit", actor=world.grid_worker_a1)
    account.refresh_from_db()
    assert account.balance == Decimal("3.00")
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert account.last_hash == second.hash
    assert second.balance_after == Decimal("3.00")


def test_post_is_audited(world, account):
    ledger_post(account=account, amount=5, kind="credit", actor=world.grid_worker_a1, memo="垃圾分类")
    entry = AuditEntry.objects.get(action="post")
    assert (entry.actor_name, entry.target_id, entry.changes) == (
        "grid_worker_a1",
        str(account.pk),
        {"balance": ["0.00", "5.00"]},
    )


def test_balance_cannot_go_negative_and_nothing_is_written(world, account):
    ledger_post(account=account, amount=3, kind="credit", actor=None)
    with pytest.raises(InsufficientBalance, match="余额不足：当前3分，需要4分"):
        ledger_post(account=account, amount=-4, kind="redemption", actor=None)
    account.refresh_from_db()
    assert (account.balance, account.entry_count, Entry.objects.count()) == (Decimal("3.00"), 1, 1)


def test_currency_that_allows_negative_balances_accepts_them(world, coins, account):
    Currency.objects.filter(pk=coins.pk).update(allow_negative=True)
    ledger_post(account=account, amount=-4, kind="debit", actor=None)
    account.refresh_from_db()
    assert account.balance == Decimal("-4.00")


def test_same_idempotency_key_credits_once(world, account):
    first = ledger_post(
        account=account, amount=2, kind="credit", actor=None, idempotency_key="meeting:7:member:1"
    )
    again = ledger_post(
        account=account, amount=2, kind="credit", actor=None, idempotency_key="meeting:7:member:1"
    )
    account.refresh_from_db()
    assert again.pk == first.pk
    assert (account.balance, account.entry_count) == (Decimal("2.00"), 1)


def test_idempotency_key_reused_for_a_different_amount_is_refused(world, account):
    ledger_post(account=account, amount=2, kind="credit", actor=None, idempotency_key="k1")
    with pytest.raises(ValidationError, match="幂等键 k1 已用于另一笔记账"):
        ledger_post(account=account, amount=3, kind="credit", actor=None, idempotency_key="k1")


def test_reversal_posts_the_opposite_and_cites_the_original(world, account):
    original = ledger_post(account=account, amount=5, kind="credit", actor=None)
    reversal = ledger_reverse(entry=original, actor=world.community_admin_a, reason="录入错误")
    account.refresh_from_db()
    assert (reversal.amount, reversal.reverses_id, reversal.kind) == (
        Decimal("-5.00"),
        original.pk,
        "reversal",
    )
    assert account.balance == Decimal("0.00")
    assert Entry.objects.get(pk=original.pk).amount == Decimal("5.00")


def test_an_entry_is_reversed_only_once(world, account):
    original = ledger_post(account=account, amount=5, kind="credit", actor=None)
    ledger_reverse(entry=original, actor=None, reason="错")
    with pytest.raises(AlreadyReversed):
        ledger_reverse(entry=original, actor=None, reason="再错")


def test_reversal_needs_a_reason(world, account):
    original = ledger_post(account=account, amount=5, kind="credit", actor=None)
    with pytest.raises(ValidationError, match="冲正必须填写原因"):
        ledger_reverse(entry=original, actor=None, reason=" ")


def test_transfer_writes_two_entries_summing_to_zero(world, coins, account):
    other = account_open(currency=coins, owner=world.person_a2, scope_path=world.grid_a2.path)
    ledger_post(account=account, amount=10, kind="credit", actor=None)
    out, into = ledger_transfer(
        source_account=account, target_account=other, amount=4, kind="transfer", actor=None
    )
    assert out.amount + into.amount == 0
    assert out.transfer_id == into.transfer_id
    assert Account.objects.get(pk=other.pk).balance == Decimal("4.00")


def test_transfer_beyond_balance_changes_nothing(world, coins, account):
    other = account_open(currency=coins, owner=world.person_a2, scope_path=world.grid_a2.path)
    ledger_post(account=account, amount=1, kind="credit", actor=None)
    with pytest.raises(InsufficientBalance):
        ledger_transfer(source_account=account, target_account=other, amount=4, kind="transfer", actor=None)
    assert Entry.objects.count() == 1
    assert Account.objects.get(pk=other.pk).balance == 0


def test_annual_currency_needs_a_year(world):
    annual = Currency.objects.create(code="annual", name="年度积分", is_annual=True)
    with pytest.raises(ValueError):
        account_open(currency=annual, owner=world.member_a, scope_path=world.community_a.path)
    assert account_open(currency=annual, owner=world.member_a, scope_path="/x/", year=2026).year == 2026


def test_verify_is_clean_after_normal_work(world, account):
    for amount in (5, 3, -2):
        ledger_post(account=account, amount=amount, kind="credit", actor=None)
    report = ledger_verify()
    assert (report.accounts, report.entries, report.anomalies) == (1, 3, [])
