"""Back-office bulk credits: a reason, lines, nothing posted until a different user approves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linli.bank.choices import BulkState, EarningMethod
from linli.bank.models import BulkCredit, Earning
from linli.bank.services import bulk_credit_approve, bulk_credit_create, bulk_credit_reject
from linli.core.statemachine import TransitionError
from linli.ledger.models import Entry

from .factories import balance


def propose(world, bank, lines=None, item=None, actor=None):
    return bulk_credit_create(
        actor=actor or world.community_admin_a,
        station=bank.station_a,
        item=item or bank.activity,
        occurred_on=timezone.localdate() - datetime.timedelta(days=2),
        reason="3月学雷锋志愿活动集体记分",
        lines=lines if lines is not None else [(bank.a1, 1), (bank.a2, 2)],
    )


def test_nothing_posts_before_approval(world, bank):
    bulk = propose(world, bank)
    assert (bulk.state, bulk.lines.count()) == (BulkState.PENDING, 2)
    assert (
        balance(bank.a1),
        balance(bank.a2),
        Earning.objects.count(),
        Entry.objects.filter(source_type="bank.earning").count(),
    ) == (
        0,
        0,
        0,
        0,
    )


def test_creator_cannot_approve_their_own_bulk_credit(world, bank):
    bulk = propose(world, bank)
    with pytest.raises(ValidationError, match="发起人不能审批自己发起的批量记分"):
        bulk_credit_approve(actor=world.community_admin_a, bulk=bulk)
    assert (BulkCredit.objects.get(pk=bulk.pk).state, balance(bank.a1)) == (BulkState.PENDING, 0)


def test_a_different_approver_posts_every_line(world, bank):
    bulk = propose(world, bank)
    bulk_credit_approve(actor=world.street_admin, bulk=bulk, note="同意")
    bulk.refresh_from_db()
    assert (bulk.state, bulk.decided_by, bulk.decision_note) == (
        BulkState.APPROVED,
        world.street_admin,
        "同意",
    )
    assert (balance(bank.a1), balance(bank.a2)) == (Decimal("10.00"), Decimal("20.00"))
    earnings = Earning.objects.filter(bulk_line__bulk=bulk).order_by("depositor_id")
    assert [(e.method, e.recorded_by_name, e.points) for e in earnings] == [
        (EarningMethod.BULK, "street_admin", Decimal("10.00")),
        (EarningMethod.BULK, "street_admin", Decimal("20.00")),
    ]


def test_approving_twice_posts_once(world, bank):
    bulk = propose(world, bank)
    bulk_credit_approve(actor=world.street_admin, bulk=bulk)
    with pytest.raises(TransitionError, match="当前状态为「已审批入账」"):
        bulk_credit_approve(actor=world.district_admin, bulk=bulk)
    assert balance(bank.a1) == Decimal("10.00")


def test_approver_needs_the_permission_at_the_station(world, bank):
    bulk = propose(world, bank)
    for refused in (world.grid_worker_a1, world.community_admin_b, world.community_admin_a2):
        with pytest.raises(PermissionDenied):
            bulk_credit_approve(actor=refused, bulk=bulk)
    assert balance(bank.a1) == 0


def test_rejection_needs_a_reason_and_posts_nothing(world, bank):
    bulk = propose(world, bank)
    with pytest.raises(TransitionError, match="必须填写原因"):
        bulk_credit_reject(actor=world.street_admin, bulk=bulk, reason=" ")
    bulk_credit_reject(actor=world.street_admin, bulk=bulk, reason="名单与签到表不符")
    bulk.refresh_from_db()
    assert (bulk.state, bulk.decision_note, balance(bank.a1)) == (BulkState.REJECTED, "名单与签到表不符", 0)
    with pytest.raises(TransitionError):
        bulk_credit_approve(actor=world.district_admin, bulk=bulk)


def test_caps_apply_at_approval_and_a_failing_line_posts_nothing(world, bank):
    bulk = propose(world, bank, item=bank.garbage, lines=[(bank.a1, 1), (bank.a2, 2)])
    with pytest.raises(ValidationError, match=r"单田芳：超出每日上限.*整批未入账"):
        bulk_credit_approve(actor=world.street_admin, bulk=bulk)
    assert (BulkCredit.objects.get(pk=bulk.pk).state, balance(bank.a1), Earning.objects.count()) == (
        BulkState.PENDING,
        0,
        0,
    )


def test_proposal_is_checked(world, bank):
    with pytest.raises(ValidationError) as error:
        bulk_credit_create(
            actor=world.community_admin_a,
            station=bank.station_a,
            item=bank.activity,
            occurred_on=timezone.localdate(),
            reason=" ",
            lines=[(bank.a1, 1), (bank.a1, 1), (bank.b1, 0)],
        )
    assert error.value.message_dict == {
        "reason": ["批量记分必须填写事由。"],
        "lines": ["张三重复出现。", "曾小红不是复兴社区的储户。", "曾小红的数量必须是1到99之间的整数。"],
    }
    assert BulkCredit.objects.count() == 0


def test_grid_worker_cannot_propose_bulk_credits(world, bank):
    with pytest.raises(PermissionDenied):
        propose(world, bank, actor=world.grid_worker_a1)
