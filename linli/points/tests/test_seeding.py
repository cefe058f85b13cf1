"""`seed --scale tiny` writes a year of member points: schemes, branch years, claims and a clean ledger."""

import io

from django.core.management import call_command
from django.db.models import Count

from linli.accounts.models import User
from linli.ledger.models import Account, Entry
from linli.ledger.selectors import ledger_verify
from linli.points.choices import ClaimOrigin, ClaimStatus, SchemeStatus, Stage
from linli.points.models import BranchYear, Claim, Scheme


def test_tiny_scale_seeds_a_points_year_the_ledger_verifies(db):
    out = io.StringIO()
    call_command("seed", scale="tiny", stdout=out)
    assert "积分分录" in out.getvalue()
    assert Scheme.objects.filter(status=SchemeStatus.PUBLISHED).count() == 3
    assert BranchYear.objects.exists()
    statuses = dict(Claim.objects.values_list("status").annotate(n=Count("id")).order_by())
    assert statuses[ClaimStatus.APPROVED] > 1000 and statuses[ClaimStatus.SUBMITTED] > 0
    assert {ClaimStatus.REJECTED, ClaimStatus.REVOKED} <= set(statuses)
    # Every counted claim is carried by its entry; automatic credits carry the service's key and source.
    counted = Claim.objects.filter(status__in=[ClaimStatus.APPROVED, ClaimStatus.ADJUSTED])
    assert not counted.filter(entry__isnull=True).exists()
    auto = Claim.objects.filter(origin=ClaimOrigin.AUTO).select_related("entry").first()
    assert auto.entry.idempotency_key == auto.idempotency_key and auto.idempotency_key.startswith(
        f"points:auto:{auto.item.auto_code}:{auto.source_type}:{auto.source_id}:member:"
    )
    assert Entry.objects.filter(kind="reversal", account__currency__code="member_points").exists()

    member = User.objects.get(username="dangyuan_demo").person.member
    account = Account.objects.get(currency__code="member_points", owner_id=member.pk)
    assert 40 <= account.entry_count <= 60
    assert Claim.objects.filter(member=member, status=ClaimStatus.SUBMITTED).count() >= 2
    assert BranchYear.objects.get(branch=member.branch).stage == Stage.SELF_ASSESSMENT

    report = ledger_verify()
    assert report.is_clean, report.anomalies[:5]
    assert report.entries == Entry.objects.count()
