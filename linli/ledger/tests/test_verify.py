"""`ledger verify` finds rows changed behind the ledger's back, and says which entry."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from linli.ledger.models import Currency
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import account_open, ledger_post


@pytest.fixture
def posted(world):
    coins = Currency.objects.create(code="test_coins", name="测试积分")
    account = account_open(currency=coins, owner=world.person_a1, scope_path=world.grid_a1.path)
    entries = [ledger_post(account=account, amount=a, kind="credit", actor=None) for a in (5, 3, 2)]
    return account, entries


def test_amount_edited_by_raw_sql_is_reported_at_that_entry(posted):
    _account, entries = posted
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET amount = 30 WHERE id = %s", [entries[1].pk])
    report = ledger_verify()
    problems = {(a.entry_id, a.problem) for a in report.anomalies}
    assert (entries[1].pk, "内容哈希不符：该分录在账本之外被修改") in problems
    assert {a.entry_id for a in report.anomalies if a.entry_id} == {entries[1].pk}


def test_deleted_entry_breaks_the_chain_at_the_next_one(posted):
    _account, entries = posted
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE id = %s", [entries[1].pk])
    report = ledger_verify()
    assert any(a.entry_id == entries[2].pk and a.problem.startswith("序号不连续") for a in report.anomalies)
    assert any(
        a.entry_id == entries[2].pk and a.problem == "前序哈希不符：链条在此断开" for a in report.anomalies
    )


def test_balance_raised_by_raw_sql_is_reported_on_the_account(posted):
    account, _ = posted
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_account SET balance = 1000 WHERE id = %s", [account.pk])
    report = ledger_verify()
    assert [str(a) for a in report.anomalies] == [f"账户#{account.pk}：账户余额1000.00不等于分录合计10.00"]


def test_command_exits_non_zero_and_names_the_entry(posted, capsys):
    _account, entries = posted
    call_command("ledger", "verify")
    assert "发现 0 处异常" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET memo = 'x' WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError):
        call_command("ledger", "verify")
    assert f"分录#{entries[0].pk}(序号1)" in capsys.readouterr().out


def _shift(entry, moment) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(moment), entry.pk],
        )


def test_entry_moved_before_its_predecessor_by_raw_sql_is_reported_out_of_order(posted):
    _account, entries = posted
    earlier = entries[0].at - datetime.timedelta(minutes=5)
    _shift(entries[1], earlier)
    report = ledger_verify()
    first = timezone.localtime(entries[0].at)
    assert sorted((a.entry_id, a.problem) for a in report.anomalies) == [
        (entries[1].pk, "内容哈希不符：该分录在账本之外被修改"),
        (
            entries[1].pk,
            f"记账时间{timezone.localtime(earlier):%Y-%m-%d %H:%M:%S}早于上一笔的{first:%Y-%m-%d %H:%M:%S}"
            "（分录未按时间顺序记账）",
        ),
    ]


def test_account_last_entry_time_changed_by_raw_sql_is_reported(posted):
    account, _ = posted
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_account SET last_entry_at = NULL WHERE id = %s", [account.pk])
    report = ledger_verify()
    assert [str(a) for a in report.anomalies] == [f"账户#{account.pk}：账户最后记账时间与最后一笔分录不符"]
