"""On PostgreSQL: many threads crediting and debiting one account lose nothing and keep the chain."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from linli.ledger.models import Account, Currency, Entry
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import InsufficientBalance, account_open, ledger_post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
POSTS_PER_THREAD = 25


def test_concurrent_credits_and_debits_end_with_balance_equal_to_sum_of_entries(world):
    coins = Currency.objects.create(code="test_coins", name="测试积分")
    account = account_open(currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path)
    ledger_post(account=account, amount=100, kind="credit", actor=None)
    refused = []
    barrier = threading.Barrier(THREADS)

    def work(n: int) -> None:
        close_old_connections()
        try:
            barrier.wait()
            for i in range(POSTS_PER_THREAD):
                amount = 3 if (n + i) % 2 else -5
                try:
                    ledger_post(
                        account=account, amount=amount, kind="credit" if amount > 0 else "debit", actor=None
                    )
                except InsufficientBalance:
                    refused.append(amount)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    account.refresh_from_db()
    entries = list(Entry.objects.filter(account=account).order_by("seq"))
    assert len(entries) == 1 + THREADS * POSTS_PER_THREAD - len(refused)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert account.balance == sum((e.amount for e in entries), Decimal("0"))
    assert min(e.balance_after for e in entries) >= 0
    assert ledger_verify().anomalies == []


def test_verify_reports_the_exact_entry_after_raw_sql_on_postgres(world):
    coins = Currency.objects.create(code="test_coins", name="测试积分")
    account = account_open(currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path)
    entries = [ledger_post(account=account, amount=a, kind="credit", actor=None) for a in (4, 6)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET amount = 60 WHERE id = %s", [entries[1].pk])
    anomalies = ledger_verify().anomalies
    assert {a.entry_id for a in anomalies if a.entry_id} == {entries[1].pk}
    assert Account.objects.get(pk=account.pk).balance == Decimal("10.00")
