"""Earning points (BNK-1): evidence, daily and monthly caps, scope, voiding, and what reaches the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.bank.choices import EarningMethod
from linli.bank.models import Earning
from linli.bank.services import earning_record, earning_void, order_place
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify

from .factories import balance, give_points

PHOTO = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def photo():
    return SimpleUploadedFile("活动照片.gif", PHOTO, content_type="image/gif")


def test_worker_credits_a_resident_and_the_ledger_names_station_and_item(world, bank):
    earning = earning_record(
        actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method=EarningMethod.CODE
    )
    entry = Entry.objects.get(pk=earning.entry_id)
    assert balance(bank.a1) == Decimal("2.00")
    assert (entry.amount, entry.memo, entry.source_type, entry.source_id, entry.idempotency_key) == (
        Decimal("2.00"),
        "复兴社区积分驿站·垃圾分类×1",
        "bank.earning",
        str(earning.pk),
        f"bank:earning:{earning.pk}",
    )
    assert (earning.station, earning.recorded_by_name, earning.method) == (
        bank.station_a,
        "grid_worker_a1",
        "code",
    )


def test_daily_cap_refuses_the_second_credit_of_the_day_and_changes_nothing(world, bank, clock):
    clock.set(datetime.date(2026, 3, 20))
    earning_record(
        actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method=EarningMethod.CODE
    )
    with pytest.raises(
        ValidationError, match="超出每日上限：「垃圾分类」每人每日最多2分，3月20日已记2分，本次2分"
    ):
        earning_record(
            actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method=EarningMethod.CODE
        )
    assert (balance(bank.a1), Earning.objects.count()) == (Decimal("2.00"), 1)


def test_monthly_cap_counts_every_day_of_the_month(world, bank, clock):
    clock.set(datetime.date(2026, 3, 20))
    for day in range(1, 6):
        earning_record(
            actor=world.grid_worker_a1,
            depositor=bank.a1,
            item=bank.garbage,
            method="code",
            occurred_on=datetime.date(2026, 3, day),
        )
    with pytest.raises(
        ValidationError, match="超出每月上限：「垃圾分类」每人每月最多10分，3月已记10分，本次2分"
    ):
        earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method="code")
    assert balance(bank.a1) == Decimal("10.00")


def test_monthly_cap_starts_again_in_a_new_month(world, bank, clock):
    clock.set(datetime.date(2026, 4, 2))
    for day in range(24, 29):
        earning_record(
            actor=world.grid_worker_a1,
            depositor=bank.a1,
            item=bank.garbage,
            method="code",
            occurred_on=datetime.date(2026, 3, day),
        )
    earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method="code")
    assert balance(bank.a1) == Decimal("12.00")


def test_voided_earning_no_longer_counts_towards_the_cap(world, bank):
    earning = earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method="code")
    earning_void(actor=world.community_admin_a, earning=earning, reason="记错了人")
    earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.garbage, method="code")
    assert balance(bank.a1) == Decimal("2.00")


def test_photo_evidence_is_required_where_the_catalogue_says_so(world, bank):
    with pytest.raises(ValidationError, match="「志愿服务」需要上传照片作为证据"):
        earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.volunteer, method="code")
    earning = earning_record(
        actor=world.grid_worker_a1, depositor=bank.a1, item=bank.volunteer, method="code", evidence=photo()
    )
    assert earning.evidence.name.startswith("bank/evidence/")
    assert balance(bank.a1) == Decimal("5.00")


def test_witness_is_required_where_the_catalogue_says_so(world, bank):
    with pytest.raises(ValidationError, match="「献智献策」需要填写证明人"):
        earning_record(
            actor=world.grid_worker_a1, depositor=bank.a1, item=bank.ideas, method="code", witness=" "
        )
    earning_record(
        actor=world.grid_worker_a1, depositor=bank.a1, item=bank.ideas, method="code", witness="王主任"
    )
    assert balance(bank.a1) == Decimal("10.00")


def test_future_and_too_old_dates_are_refused(world, bank):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="发生日期不能晚于今天"):
        earning_record(
            actor=world.grid_worker_a1,
            depositor=bank.a1,
            item=bank.activity,
            method="code",
            occurred_on=today + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="只能补录31天以内发生的积分"):
        earning_record(
            actor=world.grid_worker_a1,
            depositor=bank.a1,
            item=bank.activity,
            method="code",
            occurred_on=today - datetime.timedelta(days=32),
        )
    assert Earning.objects.count() == 0


def test_worker_of_another_grid_or_community_cannot_credit(world, bank):
    for outsider in (world.grid_worker_a2, world.community_admin_b, world.community_admin_a2):
        with pytest.raises(PermissionDenied):
            earning_record(actor=outsider, depositor=bank.a1, item=bank.activity, method="code")
    assert (balance(bank.a1), Earning.objects.count()) == (Decimal("0.00"), 0)


def test_residents_cannot_credit_themselves(world, bank):
    with pytest.raises(PermissionDenied):
        earning_record(actor=world.resident_a1, depositor=bank.a1, item=bank.activity, method="code")


def test_only_the_depositors_own_community_catalogue_applies(world, bank):
    with pytest.raises(ValidationError, match="张三不是翠湖社区的储户"):
        earning_record(actor=world.street_admin, depositor=bank.a1, item=bank.activity_a2, method="code")


def test_inactive_item_cannot_be_credited(world, bank):
    type(bank.activity).objects.filter(pk=bank.activity.pk).update(is_active=False)
    bank.activity.refresh_from_db()
    with pytest.raises(ValidationError, match="积分项目「社区活动」已停用"):
        earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.activity, method="code")


def test_household_is_credited_on_its_own_account(world, bank):
    earning_record(
        actor=world.grid_worker_a1,
        depositor=bank.household_a1,
        item=bank.garbage,
        method=EarningMethod.HOUSEHOLD,
    )
    assert (balance(bank.household_a1), balance(bank.a1)) == (Decimal("2.00"), Decimal("0.00"))


def test_void_reverses_the_entry_and_keeps_both(world, bank):
    earning = earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.activity, method="code")
    earning_void(actor=world.community_admin_a, earning=earning, reason="重复录入")
    earning.refresh_from_db()
    reversal = Entry.objects.get(pk=earning.void_entry_id)
    assert (reversal.amount, reversal.reverses_id, reversal.memo) == (
        Decimal("-10.00"),
        earning.entry_id,
        "冲正#1：重复录入",
    )
    assert balance(bank.a1) == Decimal("0.00")
    with pytest.raises(ValidationError, match="该积分记录已冲正"):
        earning_void(actor=world.community_admin_a, earning=earning, reason="再来")


def test_void_is_refused_once_the_points_are_spent(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    earning = Earning.objects.filter(depositor=bank.a1).first()
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    with pytest.raises(ValidationError, match="余额不足以冲正"):
        earning_void(actor=world.community_admin_a, earning=earning, reason="错")
    assert balance(bank.a1) == Decimal("0.00")


def test_grid_worker_may_not_void(world, bank):
    earning = earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.activity, method="code")
    with pytest.raises(PermissionDenied):
        earning_void(actor=world.grid_worker_a1, earning=earning, reason="错")


def test_ledger_verifies_clean_after_earning_and_voiding(world, bank):
    earning = earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.activity, method="code")
    earning_void(actor=world.community_admin_a, earning=earning, reason="错")
    assert ledger_verify().anomalies == []
