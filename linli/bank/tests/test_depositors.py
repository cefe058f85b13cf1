"""Depositors and their codes: opening accounts, phone and card tokens, short codes, revoking a lost card."""

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.bank import codes
from linli.bank.choices import DepositorKind, EarningMethod
from linli.bank.models import Depositor
from linli.bank.services import depositor_card_revoke, depositor_open, depositors_open_for_grid
from linli.ledger.models import Account
from linli.people.services import person_create


def test_resident_gets_points_and_hours_accounts_scoped_to_their_grid(world, bank):
    points, hours = bank.a1.points_account, bank.a1.hours_account
    assert (bank.a1.kind, bank.a1.community, bank.a1.node) == (
        DepositorKind.PERSON,
        world.community_a,
        world.grid_a1,
    )
    assert (points.currency.code, points.scope_path, points.holder_person_id) == (
        "bank_points",
        world.grid_a1.path,
        world.person_a1.pk,
    )
    assert (hours.currency.code, hours.currency.unit) == ("time_hours", "小时")
    assert (bank.household_a1.name, bank.household_a1.hours_account) == ("1栋1单元101（户）", None)


def test_opening_again_returns_the_same_depositor(world, bank):
    again = depositor_open(actor=world.resident_a1, person=world.person_a1)
    assert again.pk == bank.a1.pk
    assert (
        Account.objects.filter(holder_person_id=world.person_a1.pk, currency__code="bank_points").count() == 1
    )


def test_unit_depositor(world, bank):
    unit = depositor_open(actor=world.community_admin_a, unit=world.unit_a)
    assert (unit.kind, unit.name, unit.community, unit.hours_account) == (
        DepositorKind.UNIT,
        "玉带物业公司",
        world.community_a,
        None,
    )
    with pytest.raises(ValidationError, match="只有驻区单位"):
        depositor_open(actor=world.community_admin_a, unit=world.grid_a1)


def test_outsiders_cannot_open_a_residents_account(world):
    for outsider in (world.community_admin_b, world.grid_worker_a2, world.member_user_a):
        with pytest.raises(PermissionDenied):
            depositor_open(actor=outsider, person=world.person_a1)
    assert Depositor.objects.count() == 0


def test_depositor_follows_a_resident_who_moves_grid(world, bank):
    type(world.person_a1).objects.filter(pk=world.person_a1.pk).update(node=world.grid_a2)
    world.person_a1.refresh_from_db()
    moved = depositor_open(actor=world.community_admin_a, person=world.person_a1)
    moved.points_account.refresh_from_db()
    assert (moved.pk, moved.node, moved.points_account.scope_path) == (
        bank.a1.pk,
        world.grid_a2,
        world.grid_a2.path,
    )


def test_open_every_resident_of_a_grid_for_cards(world):
    person_create(actor=world.district_admin, node=world.grid_a1, name="王五")
    assert depositors_open_for_grid(actor=world.grid_worker_a1, grid=world.grid_a1) == 3
    assert depositors_open_for_grid(actor=world.grid_worker_a1, grid=world.grid_a1) == 0
    with pytest.raises(PermissionDenied):
        depositors_open_for_grid(actor=world.grid_worker_a1, grid=world.grid_a2)


def test_short_code_alphabet_is_unambiguous(world, bank):
    assert len(bank.a1.short_code) == 8
    assert set(bank.a1.short_code) <= set(codes.ALPHABET)
    assert not set("01ILO") & set(codes.ALPHABET)
    assert codes.short_code_normalize(" abcd-efgh ") == "ABCDEFGH"


def test_phone_token_reads_back_and_expires(world, bank, monkeypatch):
    token = codes.phone_token(bank.a1.pk)
    assert codes.code_read(token) == codes.ReadCode(EarningMethod.PHONE, depositor_id=bank.a1.pk)
    later = time.time() + codes.PHONE_TOKEN_MAX_AGE + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert codes.code_read(token).error == "手机二维码已过期，请居民刷新页面后重新扫码。"


def test_card_token_carries_the_card_version_and_forgeries_fail(world, bank):
    token = codes.card_token(bank.a1.pk, bank.a1.card_version)
    assert codes.code_read(token) == codes.ReadCode(
        EarningMethod.CARD, depositor_id=bank.a1.pk, card_version=1
    )
    forged = token.replace(f"C{bank.a1.pk}.", f"C{bank.a2.pk}.")
    assert codes.code_read(forged).error == "二维码无法识别，不是本系统的储户码。"
    assert codes.code_read("12").error == "储户码应为8位字母或数字（不含0、1、I、L、O）。"


def test_revoking_a_card_changes_code_and_version(world, bank):
    old_code = bank.a1.short_code
    with pytest.raises(ValidationError):
        depositor_card_revoke(actor=world.grid_worker_a1, depositor=bank.a1, reason="")
    with pytest.raises(PermissionDenied):
        depositor_card_revoke(actor=world.grid_worker_a2, depositor=bank.a1, reason="丢失")
    depositor_card_revoke(actor=world.grid_worker_a1, depositor=bank.a1, reason="丢失")
    fresh = Depositor.objects.get(pk=bank.a1.pk)
    assert (fresh.card_version, fresh.short_code != old_code) == (2, True)


def test_qr_svg_is_inline_and_self_contained(world, bank):
    svg = codes.qr_svg(codes.card_token(bank.a1.pk, 1), title="储户码")
    assert svg.startswith("<svg") and "http" not in svg
