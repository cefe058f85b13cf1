"""The time bank (BNK-3): confirmation by the recipient or a recorded proxy, disputes, withdrawals, 爱心接力."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linli.accounts.services import role_grant, user_create
from linli.bank.choices import ConfirmedAs, RelayRelation, ServiceState
from linli.bank.models import ServiceRecord, TimeRelay
from linli.bank.services import (
    depositor_open,
    service_claim,
    service_confirm,
    service_dispute,
    service_reject,
    service_resolve,
    time_relay,
    time_withdraw,
)
from linli.core.roles import Role
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify
from linli.people.services import person_create
from linli.testing.world import PASSWORD


def hours(depositor) -> Decimal:
    depositor.hours_account.refresh_from_db()
    return depositor.hours_account.balance


@pytest.fixture
def family(world, bank):
    """张三's wife 李梅 lives in household_a1 and has a resident login."""
    person = person_create(
        actor=world.district_admin,
        node=world.grid_a1,
        name="李梅",
        household=world.household_a1,
        relation_to_head="spouse",
    )
    user = user_create(
        actor=None,
        username="resident_wife",
        password=PASSWORD,
        person=person,
        must_change_password=False,
        check_actor=False,
    )
    role_grant(actor=None, user=user, role=Role.RESIDENT, node=None, check_actor=False)
    return depositor_open(actor=world.community_admin_a, person=person), user


def claim(world, bank, provider=None, recipient=None, actor=None, hours="2"):
    return service_claim(
        actor=actor or world.grid_worker_a2,
        provider=provider or bank.a2,
        recipient=recipient or bank.a1,
        what="陪同就医",
        served_on=timezone.localdate() - datetime.timedelta(days=1),
        hours=hours,
    )


def test_recipient_confirms_and_the_provider_is_credited_once(world, bank):
    record = claim(world, bank)
    assert hours(bank.a2) == 0
    service_confirm(actor=world.resident_a1, record=record)
    record.refresh_from_db()
    assert (record.state, record.confirmed_as, record.is_on_behalf, record.credited_hours) == (
        ServiceState.CONFIRMED,
        ConfirmedAs.RECIPIENT,
        False,
        Decimal("2.0"),
    )
    entry = Entry.objects.get(pk=record.entry_id)
    assert (entry.amount, entry.idempotency_key, entry.memo) == (
        Decimal("2.00"),
        f"bank:service:{record.pk}",
        f"时间银行·陪同就医（服务张三，{record.served_on:%Y-%m-%d}）",
    )
    assert hours(bank.a2) == Decimal("2.00")


def test_family_member_confirms_on_behalf_and_it_is_recorded_as_such(world, bank, family):
    _wife, wife_user = family
    record = claim(world, bank)
    service_confirm(actor=wife_user, record=record)
    record.refresh_from_db()
    assert (record.confirmed_as, record.confirmed_by_name, record.is_on_behalf) == (
        ConfirmedAs.FAMILY,
        "resident_wife",
        True,
    )
    assert hours(bank.a2) == Decimal("2.00")


def test_grid_worker_of_the_recipients_grid_confirms_on_behalf(world, bank):
    record = claim(world, bank, actor=world.community_admin_a)
    service_confirm(actor=world.grid_worker_a1, record=record)
    record.refresh_from_db()
    assert (record.confirmed_as, record.confirmed_by_name) == (ConfirmedAs.GRID_WORKER, "grid_worker_a1")


def test_who_may_not_confirm(world, bank, family):
    wife, _ = family
    record = claim(world, bank)  # recorded by grid_worker_a2 for provider 单田芳 (a2)
    refused = [
        world.grid_worker_a2,  # recorded the claim
        world.member_user_a,  # unrelated resident
        world.community_admin_b,  # another community
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied):
            service_confirm(actor=actor, record=record)
    # A family member who is the provider cannot confirm their own service to a relative.
    own = claim(world, bank, provider=wife, actor=world.community_admin_a)
    with pytest.raises(PermissionDenied, match="登记人或服务人本人不能确认"):
        service_confirm(actor=family[1], record=own)
    assert ServiceRecord.objects.filter(state=ServiceState.CLAIMED).count() == 2
    assert hours(bank.a2) == 0


def test_confirming_twice_credits_once(world, bank):
    record = claim(world, bank)
    service_confirm(actor=world.resident_a1, record=record)
    with pytest.raises(Exception, match="当前状态为「已确认入账」"):
        service_confirm(actor=world.grid_worker_a1, record=record)
    assert hours(bank.a2) == Decimal("2.00")


def test_provider_claims_for_themselves_but_cannot_serve_themselves(world, bank):
    record = claim(world, bank, provider=bank.a1, recipient=bank.a2, actor=world.resident_a1)
    assert record.claimed_by_name == "resident_a1"
    with pytest.raises(ValidationError, match="不能为自己登记服务时长"):
        claim(world, bank, provider=bank.a1, recipient=bank.a1, actor=world.resident_a1)
    with pytest.raises(PermissionDenied):
        claim(world, bank, provider=bank.a2, recipient=bank.a1, actor=world.resident_a1)


def test_hours_must_be_sensible(world, bank):
    for bad, message in (
        ("0", "时长必须大于0"),
        ("1.25", "最多一位小数"),
        ("13", "一次服务最多记12小时"),
        ("x", "时长必须是数字"),
    ):
        with pytest.raises(ValidationError, match=message):
            claim(world, bank, hours=bad)


def test_dispute_then_resolution_credits_the_hours_found(world, bank):
    record = claim(world, bank, hours="3")
    service_dispute(actor=world.resident_a1, record=record, reason="只陪了两个小时")
    assert hours(bank.a2) == 0
    with pytest.raises(PermissionDenied):
        service_resolve(actor=world.grid_worker_a1, record=record, hours="2", note="核实")
    with pytest.raises(ValidationError, match="入账时长不能超过登记的3小时"):
        service_resolve(actor=world.community_admin_a, record=record, hours="4", note="核实")
    service_resolve(actor=world.community_admin_a, record=record, hours="2", note="经核实按2小时")
    record.refresh_from_db()
    assert (record.state, record.credited_hours, record.dispute_reason) == (
        ServiceState.RESOLVED,
        Decimal("2.0"),
        "只陪了两个小时",
    )
    assert hours(bank.a2) == Decimal("2.00")


def test_dispute_rejected_credits_nothing(world, bank):
    record = claim(world, bank)
    with pytest.raises(Exception, match="必须填写"):
        service_dispute(actor=world.resident_a1, record=record, reason=" ")
    service_dispute(actor=world.resident_a1, record=record, reason="没有这回事")
    service_reject(actor=world.community_admin_a, record=record, note="核实无此服务")
    assert (ServiceRecord.objects.get(pk=record.pk).state, hours(bank.a2)) == (ServiceState.REJECTED, 0)


def test_withdrawal_spends_hours_and_never_below_zero(world, bank):
    service_confirm(actor=world.resident_a1, record=claim(world, bank, hours="3"))
    time_withdraw(
        actor=world.grid_worker_a2,
        depositor=bank.a2,
        hours="2",
        service="上门保洁",
        occurred_on=timezone.localdate(),
    )
    assert hours(bank.a2) == Decimal("1.00")
    with pytest.raises(ValidationError, match="时间银行余额不足"):
        time_withdraw(
            actor=world.grid_worker_a2,
            depositor=bank.a2,
            hours="2",
            service="上门保洁",
            occurred_on=timezone.localdate(),
        )
    assert hours(bank.a2) == Decimal("1.00")


def test_resident_relays_hours_to_a_family_member(world, bank, family):
    wife, _ = family
    service_confirm(
        actor=world.grid_worker_a2,
        record=claim(world, bank, provider=bank.a1, recipient=bank.a2, actor=world.resident_a1),
    )
    relay = time_relay(actor=world.resident_a1, donor=bank.a1, recipient=wife, hours="1.5", reason="给老伴用")
    out, into = Entry.objects.get(pk=relay.out_entry_id), Entry.objects.get(pk=relay.in_entry_id)
    assert (relay.relation, out.amount, into.amount, out.transfer_id == into.transfer_id) == (
        RelayRelation.FAMILY,
        Decimal("-1.50"),
        Decimal("1.50"),
        True,
    )
    assert (hours(bank.a1), hours(wife)) == (Decimal("0.50"), Decimal("1.50"))
    assert ledger_verify().anomalies == []


def test_relay_to_a_stranger_is_refused(world, bank):
    service_confirm(
        actor=world.grid_worker_a1,
        record=claim(world, bank, provider=bank.a1, recipient=bank.member_a, actor=world.resident_a1),
    )
    with pytest.raises(ValidationError, match="只能转赠给同户家庭成员或需关爱的困难群众"):
        time_relay(actor=world.community_admin_a, donor=bank.a1, recipient=bank.a2, hours="1", reason="帮忙")
    assert TimeRelay.objects.count() == 0


def test_staff_relay_to_a_person_in_need(world, bank):
    # 曾小红 (b1) lives in a household tagged 独居老人, in another street: only someone covering both may do it.
    service_confirm(
        actor=world.grid_worker_a2,
        record=claim(world, bank, provider=bank.a1, recipient=bank.a2, actor=world.resident_a1),
    )
    with pytest.raises(PermissionDenied, match="转赠给困难群众请到驿站由工作人员办理"):
        time_relay(actor=world.resident_a1, donor=bank.a1, recipient=bank.b1, hours="1", reason="爱心接力")
    with pytest.raises(PermissionDenied):
        time_relay(
            actor=world.community_admin_a, donor=bank.a1, recipient=bank.b1, hours="1", reason="爱心接力"
        )
    relay = time_relay(
        actor=world.district_admin, donor=bank.a1, recipient=bank.b1, hours="1", reason="爱心接力"
    )
    assert (relay.relation, hours(bank.b1)) == (RelayRelation.IN_NEED, Decimal("1.00"))


def test_relay_beyond_balance_changes_nothing(world, bank, family):
    wife, _ = family
    with pytest.raises(ValidationError, match="时间银行余额不足"):
        time_relay(actor=world.resident_a1, donor=bank.a1, recipient=wife, hours="1", reason="给老伴")
    assert (TimeRelay.objects.count(), hours(wife)) == (0, 0)
