"""On PostgreSQL: approvals and automatic credits from many threads on one member's year account.

Nothing is lost, caps hold under contention, the same source credits once, the balance equals the sum
of the entries, and `ledger verify` reports nothing — through the points services, not the ledger alone.
"""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection

from linli.ledger.models import Account, Currency, Entry
from linli.ledger.selectors import ledger_verify
from linli.orgs import services as org_services
from linli.points import services
from linli.points.services import points_auto_credit
from linli.points.util import MEMBER_POINTS
from linli.testing.world import build_world

from .builders import build_points_world, day, open_year, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
ABSENCES_PER_THREAD = 5
VOLUNTEERING_PER_THREAD = 3


@pytest.fixture
def world(db):
    """A transactional test starts from a flushed database: the migration's currency row is put back first."""
    ContentType.objects.clear_cache()
    Currency.objects.get_or_create(
        code=MEMBER_POINTS,
        defaults={"name": "党员积分", "unit": "分", "is_annual": True, "allow_negative": True},
    )
    return build_world()


def test_many_threads_post_through_the_points_services_without_losing_anything(world):
    pw = build_points_world(world)
    open_year(pw)
    claims = [submit(pw, "speech", files=[]) for _ in range(THREADS)]
    buildings = iter(
        org_services.building_create(actor=world.district_admin, grid=world.grid_a1, name=f"活动{n}号楼")
        for n in range(THREADS * (ABSENCES_PER_THREAD + VOLUNTEERING_PER_THREAD) + 1)
    )
    shared = next(buildings)
    plans = [
        {
            "absences": [next(buildings) for _ in range(ABSENCES_PER_THREAD)],
            "volunteering": [next(buildings) for _ in range(VOLUNTEERING_PER_THREAD)],
            "claim": claims[n],
        }
        for n in range(THREADS)
    ]
    statuses: Counter = Counter()
    failures: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(plan) -> None:
        close_old_connections()
        try:
            barrier.wait()
            credit = lambda code, source: points_auto_credit(  # noqa: E731
                member=pw.member_a, auto_code=code, source=source, occurred_on=day(3, 10)
            )
            statuses[("meeting", credit("meeting_attendance", shared).status)] += 1
            services.claim_approve(actor=pw.community_admin_a, claim=plan["claim"])
            for source in plan["volunteering"]:
                statuses[("volunteering", credit("volunteering", source).status)] += 1
            for source in plan["absences"]:
                statuses[("absence", credit("meeting_absence", source).status)] += 1
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    account = Account.objects.get(owner_id=pw.member_a.pk, year=pw.year, currency__code="member_points")
    entries = list(Entry.objects.filter(account=account).order_by("seq"))
    assert statuses == {
        ("meeting", "credited"): 1,
        ("meeting", "duplicate"): THREADS - 1,
        ("volunteering", "credited"): 2,
        ("volunteering", "capped"): THREADS * VOLUNTEERING_PER_THREAD - 2,
        ("absence", "credited"): THREADS * ABSENCES_PER_THREAD,
    }
    # 1 meeting + 8 approved speeches (3 each) + volunteering capped at 3 in March − 40 absences (2 each).
    assert account.balance == Decimal(1 + THREADS * 3 + 3 - THREADS * ABSENCES_PER_THREAD * 2)
    assert account.balance == sum((e.amount for e in entries), Decimal("0"))
    assert [e.seq for e in entries] == list(range(1, 1 + 1 + THREADS + 2 + THREADS * ABSENCES_PER_THREAD))
    assert ledger_verify(accounts=Account.objects.filter(pk=account.pk)).anomalies == []
