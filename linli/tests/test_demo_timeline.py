"""The points and bank demos on one timeline: any `today` works, every account reads in time order, twice is once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from linli.bank import demo as bank_demo
from linli.bank.models import Earning
from linli.core.demo import DemoContext
from linli.core.models import AuditEntry, TransitionRecord
from linli.core.roles import Role
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify
from linli.orgs import services as org_services
from linli.orgs.choices import PartyOrgKind
from linli.people import services as people_services
from linli.points import demo as points_demo
from linli.points.choices import Stage
from linli.points.models import BranchYear, Claim, PublicNotice
from linli.points.util import MEMBER_POINTS
from linli.testing.ledger import entries_out_of_time_order
from linli.testing.world import _user


@pytest.fixture
def district(world):
    """The standard world with a second branch and a few more members, so that each stage of the year shows."""
    branch_a2 = org_services.party_org_create(
        actor=None,
        node=world.community_a2,
        name="翠湖社区党支部",
        kind=PartyOrgKind.BRANCH,
        parent=world.org_street_a,
        check_actor=False,
    )
    for name, branch in (
        ("陈平", branch_a2),
        ("林芳", branch_a2),
        ("黄建华", branch_a2),
        ("吴刚", world.branch_a),
        ("郑丽", world.branch_a),
        ("何军", world.branch_b),
        ("马兰", world.branch_b),
    ):
        person = people_services.person_create(actor=world.district_admin, node=world.grid_a1, name=name)
        people_services.member_create(
            actor=world.district_admin,
            person=person,
            branch=branch,
            join_date=datetime.date(2000, 7, 1),
            category="retired",
        )
    _user("street_admin_b", Role.STREET_ADMIN, world.street_b)
    return world


def seed(today: datetime.date) -> tuple[DemoContext, int]:
    """Both seeders' set-up, then their timeline; returns the context and how many dated steps ran."""
    ctx = DemoContext(
        today=today, now=timezone.make_aware(datetime.datetime.combine(today, datetime.time(17, 30)))
    )
    ctx.log = lambda text: None
    points_demo.seed_demo(ctx)
    bank_demo.seed_demo(ctx)
    return ctx, ctx.run_timeline()


def fingerprint() -> dict:
    """What the demo made, without database ids: every account's entries and every claim."""
    accounts: dict = {}
    for row in Entry.objects.order_by(
        "account__label", "account__currency__code", "account__year", "seq"
    ).values_list(
        "account__label",
        "account__currency__code",
        "account__year",
        "seq",
        "amount",
        "balance_after",
        "kind",
        "at",
    ):
        accounts.setdefault(row[:3], []).append(row[3:])
    claims = list(
        Claim.objects.order_by("member__person__name", "occurred_on", "item__name", "created_at").values_list(
            "member__person__name",
            "item__name",
            "status",
            "points",
            "occurred_on",
            "created_at",
            "reviewed_at",
        )
    )
    return {"accounts": accounts, "claims": claims}


@pytest.mark.parametrize("today", [datetime.date(2026, 11, 21), datetime.date(2027, 3, 15)])
def test_the_demo_seeds_for_any_today_with_every_account_in_time_order_once(district, today):
    stamped = ((Entry, "at"), (AuditEntry, "at"), (TransitionRecord, "at"), (Claim, "created_at"))
    # The world was built on the real clock (its audit entries may be later in the day than the demo's
    # present when `today` is the real date); only what the demo writes must keep to the demo's time.
    before = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for model, _ in stamped
    }
    ctx, _steps = seed(today)

    stages = dict(BranchYear.objects.filter(year=today.year).values_list("branch__name", "stage"))
    assert stages == {
        "复兴社区第一党支部": Stage.SELF_ASSESSMENT,
        "翠湖社区党支部": Stage.PUBLICITY,
        "金碧社区第一党支部": Stage.YEAR_END_REVIEW,
    }
    notice = PublicNotice.objects.get(
        branch_year__branch__name="翠湖社区党支部", branch_year__year=today.year
    )
    assert notice.start_date <= today <= notice.end_date
    assert entries_out_of_time_order() == []
    assert ledger_verify().anomalies == []
    # Nothing is stamped after the demo's present, and the simulated days reach back to last year's schemes.
    for model, field in stamped:
        assert not model.objects.filter(pk__gt=before[model], **{f"{field}__gt": ctx.now}).exists(), model
    assert TransitionRecord.objects.order_by("at").first().at.year == today.year - 1
    # A member's points account holds the points demo's entries and the bank's community-service credits (BNK-4).
    member_entries = Entry.objects.filter(account__currency__code=MEMBER_POINTS)
    from_bank = member_entries.filter(source_type="bank.earning")
    assert from_bank.exists()
    shared = from_bank.values("account")
    assert member_entries.filter(account__in=shared).exclude(source_type="bank.earning").exists()

    counts = (
        Entry.objects.count(),
        Claim.objects.count(),
        Earning.objects.count(),
        AuditEntry.objects.count(),
    )
    _again, steps_again = seed(today)
    assert steps_again == 0
    assert (
        Entry.objects.count(),
        Claim.objects.count(),
        Earning.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_the_same_today_seeds_the_same_demo(district):
    today = datetime.date(2027, 3, 15)
    with transaction.atomic():
        seed(today)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Entry.objects.exists()
    seed(today)
    assert fingerprint() == first
