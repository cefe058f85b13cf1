"""`seed --scale`: the district's Party member points year up to `ctx.today`, written in bulk (PTS).

Figures per scale, measured with `today` = 21 November (a member's activity grows with the months
gone by; SQLite seconds for this module):

| scale    | members | branch years | claims    | ledger entries | pending self-reports | reversals | seconds |
|----------|---------|--------------|-----------|----------------|----------------------|-----------|---------|
| tiny     |      60 |           11 |     2,183 |          2,166 |                   16 |        13 |     0.5 |
| tenth    |   3,000 |           81 |   107,906 |        107,116 |                  746 |       486 |       7 |
| district |  30,000 |          750 | 1,084,020 |      1,075,440 |                7,845 |     4,800 |      90 |

Per member and month: 三会一课 and 主题党日 recorded by the community (most months), 0–3 志愿服务
(the item's monthly cap), now and then a deduction for absence; per year a few self-reports
(approved, adjusted, rejected, the recent ones still pending where the branch is in 党员自评) and
the automatic credits other activities write (五星支部创建, 践行承诺, 结对帮扶 from the branch year,
党员示范岗 from the member's post, 在职党员进社区 from the registration), with the idempotency key and
source `points_auto_credit` would give them. A few recorded points are corrected: the entry is
reversed and the corrected amount posted, as `claim_correct` does.

The schemes (three member classes) are created and published through the services (a few rows);
branch years, claims and entries in bulk (`ledger.bulk.BulkLedger`), one audit entry per table and
community. `dangyuan_demo`'s branch stays in 党员自评 and the member has a full year with pending
self-reports. Not written in bulk: each claim's transition history (a claim shows no "录入" line).
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from decimal import Decimal
from random import Random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import User
from linli.core import clock
from linli.core.bulk import quick_instance, reset_sequences
from linli.core.seeding import ScaleContext, bulk_create_audited
from linli.core.workdays import is_working_day
from linli.ledger.bulk import BulkLedger, IdBlock
from linli.ledger.models import Currency
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode, PartyOrg
from linli.people.choices import PointsClass, RecordState
from linli.people.models import InServiceRegistration, Member, MemberPost

from . import services
from .choices import AutoCode, ClaimOrigin, ClaimStatus, PointsEntryKind, SchemeStatus, Stage
from .defaults import EXCELLENT_QUOTA_PERCENT, THRESHOLDS, default_items
from .models import BranchYear, Claim, SchemeItem
from .util import MEMBER_POINTS

ORDER = 40
DEMO_MEMBER = "dangyuan_demo"
NOTE = "规模测试数据：党员积分"

# Where the branches' years stand (share of branches); the demo member's branch is in 党员自评.
STAGE_SHARES = (
    (Stage.SELF_ASSESSMENT, 0.55),
    (Stage.PRELIMINARY_REVIEW, 0.35),
    (Stage.ASSEMBLY, 0.10),
)
SELF_REPORTS = (
    ("参加专题学习、党课", "参加社区党委组织的专题党课"),
    ("向党组织汇报思想", "向支部书面汇报近期思想和工作情况"),
    ("参加专题学习、党课", "参加“三会一课”专题学习"),
)
OFFICE_HOURS = (9, 10, 11, 14, 15, 16)
EVENING_HOURS = (19, 20, 21)


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


_WORKING: dict[datetime.date, bool] = {}


def _office_day(day: datetime.date) -> datetime.date:
    """The first working day on or after `day` (the calendar is read once per day: it may query holidays)."""
    while True:
        if day not in _WORKING:
            _WORKING[day] = is_working_day(day)
        if _WORKING[day]:
            return day
        day += datetime.timedelta(days=1)


class _Year:
    """The shared facts of one seeding run: year, today, the present, schemes' items per class, actors."""

    def __init__(self, ctx: ScaleContext, items: dict[str, dict[str, SchemeItem]], actors: dict[int, User]):
        self.ctx = ctx
        self.year = ctx.today.year
        self.today = ctx.today
        self.now = ctx.now
        self.items = items
        self.actors = (
            actors  # community node id → the user who records (community admin, else district admin)
        )
        self.start = datetime.date(self.year, 1, 1)

    def moment(self, rng: Random, day: datetime.date, hours: tuple[int, ...]) -> datetime.datetime:
        """A time of `day` in those hours, never after the present (today's late entries move to now)."""
        return min(_aware(day, rng.choice(hours), rng.randrange(60)), self.now)

    def entered(self, rng: Random, day: datetime.date, end: datetime.date) -> datetime.datetime:
        """When the community enters what happened on `day`: a working day up to three days later, by `end`."""
        later = _office_day(day + datetime.timedelta(days=rng.randint(0, 3)))
        return self.moment(rng, min(later, end), OFFICE_HOURS)


def _schemes(ctx: ScaleContext, district: OrgNode, admin: User) -> dict[str, dict[str, SchemeItem]]:
    """This year's three schemes through the services (few rows), published on 5 January (or today)."""
    year = ctx.today.year
    with clock.simulated(min(_aware(min(datetime.date(year, 1, 5), ctx.today), 9, 0), ctx.now)):
        for member_class in PointsClass.values:
            scheme = services.scheme_create(
                actor=admin,
                district=district,
                year=year,
                member_class=member_class,
                title=f"{year}年{PointsClass(member_class).label}党员积分细则",
                note="依据党章规定的党员基本义务和党组织对党员的基本要求制定，加分和扣分相结合。",
                excellent_quota_percent=EXCELLENT_QUOTA_PERCENT,
                **THRESHOLDS,
            )
            for fields in default_items(member_class):
                services.scheme_item_save(actor=admin, scheme=scheme, **fields)
            services.scheme_publish(actor=admin, scheme=scheme, note="经区委组织部部务会研究通过")
    items: dict[str, dict[str, SchemeItem]] = defaultdict(dict)
    for item in SchemeItem.objects.filter(
        scheme__district=district, scheme__year=year, scheme__status=SchemeStatus.PUBLISHED
    ).select_related("scheme"):
        items[item.scheme.member_class][item.name] = item
    return items


def _stage(rng: Random) -> str:
    roll, total = rng.random(), 0.0
    for stage, share in STAGE_SHARES:
        total += share
        if roll < total:
            return stage
    return STAGE_SHARES[0][0]


class _Branch:
    """One branch's year: its stage and the days its activity may happen on."""

    def __init__(self, y: _Year, rng: Random, branch: PartyOrg, stage: str, row: BranchYear):
        self.branch, self.stage, self.row = branch, stage, row
        today = y.today
        days_in = (today - y.start).days
        if stage == Stage.SELF_ASSESSMENT:
            self.self_close, self.end = today, today
        elif stage == Stage.PRELIMINARY_REVIEW:
            self.self_close = today - datetime.timedelta(days=min(rng.randint(5, 20), days_in))
            self.end = today
        else:  # 党员大会评定: self-assessment and 初评 are over.
            self.end = today - datetime.timedelta(days=min(rng.randint(3, 10), days_in))
            self.self_close = self.end - datetime.timedelta(
                days=min(rng.randint(5, 10), (self.end - y.start).days)
            )
        self.meeting_day = rng.randint(8, 22)  # the branch's monthly 三会一课
        self.party_day = rng.randint(1, 28)  # its 主题党日


def seed_scale(ctx: ScaleContext) -> None:
    started = time.monotonic()
    _WORKING.clear()
    district = OrgNode.objects.get(parent=None, kind=NodeKind.DISTRICT, name=ctx.plan.name)
    admin = User.objects.get(username="quwei_admin")
    items = _schemes(ctx, district, admin)
    actors = _actors(admin)
    y = _Year(ctx, items, actors)
    rng = ctx.rng("points-scale")
    demo_member_id = (
        User.objects.filter(username=DEMO_MEMBER).values_list("person__member__id", flat=True).first()
    )
    currency = Currency.objects.get(code=MEMBER_POINTS)
    member_type = ContentType.objects.get_for_model(Member)
    posts = {p.member_id: p for p in MemberPost.objects.filter(end_date__isnull=True).order_by("id")}
    registrations = {
        r.member_id: r for r in InServiceRegistration.objects.filter(is_active=True).order_by("id")
    }
    ledger = BulkLedger(note=NOTE)
    claim_ids = IdBlock(Claim)
    by_community: dict[int, list[PartyOrg]] = defaultdict(list)
    communities = list(OrgNode.objects.filter(kind=NodeKind.COMMUNITY).order_by("path"))
    community_of = {}
    for community in communities:
        community_of[community.path] = community
    branches = (
        PartyOrg.objects.filter(
            node__path__startswith=district.path, members__record_state=RecordState.ACTIVE
        )
        .select_related("node")
        .distinct()
        .order_by("node__path", "id")
    )
    for branch in branches:
        community = next((c for p, c in community_of.items() if branch.node.path.startswith(p)), None)
        if community is not None:
            by_community[community.pk].append(branch)
    totals = defaultdict(int)
    for done, community in enumerate(communities, start=1):
        counts = _seed_community(
            y, rng, community, by_community.get(community.pk, []), ledger, claim_ids, currency,
            member_type, posts, registrations, demo_member_id,
        )  # fmt: skip
        for key, n in counts.items():
            totals[key] += n
        if done % 10 == 0 or done == len(communities):
            ctx.log(
                f"已生成 {done}/{len(communities)} 个社区的党员积分（{time.monotonic() - started:.0f} 秒）"
            )
    ledger.finish()
    reset_sequences(Claim)
    ctx.count("支部年度积分", totals["years"])
    ctx.count("积分事项", totals["claims"])
    ctx.count("待初评申报", totals["pending"])
    ctx.count("积分冲正", totals["reversals"])
    ctx.count("积分分录", ledger.entries_written)


def _actors(admin: User) -> dict[int, User]:
    from linli.accounts.models import RoleGrant
    from linli.core.roles import Role

    actors = {}
    for grant in RoleGrant.objects.filter(role=Role.COMMUNITY_ADMIN, is_active=True).select_related(
        "user", "node"
    ):
        actors[grant.node_id] = grant.user
    actors[0] = admin
    return actors


def _seed_community(
    y,
    rng,
    community,
    branches,
    ledger,
    claim_ids,
    currency,
    member_type,
    posts,
    registrations,
    demo_member_id,
) -> dict[str, int]:
    actor = y.actors.get(community.pk, y.actors[0])
    years = []
    plans = []
    members_by_branch = defaultdict(list)
    for member in (
        Member.objects.filter(branch__in=branches, record_state=RecordState.ACTIVE)
        .select_related("person")
        .order_by("id")
    ):
        members_by_branch[member.branch_id].append(member)
    demo_branches = {b.pk for b in branches if any(m.pk == demo_member_id for m in members_by_branch[b.pk])}
    # In the demo member's community one other branch has reached 党员大会评定, so its 社区书记 has a
    # year ready for the 公示 (the benchmark and a trial user both find one).
    assembly_branch = next((b.pk for b in reversed(branches) if b.pk not in demo_branches), None)
    for branch in branches:
        if branch.pk in demo_branches:
            stage = Stage.SELF_ASSESSMENT
        elif demo_branches and branch.pk == assembly_branch:
            stage = Stage.ASSEMBLY
        else:
            stage = _stage(rng)
        row = BranchYear(
            branch=branch,
            year=y.year,
            stage=stage,
            created_at=y.moment(rng, _office_day(min(datetime.date(y.year, 1, 12), y.today)), OFFICE_HOURS),
        )
        years.append(row)
        plans.append((branch, stage, row))
    bulk_create_audited(BranchYear, years, audit_each=False, note=NOTE)
    claims: list[Claim] = []
    pending = reversals = 0
    for branch, stage, row in plans:
        b = _Branch(y, rng, branch, stage, row)
        for member in members_by_branch[branch.pk]:
            account = ledger.open(
                currency=currency,
                owner_type=member_type,
                owner_id=member.pk,
                year=y.year,
                scope_path=branch.node.path,
                label=f"{member.person.name} {y.year}年党员积分",
                holder_person_id=member.person_id,
                created_at=y.moment(rng, y.start, OFFICE_HOURS),
            )
            writer = _MemberYear(y, rng, b, member, account, ledger, claim_ids, actor, claims)
            writer.run(
                demo=member.pk == demo_member_id,
                post=posts.get(member.pk),
                registration=registrations.get(member.pk),
            )
            pending += writer.pending
            reversals += writer.reversals
    ledger.flush()
    bulk_create_audited(Claim, claims, audit_each=False, note=NOTE, batch_size=2000)
    return {"years": len(years), "claims": len(claims), "pending": pending, "reversals": reversals}


class _MemberYear:
    """Writes one member's claims and entries for the year (claims are appended to `claims`)."""

    def __init__(self, y, rng, b, member, account, ledger, claim_ids, actor, claims):
        self.y, self.rng, self.b, self.member, self.account = y, rng, b, member, account
        self.ledger, self.claim_ids, self.actor, self.claims = ledger, claim_ids, actor, claims
        self.items = y.items[member.points_class]
        self.pending = 0
        self.reversals = 0
        self.demo = False

    # -------------------------------------------------------------- claims of each origin

    def _claim(self, item, *, origin, status, on, at, points, requested, description, **extra) -> Claim:
        claim = quick_instance(
            Claim,
            {
                "id": self.claim_ids.take(),
                "branch_year_id": self.b.row.pk,
                "member_id": self.member.pk,
                "account_id": self.account.pk,
                "item_id": item.pk,
                "origin": origin,
                "status": status,
                "occurred_on": on,
                "quantity": extra.pop("quantity", 1),
                "description": description,
                "requested_points": requested,
                "points": points,
                "created_at": at,
                **extra,
            },
        )
        self.claims.append(claim)
        return claim

    def _post(
        self, claim: Claim, item: SchemeItem, kind: str, at: datetime.datetime, key: str, **source
    ) -> int:
        return self.ledger.post(
            self.account,
            claim.points,
            kind=kind,
            at=at,
            memo=f"{item.name}（{claim.occurred_on:%Y-%m-%d}）{source.pop('memo', '')}",
            source_type=source.get("source_type", "points.claim"),
            source_id=source.get("source_id", claim.pk),
            idempotency_key=key,
            actor_id=source.get("actor_id"),
            actor_name=source.get("actor_name", "系统"),
        )

    def record(self, name: str, on: datetime.date, description: str, quantity: int = 1, points=None) -> None:
        """党组织记录 (`claim_record`): approved when entered, posted at once."""
        item = self.items.get(name)
        if item is None or on > self.b.end:
            return
        magnitude = Decimal(points if points is not None else item.default_points * quantity)
        at = self.y.entered(self.rng, on, self.b.end)
        claim = self._claim(
            item,
            origin=ClaimOrigin.RECORDED,
            status=ClaimStatus.APPROVED,
            on=on,
            at=at,
            points=magnitude * item.sign,
            requested=magnitude * item.sign,
            description=description,
            quantity=quantity,
            created_by_name=self.actor.username,
            reviewed_by_name=self.actor.username,
            reviewed_at=at,
        )
        claim.entry_id = self._post(
            claim, item, PointsEntryKind.RECORDED, at, f"points:claim:{claim.pk}",
            actor_id=self.actor.pk, actor_name=self.actor.username,
        )  # fmt: skip
        if self.rng.random() < 0.005 and item.sign > 0:
            self._correct(claim, item, at)

    def _correct(self, claim: Claim, item: SchemeItem, at: datetime.datetime) -> None:
        """`claim_correct` to 0 (撤销): the entry is reversed a little later; the claim keeps the original entry."""
        later = min(at + datetime.timedelta(hours=self.rng.randint(1, 48)), self.y.now)
        reason = "与签到汇总重复录入，予以撤销"
        self.ledger.reverse(
            claim.entry_id, at=later, reason=reason, actor_id=self.actor.pk, actor_name=self.actor.username
        )
        claim.points, claim.status, claim.review_note = Decimal(0), ClaimStatus.REVOKED, reason
        self.reversals += 1

    def auto(self, code: str, on: datetime.date, source_type: str, source_id: int, memo: str) -> None:
        """`points_auto_credit`: approved at once, key and source as the service writes them."""
        item = next((i for i in self.items.values() if i.auto_code == code), None)
        if item is None or on > self.b.end or on < self.y.start:
            return
        at = self.y.moment(self.rng, on, OFFICE_HOURS)
        key = f"points:auto:{code}:{source_type}:{source_id}:member:{self.member.pk}"
        claim = self._claim(
            item,
            origin=ClaimOrigin.AUTO,
            status=ClaimStatus.APPROVED,
            on=on,
            at=at,
            points=item.default_points * item.sign,
            requested=item.default_points * item.sign,
            description=memo or AutoCode(code).label,
            source_type=source_type,
            source_id=str(source_id),
            idempotency_key=key,
            created_by_name="系统",
            reviewed_at=at,
        )
        claim.entry_id = self._post(
            claim,
            item,
            PointsEntryKind.AUTO,
            at,
            key,
            source_type=source_type,
            source_id=source_id,
            memo=memo,
        )

    def self_report(self, name: str, description: str, on: datetime.date, outcome: str) -> None:
        """`claim_submit` in the evening, reviewed (`claim_approve`/`adjust`/`reject`) in office hours later."""
        item = self.items.get(name)
        if item is None:
            return
        submitted = self.y.moment(self.rng, on, EVENING_HOURS)
        requested = item.default_points * item.sign
        claim = self._claim(
            item,
            origin=ClaimOrigin.SELF_REPORT,
            status=ClaimStatus.SUBMITTED,
            on=on,
            at=submitted,
            points=None,
            requested=requested,
            description=description,
            # The member's own login where there is one (only the demo member has one at scale).
            created_by_name=DEMO_MEMBER if self.demo else self.member.person.name,
        )
        if outcome == "pending":
            self.pending += 1
            return
        reviewed_day = min(_office_day(on + datetime.timedelta(days=self.rng.randint(1, 4))), self.b.end)
        reviewed = max(self.y.moment(self.rng, reviewed_day, OFFICE_HOURS), submitted)
        claim.reviewed_by_name, claim.reviewed_at = self.actor.username, reviewed
        if outcome == "reject":
            claim.status, claim.review_note = ClaimStatus.REJECTED, "未见签到记录，请补充佐证"
            return
        claim.status = ClaimStatus.APPROVED if outcome == "approve" else ClaimStatus.ADJUSTED
        claim.points = requested if outcome == "approve" else Decimal(1) * item.sign
        claim.review_note = "情况属实" if outcome == "approve" else "按1分计"
        claim.entry_id = self._post(
            claim, item, PointsEntryKind.SELF_REPORT, reviewed, f"points:claim:{claim.pk}",
            actor_id=self.actor.pk, actor_name=self.actor.username,
        )  # fmt: skip

    # -------------------------------------------------------------- the year

    def _day(self, month: int, day: int) -> datetime.date | None:
        try:
            on = datetime.date(self.y.year, month, day)
        except ValueError:
            on = datetime.date(self.y.year, month, 28)
        return on if on <= self.b.end else None

    def run(self, *, demo: bool, post: MemberPost | None, registration: InServiceRegistration | None) -> None:
        rng, y = self.rng, self.y
        self.demo = demo
        keen = demo or rng.random() < 0.3  # some members take part in almost everything
        for month in range(1, y.today.month + 1):
            meeting = self._day(month, self.b.meeting_day)
            if meeting and rng.random() < (0.97 if keen else 0.85):
                self.record("按时参加三会一课", meeting, f"{month}月支部组织生活签到")
            elif meeting and rng.random() < 0.3:
                self.record("无故缺席组织生活", meeting, f"无故缺席{month}月支部党员大会")
            party_day = self._day(month, self.b.party_day)
            if party_day and rng.random() < (0.95 if keen else 0.75):
                self.record("参加主题党日活动", party_day, f"{month}月主题党日活动签到")
            for _ in range(rng.choice((1, 2, 3) if keen else (0, 1, 1, 2))):
                on = self._day(month, rng.randint(1, 28))
                if on:
                    self.record("参加志愿服务", on, "参加社区志愿服务活动")
        span = max((self.b.end - y.start).days, 0)
        source = ("points.branchyear", self.b.row.pk)
        for code, share, memo in (
            (AutoCode.FIVE_STAR, 0.7, "参与本支部五星支部创建"),
            (AutoCode.COMMITMENT, 0.6, "践行年初公开承诺"),
            (AutoCode.PAIRING_HELP, 0.3, "结对帮扶困难群众"),
        ):
            if demo or rng.random() < share:
                self.auto(code, y.start + datetime.timedelta(days=rng.randint(0, span)), *source, memo)
        if post is not None:
            self.auto(
                AutoCode.MODEL_POST, max(post.start_date, y.start), "people.memberpost", post.pk, post.title
            )
        if registration is not None:
            on = y.start + datetime.timedelta(days=rng.randint(0, span))
            self.auto(
                AutoCode.INSERVICE_SERVICE,
                on,
                "people.inserviceregistration",
                registration.pk,
                "在职党员进社区服务",
            )
        # Self-reports: older ones reviewed, those of the last days still waiting where 党员自评 is open.
        reports = 4 if demo else rng.choice((0, 1, 2, 3))
        for n in range(reports):
            name, description = SELF_REPORTS[n % len(SELF_REPORTS)]
            if demo and n >= 2:
                name, description = SELF_REPORTS[n - 2]
            close_span = max((self.b.self_close - y.start).days, 0)
            recent = demo and n >= 2
            if recent:
                on = self.b.self_close - datetime.timedelta(days=min(n, close_span))
            else:
                on = y.start + datetime.timedelta(days=rng.randint(0, close_span))
            waiting = (self.b.self_close - on).days < 7 and self.b.stage != Stage.ASSEMBLY
            outcome = (
                "pending" if (recent or waiting) else rng.choice(("approve",) * 6 + ("adjust", "reject"))
            )
            if outcome == "pending" and self.b.stage == Stage.ASSEMBLY:
                outcome = "approve"
            self.self_report(name, description, on, outcome)
        # Some members report in the last days while the branch's 党员自评 or 初评 is still open.
        if not demo and self.b.stage != Stage.ASSEMBLY and rng.random() < 0.25:
            on = max(self.b.self_close - datetime.timedelta(days=rng.randint(0, 6)), y.start)
            self.self_report(*SELF_REPORTS[1], on, "pending")
