"""Expiry by rule (optional): first in, first out by earning date, announced beforehand, posted once."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from linli.bank.models import ExpiryPosting
from linli.bank.selectors.expiry import expiry_cutoff, expiry_notice_for, next_expiry_date
from linli.bank.services import earning_item_save, expiry_rule_save, expiry_run, order_cancel, order_place
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify

from .factories import balance, give_points

D = datetime.date


@pytest.fixture
def history(world, bank, clock):
    """张三 earns 30 in Nov 2025 and 10 in Feb 2026, and spends 20 in Mar 2026; the rule keeps 12 months."""
    clock.set(D(2025, 6, 1))
    rule = expiry_rule_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        is_active=True,
        keep_months=12,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    clock.set(D(2025, 11, 10))
    give_points(world, bank.a1, bank.activity, 3)
    clock.set(D(2026, 2, 1))
    give_points(world, bank.a1, bank.activity, 1)
    clock.set(D(2026, 3, 1))
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    return rule


def test_rule_dates(world, bank, history):
    assert (next_expiry_date(history, D(2026, 12, 31)), next_expiry_date(history, D(2027, 1, 1))) == (
        D(2026, 12, 31),
        D(2027, 12, 31),
    )
    assert expiry_cutoff(history, D(2026, 12, 31)) == D(2025, 12, 31)
    history.keep_months = 18
    assert expiry_cutoff(history, D(2026, 12, 31)) == D(2025, 6, 30)


def test_notice_appears_within_the_notice_days_with_the_fifo_amount(world, bank, history, clock):
    assert expiry_notice_for(bank.a1, history, D(2026, 11, 30)) is None
    notice = expiry_notice_for(bank.a1, history, D(2026, 12, 1))
    assert (notice.expires_on, notice.cutoff, notice.amount) == (
        D(2026, 12, 31),
        D(2025, 12, 31),
        Decimal("10.00"),
    )
    assert expiry_notice_for(bank.a2, history, D(2026, 12, 1)) is None


def test_dry_run_computes_and_posts_nothing(world, bank, history, capsys):
    call_command("bank", "expire", "--date", "2026-12-31", "--dry-run")
    out = capsys.readouterr().out
    assert "复兴社区积分驿站：2026-12-31到期，2025-12-31及以前获得的积分：1位储户共10.00分" in out
    assert "张三：余额20.00分，过期10.00分" in out
    assert "（试算，未记账）" in out
    assert (ExpiryPosting.objects.count(), balance(bank.a1)) == (0, Decimal("20.00"))


def test_expiry_posts_once_per_depositor_and_date(world, bank, history, clock):
    clock.set(D(2026, 12, 31), hour=23)
    runs = expiry_run(dry_run=False)
    assert [(r.expires_on, r.posted) for r in runs] == [(D(2026, 12, 31), 1)]
    assert balance(bank.a1) == Decimal("10.00")
    entry = Entry.objects.get(kind="expiry")
    assert (entry.amount, entry.idempotency_key, entry.memo) == (
        Decimal("-10.00"),
        f"bank:expiry:{bank.a1.pk}:2026-12-31",
        "复兴社区积分驿站·积分过期（2025-12-31及以前获得，2026-12-31到期）",
    )
    clock.set(D(2027, 1, 5))
    assert [r.posted for r in expiry_run(dry_run=False)] == [0]
    assert (balance(bank.a1), ExpiryPosting.objects.count()) == (Decimal("10.00"), 1)
    assert ledger_verify().anomalies == []


def test_next_year_expires_what_is_left_of_the_following_earnings(world, bank, history, clock):
    clock.set(D(2026, 12, 31))
    expiry_run(dry_run=False)
    clock.set(D(2027, 12, 31))
    expiry_run(dry_run=False)
    # Earned 40, spent 20, expired 10: the 10 left are from Feb 2026, older than 12 months now.
    assert balance(bank.a1) == Decimal("0.00")


def test_spending_before_the_date_shrinks_the_expiry(world, bank, history, clock):
    clock.set(D(2026, 12, 20))
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.haircut, quantity=1)
    clock.set(D(2026, 12, 31))
    expiry_run(dry_run=False)
    # Old 30 − spent 35 ⇒ nothing old left; the remaining 5 are from Feb 2026.
    assert (ExpiryPosting.objects.count(), balance(bank.a1)) == (0, Decimal("5.00"))


def test_a_cancelled_order_gives_points_back_to_the_old_pile(world, bank, history, clock):
    clock.set(D(2026, 12, 20))
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.haircut, quantity=1)
    order_cancel(actor=world.resident_a1, order=order)
    clock.set(D(2026, 12, 31))
    expiry_run(dry_run=False)
    assert balance(bank.a1) == Decimal("10.00")


def test_a_rule_announced_too_late_does_not_expire_this_year(world, bank, clock):
    clock.set(D(2025, 11, 10))
    give_points(world, bank.a1, bank.activity, 1)
    clock.set(D(2026, 12, 15))
    expiry_rule_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        is_active=True,
        keep_months=12,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    clock.set(D(2026, 12, 31))
    runs = expiry_run(dry_run=False)
    assert [(r.applies, r.posted) for r in runs] == [(False, 0)]
    assert expiry_notice_for(bank.a1, runs[0].rule, D(2026, 12, 20)) is None
    assert balance(bank.a1) == Decimal("10.00")


def test_changing_the_terms_announces_the_rule_again(world, bank, history, clock):
    clock.set(D(2026, 12, 10))
    rule = expiry_rule_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        is_active=True,
        keep_months=6,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    assert rule.announced_on == D(2026, 12, 10)
    same = expiry_rule_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        is_active=True,
        keep_months=6,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    assert same.announced_on == D(2026, 12, 10)


def test_other_communities_are_untouched(world, bank, history, clock):
    clock.set(D(2025, 11, 10))
    cleaning = earning_item_save(
        actor=world.community_admin_b,
        station=bank.station_b,
        name="清洁家园",
        category="activity",
        points=Decimal("4"),
    )
    give_points(world, bank.b1, cleaning, 1)
    clock.set(D(2026, 12, 31))
    runs = expiry_run(dry_run=False)
    assert [line.depositor_id for run in runs for line in run.lines] == [bank.a1.pk]
    assert balance(bank.b1) == Decimal("4.00")
