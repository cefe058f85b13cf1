"""BNK-4: a Party member's community service counts in the bank and in their member points, in one action."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.bank.models import Earning
from linli.bank.services import bulk_credit_approve, bulk_credit_create, earning_record
from linli.ledger.models import Entry
from linli.people.choices import PointsClass
from linli.points import services as points_services
from linli.points.choices import AutoCode, CapPeriod, Category

from .factories import balance

PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def photo():
    return SimpleUploadedFile("服务照片.png", PHOTO, content_type="image/png")


@pytest.fixture
def scheme_item(world):
    """This year's community-member scheme with 参加社区服务（道德银行）: 1 point each, at most 2 a year."""
    admin, year = world.district_admin, timezone.localdate().year
    scheme = points_services.scheme_create(
        actor=admin,
        district=world.district,
        year=year,
        member_class=PointsClass.COMMUNITY,
        title=f"{year}年社区党员积分细则",
        excellent_min=Decimal("6"),
        qualified_min=Decimal("3"),
        basic_min=Decimal("1"),
        excellent_quota_percent=50,
    )
    item = points_services.scheme_item_save(
        actor=admin,
        scheme=scheme,
        category=Category.DUTY,
        name="参加社区服务（道德银行）",
        default_points=1,
        cap_points=2,
        cap_period=CapPeriod.YEAR,
        auto_code=AutoCode.COMMUNITY_SERVICE,
    )
    points_services.scheme_publish(actor=admin, scheme=scheme)
    return item


def member_points(world) -> Decimal:
    account = points_services.member_account(world.member_a, timezone.localdate().year)
    account.refresh_from_db()
    return account.balance


def serve(world, bank, depositor=None, item=None):
    return earning_record(
        actor=world.grid_worker_a1,
        depositor=depositor or bank.member_a,
        item=item or bank.volunteer,
        method="card",
        evidence=photo(),
    )


def test_party_members_community_service_credits_bank_and_member_points_at_once(world, bank, scheme_item):
    earning = serve(world, bank)
    assert (balance(bank.member_a), member_points(world)) == (Decimal("5.00"), Decimal("1.00"))
    assert (earning.member_points_status, earning.member_points_message) == (
        "credited",
        "已为李建国记1分（参加社区服务（道德银行））。",
    )
    points_entry = Entry.objects.get(account__currency__code="member_points")
    assert (points_entry.source_type, points_entry.source_id) == ("bank.earning", str(earning.pk))


def test_a_full_member_points_cap_does_not_stop_the_bank_credit(world, bank, scheme_item):
    for _ in range(3):
        earning = serve(world, bank)
    assert (balance(bank.member_a), member_points(world)) == (Decimal("15.00"), Decimal("2.00"))
    assert earning.member_points_status == "capped"
    assert earning.member_points_message.endswith("已满，本次不记分。")


def test_no_member_points_for_residents_who_are_not_members_or_items_not_named(world, bank, scheme_item):
    resident = serve(world, bank, depositor=bank.a1)
    activity = serve(world, bank, item=bank.activity)
    assert [(e.member_points_status, e.member_points_message) for e in (resident, activity)] == [
        ("", ""),
        ("", ""),
    ]
    assert member_points(world) == 0


def test_a_scheme_without_the_item_is_reported_and_the_bank_still_credits(world, bank):
    earning = serve(world, bank)
    assert earning.member_points_status == "no_item"
    assert "积分细则中没有「社区服务（道德银行）」项目" in earning.member_points_message
    assert balance(bank.member_a) == Decimal("5.00")


def test_an_error_in_member_points_rolls_the_bank_credit_back(world, bank, scheme_item, monkeypatch):
    def broken(**kwargs):
        raise ValidationError("自动记分：未知的党员。")

    monkeypatch.setattr("linli.bank.services.earning.points_auto_credit", broken)
    with pytest.raises(ValidationError, match="自动记分：未知的党员"):
        serve(world, bank)
    assert (Earning.objects.count(), balance(bank.member_a), member_points(world)) == (0, 0, 0)


def test_bulk_approval_credits_member_points_too(world, bank, scheme_item):
    bulk = bulk_credit_create(
        actor=world.community_admin_a,
        station=bank.station_a,
        item=bank.volunteer,
        occurred_on=timezone.localdate(),
        reason="社区义诊志愿服务",
        lines=[(bank.member_a, 1), (bank.a1, 1)],
    )
    bulk_credit_approve(actor=world.street_admin, bulk=bulk)
    assert (balance(bank.member_a), balance(bank.a1), member_points(world)) == (
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("1.00"),
    )


def test_the_desk_shows_the_member_points_outcome(world, bank, scheme_item, client):
    client.force_login(world.grid_worker_a1)
    response = client.post(
        f"/bank/depositors/{bank.member_a.pk}/credit/",
        {
            "item": bank.volunteer.pk,
            "quantity": 1,
            "occurred_on": timezone.localdate().isoformat(),
            "method": "card",
            "evidence": photo(),
        },
        follow=True,
    )
    assert "已为李建国记入5分（志愿服务×1）。党员积分：已为李建国记1分（参加社区服务（道德银行））。" in (
        response.content.decode()
    )
