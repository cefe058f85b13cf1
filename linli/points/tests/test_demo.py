"""The demo seeder on the standard world: a year in progress at several steps, and a clean ledger."""

import datetime
from collections import Counter

from linli.core.demo import DemoContext
from linli.core.roles import Role
from linli.ledger.selectors import ledger_verify
from linli.orgs import services as org_services
from linli.orgs.choices import PartyOrgKind
from linli.points.choices import ClaimOrigin, ClaimStatus, ExemptionStatus, SchemeStatus, Stage
from linli.points.demo import seed_demo
from linli.points.models import BranchYear, Claim, Exemption, Objection, PublicNotice, Scheme, Violation
from linli.testing.world import _user

from .builders import YEAR, add_member


def test_demo_seeds_a_year_in_progress(world):
    branch_a2 = org_services.party_org_create(
        actor=None,
        node=world.community_a2,
        name="翠湖社区党支部",
        kind=PartyOrgKind.BRANCH,
        parent=world.org_street_a,
        check_actor=False,
    )
    for name in ("陈平", "林芳", "黄建华"):
        add_member(world, name, branch=branch_a2)
    for name in ("吴刚", "郑丽"):
        add_member(world, name)
    for name in ("何军", "马兰"):
        add_member(world, name, branch=world.branch_b)
    _user("street_admin_b", Role.STREET_ADMIN, world.street_b)
    today = datetime.date(YEAR, 11, 20)
    log: list[str] = []

    ctx = DemoContext(today=today, log=log.append)
    seed_demo(ctx)
    ctx.run_timeline()

    stages = dict(BranchYear.objects.values_list("branch__name", "stage"))
    assert stages == {
        "复兴社区第一党支部": Stage.SELF_ASSESSMENT,
        "翠湖社区党支部": Stage.PUBLICITY,
        "金碧社区第一党支部": Stage.YEAR_END_REVIEW,
    }
    published = Scheme.objects.filter(year=YEAR, status=SchemeStatus.PUBLISHED)
    assert sorted(published.values_list("member_class", "version")) == [
        ("community", 2),
        ("government", 1),
        ("new_economy", 1),
    ]
    assert Scheme.objects.filter(year=YEAR - 1, status=SchemeStatus.PUBLISHED).count() == 3
    notice = PublicNotice.objects.get(branch_year__branch=branch_a2)
    assert notice.start_date <= today <= notice.end_date
    assert Objection.objects.filter(notice=notice, status="open").count() == 1
    statuses = Counter(Claim.objects.filter(origin=ClaimOrigin.SELF_REPORT).values_list("status", flat=True))
    assert statuses == {
        ClaimStatus.APPROVED: 3,
        ClaimStatus.ADJUSTED: 2,
        ClaimStatus.REJECTED: 2,
        ClaimStatus.SUBMITTED: 1,
    }
    # One five-star credit per member, except the two exempted early in the year, who take part in nothing.
    assert Claim.objects.filter(origin=ClaimOrigin.AUTO).count() == 7
    exempted = Exemption.objects.filter(status=ExemptionStatus.APPROVED)
    assert exempted.count() == 2
    assert not Claim.objects.filter(member__in=exempted.values("member")).exists()
    assert Exemption.objects.filter(status=ExemptionStatus.APPLIED).count() == 1
    assert Violation.objects.count() == 1
    assert ledger_verify().anomalies == []
    assert log[-1] == "  金碧社区第一党支部：已上报街道党工委备案，待年底评议"
