"""Demo: the district's points year in progress (PTS), seeded through the points services.

Last year's schemes are published and copied forward to this year; branches are then spread over
the year: one stays in 党员自评 with claims at every stage (the branch of `dangyuan_demo`, so a member
can self-report), one is in 公示 with the publicity period covering today and an objection open,
one has been filed (备案) with an upheld objection and a violation. An exemption is approved and
another applied for. Everything is deterministic (`ctx.rng("points")`, `ctx.today`).

Every step is scheduled on the demo's timeline (`ctx.schedule`) at a realistic day and time of day:
schemes in January, the branches' years opened mid-January, activity credited through the year,
members self-reporting in the evening and the community reviewing in office hours a few days later,
the closed branches' steps (初评, 党员大会, 公示, 备案) on their dates. So a member's points account,
which the bank's community-service credits (BNK-4) also reach, reads in time order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.accounts.models import RoleGrant, User
from linli.core import clock
from linli.core.demo import DemoContext, demo_png
from linli.core.roles import Role
from linli.core.workdays import add_working_days
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode, PartyOrg
from linli.people.choices import PointsClass, RecordState
from linli.people.models import InServiceRegistration, Member, MemberPost

from . import services
from .choices import AutoCode, SchemeStatus, Stage
from .defaults import EXCELLENT_QUOTA_PERCENT, THRESHOLDS, default_items
from .models import BranchYear, PublicNotice, Scheme, SchemeItem

ORDER = 40
DEMO_MEMBER_USERNAME = "dangyuan_demo"

SELF_REPORTS = [
    ("撰写学习心得体会", "学习《习近平新时代中国特色社会主义思想》专题，撰写心得体会一篇", None),
    ("献言献策被采纳", "提出楼道堆物清理建议，被居民议事会采纳", 3),
    ("参加专题学习、党课", "参加社区党委组织的党史学习教育专题党课", None),
    ("向党组织汇报思想", "向支部书面汇报近期思想和工作情况", None),
]
# Days of the year on which the district works its schemes and the branches open their year.
LAST_YEAR_SCHEMES = (1, 6)
SCHEMES_COPIED = (1, 5)
SCHEME_REVISED = (1, 8)
YEAR_OPENED = (1, 12)
# Before a closed branch's 党员大会: 党员自评 ends two weeks earlier, 初评 one week earlier. Times of day keep
# the steps in order even when an early `today` squeezes them onto one day.
SELF_ASSESSMENT_CLOSES = 14
REVIEW_FINISHES = 7
CLOSE_SELF_ASSESSMENT = (16, 0)
FINISH_REVIEW = (16, 30)
ASSEMBLY_MEETS = (17, 30)
OFFICE_HOURS = (9, 10, 11, 14, 15, 16)
EVENING_HOURS = (19, 20, 21)


def _user_with(role: str, path: str) -> User | None:
    """A user holding `role` on a node whose subtree covers `path` (the nearest one first)."""
    grants = RoleGrant.objects.filter(role=role, is_active=True, node__isnull=False).select_related(
        "user", "node"
    )
    covering = [g for g in grants if path.startswith(g.node.path)]
    covering.sort(key=lambda g: (-len(g.node.path), g.user_id))
    return covering[0].user if covering else None


def _member_users() -> dict[int, User]:
    """Users who sign in as members, by their member id (self-reports need the member themself)."""
    users = {}
    for grant in RoleGrant.objects.filter(role=Role.MEMBER, is_active=True).select_related(
        "user__person__member"
    ):
        member = getattr(grant.user.person, "member", None) if grant.user.person_id else None
        if member is not None:
            users[member.pk] = grant.user
    return users


def _days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)


def _clamp(day: datetime.date, low: datetime.date, high: datetime.date) -> datetime.date:
    return max(low, min(day, high))


def _previous_working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


@dataclass
class Window:
    """A branch's time for activity: from the moment its year opens until 党员自评 closes (or the present).

    Activity happens on the days from the day after opening to the day before closing; whatever is
    entered for it is held inside the two moments, so nothing lands before the year opens or after
    self-assessment closes, however early in the year the demo is built.
    """

    opens: datetime.datetime
    closes: datetime.datetime
    start: datetime.date
    end: datetime.date

    @classmethod
    def between(cls, opens: datetime.datetime, closes: datetime.datetime, last: datetime.date) -> Window:
        opened = timezone.localdate(opens)
        end = max(last, opened)
        return cls(opens, closes, min(_days(opened, 1), end), end)

    def day(self, rng: Random, *, before: int = 0) -> datetime.date:
        """A day of the window, at least `before` days before its end (where the window allows)."""
        span = max((self.end - self.start).days - before, 0)
        return self.start + datetime.timedelta(days=rng.randint(0, span))

    def fraction(self, share: float) -> datetime.date:
        return self.start + datetime.timedelta(days=int((self.end - self.start).days * share))

    def posted(self, day: datetime.date, lag: int) -> datetime.date:
        """The day something that happened on `day` is entered, `lag` days later but within the window."""
        return _clamp(_days(day, lag), day, self.end)

    def fit(self, moment: datetime.datetime) -> datetime.datetime:
        return max(self.opens, min(moment, self.closes))


@dataclass
class Timeline:
    """Schedules the points steps on the demo's timeline, with times of day from their own generator.

    Given a branch's `window`, a step is held inside it; holding is monotonic, so steps keep their
    order (equal moments run in the order they were scheduled).
    """

    ctx: DemoContext
    clock_rng: Random  # times of day and delays, apart from `rng`, so they do not reshuffle the content

    def exactly(
        self, day, hour, minute, action: Callable[[], object], label: str, window: Window | None = None
    ):
        moment = self.ctx.moment(day, hour, minute)
        self.ctx.schedule(window.fit(moment) if window else moment, action, label)

    def at(
        self,
        day,
        hours: tuple[int, ...],
        action: Callable[[], object],
        label: str,
        window: Window | None = None,
    ):
        hour, minute = self.clock_rng.choice(hours), self.clock_rng.randrange(60)
        self.exactly(day, hour, minute, action, label, window)

    def office(self, day, action: Callable[[], object], label: str, window: Window | None = None) -> None:
        """In office hours; what falls on a weekend is entered on the Monday after."""
        if day.weekday() >= 5:
            day = _days(day, 7 - day.weekday())
        self.at(day, OFFICE_HOURS, action, label, window)

    def evening(self, day, action: Callable[[], object], label: str, window: Window) -> None:
        self.at(day, EVENING_HOURS, action, label, window)

    def follow(self, day, hour: int, minute: int, action: Callable[[], object], label: str) -> None:
        """From inside a step: a later step, never before the one running (`clock.now()`)."""
        self.ctx.schedule(max(self.ctx.moment(day, hour, minute), clock.now()), action, label)

    def delay(self, low: int, high: int) -> int:
        return self.clock_rng.randint(low, high)


def _item(branch: PartyOrg, year: int, member_class: str, name: str) -> SchemeItem | None:
    """The item of the member's scheme in force when the step runs (the scheme may have a newer version)."""
    district_id = int(branch.node.path.strip("/").split("/")[0])
    return (
        SchemeItem.objects.filter(
            scheme__district_id=district_id,
            scheme__year=year,
            scheme__status=SchemeStatus.PUBLISHED,
            scheme__member_class=member_class,
            name=name,
        )
        .select_related("scheme")
        .first()
    )


def _branch_year(branch: PartyOrg, year: int) -> BranchYear:
    return BranchYear.objects.get(branch=branch, year=year)


# ---------------------------------------------------------------- schemes


def _schemes(ctx: DemoContext, line: Timeline, district: OrgNode, admin: User) -> None:
    year = ctx.today.year
    if Scheme.objects.filter(district=district, year=year).exists():
        return
    revised: dict[str, int] = {}

    def publish_last_year() -> None:
        for member_class in PointsClass.values:
            scheme = services.scheme_create(
                actor=admin,
                district=district,
                year=year - 1,
                member_class=member_class,
                title=f"{year - 1}年{PointsClass(member_class).label}党员积分细则",
                note="依据党章规定的党员基本义务和党组织对党员的基本要求制定，加分和扣分相结合。",
                excellent_quota_percent=EXCELLENT_QUOTA_PERCENT,
                **THRESHOLDS,
            )
            for fields in default_items(member_class):
                services.scheme_item_save(actor=admin, scheme=scheme, **fields)
            services.scheme_publish(actor=admin, scheme=scheme, note="经区委组织部部务会研究通过")

    def copy_forward() -> None:
        copies = services.scheme_copy_forward(
            actor=admin, district=district, from_year=year - 1, to_year=year
        )
        for scheme in copies:
            services.scheme_publish(actor=admin, scheme=scheme, note="沿用上年细则")

    def revise() -> None:
        # A scheme in use is changed by a new version, never in place: raise the cap on volunteering.
        community = Scheme.objects.get(
            district=district, year=year, member_class=PointsClass.COMMUNITY, status="published"
        )
        draft = services.scheme_new_version(actor=admin, scheme=community)
        volunteering = draft.items.get(auto_code=AutoCode.VOLUNTEERING)
        services.scheme_item_save(actor=admin, scheme=draft, item=volunteering, cap_points=8)
        services.scheme_publish(actor=admin, scheme=draft, note="志愿服务每月上限由6分调整为8分")
        revised["version"] = draft.version

    today = ctx.today
    line.exactly(datetime.date(year - 1, *LAST_YEAR_SCHEMES), 10, 0, publish_last_year, "发布上年积分细则")
    line.exactly(min(datetime.date(year, *SCHEMES_COPIED), today), 9, 0, copy_forward, "细则沿用到本年")
    line.exactly(min(datetime.date(year, *SCHEME_REVISED), today), 9, 30, revise, "社区党员细则修订")
    ctx.after_timeline(
        lambda: ctx.log(
            f"  积分细则：{year - 1}年三类细则已发布并沿用到{year}年；社区党员细则更新为第{revised['version']}版"
        )
    )


# ---------------------------------------------------------------- the year's activity


def _record(line, window, branch, admin, member, name, *, on, lag, **kwargs) -> None:
    year = window.start.year

    def record() -> None:
        item = _item(branch, year, member.points_class, name)
        if item is not None:
            services.claim_record(actor=admin, member=member, item=item, occurred_on=on, **kwargs)

    line.office(window.posted(on, lag), record, f"{member}：{name}", window)


def _auto(line, window, branch, member, auto_code, *, on, source=None, memo) -> None:
    """An automatic credit, made on the day of the activity (the branch's year is the source when none)."""
    year = window.start.year
    if on > window.end:
        return

    def credit() -> None:
        services.points_auto_credit(
            member=member,
            auto_code=auto_code,
            source=source or _branch_year(branch, year),
            occurred_on=on,
            memo=memo,
        )

    line.at(max(on, window.start), OFFICE_HOURS, credit, f"{member}：{AutoCode(auto_code).label}", window)


def _activity(line, rng, window, branch, admin, members) -> None:
    """Points most members earn in a year: meetings and party days recorded, credits from activities."""
    months = max(window.end.month - 1, 1)
    posts = {p.member_id: p for p in MemberPost.objects.filter(member__in=members).order_by("id")}
    registrations = {
        r.member_id: r
        for r in InServiceRegistration.objects.filter(member__in=members, is_active=True).order_by("id")
    }
    year_start = datetime.date(window.start.year, 1, 1)
    for member in members:
        attended = rng.randint(max(months - 3, 1), months)
        # The sign-in sheets of January to last month, entered early in the month after.
        summary = (
            datetime.date(window.start.year, months, 1) if months < window.end.month else window.day(rng)
        )
        entered = datetime.date(window.start.year, months + 1, 1) if months < window.end.month else summary
        _record(
            line,
            window,
            branch,
            admin,
            member,
            "按时参加三会一课",
            on=summary,
            lag=(entered - summary).days + line.delay(0, 3),
            description=f"1—{months}月支部组织生活签到汇总（{attended}次）",
            quantity=attended,
        )
        if rng.random() < 0.8:
            _record(
                line,
                window,
                branch,
                admin,
                member,
                "参加主题党日活动",
                on=window.day(rng),
                lag=line.delay(0, 3),
                description="主题党日活动签到汇总",
                quantity=rng.randint(2, max(months, 2)),
            )
        _auto(
            line,
            window,
            branch,
            member,
            AutoCode.FIVE_STAR,
            on=window.day(rng),
            memo="参与本支部五星支部创建",
        )
        if member.pk in posts:
            post = posts[member.pk]
            _auto(
                line,
                window,
                branch,
                member,
                AutoCode.MODEL_POST,
                on=max(post.start_date, year_start),
                source=post,
                memo=post.title,
            )
        if member.pk in registrations:
            _auto(
                line,
                window,
                branch,
                member,
                AutoCode.INSERVICE_SERVICE,
                on=window.day(rng),
                source=registrations[member.pk],
                memo="在职党员进社区服务",
            )
        if rng.random() < 0.15:
            _record(
                line,
                window,
                branch,
                admin,
                member,
                "无故缺席组织生活",
                on=window.day(rng),
                lag=line.delay(0, 3),
                description="无故缺席支部党员大会",
            )
        if rng.random() < 0.1:
            _record(
                line,
                window,
                branch,
                admin,
                member,
                "获得区级以下表彰表扬",
                on=window.day(rng),
                lag=line.delay(0, 3),
                description="获评街道优秀志愿者",
                points=rng.choice([2, 3, 5]),
            )


def _self_reports(line, rng, window, branch, admin, member_users, members, *, leave_pending: bool) -> None:
    """Self-reports by members who sign in (in the evening, on their phone), reviewed in office hours days later.

    Outcomes in order: approved, adjusted, rejected and (where allowed) one left pending.
    """
    outcomes = ["approve", "adjust", "reject", "pending" if leave_pending else "approve"]
    for member in members:
        user = member_users.get(member.pk)
        if user is None:
            continue
        reports = [r for r in SELF_REPORTS if _in_default_scheme(member.points_class, r[0])]
        for report, outcome in zip(reports, outcomes, strict=False):
            occurred = window.day(rng, before=3)
            _self_report(line, window, branch, admin, user, member, report, occurred, outcome)


def _self_report(line, window, branch, admin, user, member, report, occurred, outcome) -> None:
    name, description, points = report
    submitted = window.posted(occurred, line.delay(0, 1))
    claim: dict = {}

    def submit() -> None:
        item = _item(branch, window.start.year, member.points_class, name)
        files = []
        if item.evidence_required:
            files = [SimpleUploadedFile("学习心得.png", demo_png(8), content_type="image/png")]
        claim["claim"] = services.claim_submit(
            actor=user,
            member=member,
            item=item,
            occurred_on=occurred,
            description=description,
            points=points,
            files=files,
        )

    def review() -> None:
        if outcome == "approve":
            services.claim_approve(actor=admin, claim=claim["claim"], note="情况属实")
        elif outcome == "adjust":
            services.claim_adjust(
                actor=admin, claim=claim["claim"], points=Decimal("1"), reason="建议被部分采纳，按1分计"
            )
        else:
            services.claim_reject(
                actor=admin, claim=claim["claim"], reason="未见支部党课签到记录，请补充佐证"
            )

    line.evening(submitted, submit, f"{member}自评：{name}", window)
    if outcome != "pending":
        reviewed = window.posted(_days(submitted, 1), line.delay(0, 2))
        line.office(reviewed, review, f"初评{member}的自评", window)


def _in_default_scheme(member_class: str, name: str) -> bool:
    """Whether the demo's schemes (last year's defaults, copied forward) have the item for the member's class."""
    return any(fields["name"] == name for fields in default_items(member_class))


def _exempt(line, window, admin, street, member: Member, *, approve: bool) -> None:
    """Asked at home, applied for by the community, recommended, then approved by the street."""
    applied = window.fraction(0.15)
    year = window.start.year
    exemption: dict = {}

    def apply() -> None:
        exemption["exemption"] = services.exemption_apply(
            actor=admin,
            member=member,
            year=year,
            reason_kind="old_age",
            reason="年逾八旬，行动不便，长期居家",
            member_wish=f"{applied.year}年{applied.month}月入户征求本人意见，本人同意",
        )

    def decide(actor, name, note) -> Callable[[], object]:
        return lambda: services.exemption_decide(
            actor=actor, exemption=exemption["exemption"], name=name, note=note
        )

    line.exactly(applied, 9, 30, apply, f"代{member}申请免于参加积分", window)
    line.exactly(
        window.posted(applied, 3),
        10,
        30,
        decide(admin, "recommend", "情况属实，同意推荐"),
        f"推荐{member}免于参加积分",
        window,
    )
    if approve and street is not None:
        line.exactly(
            window.posted(applied, 10),
            11,
            0,
            decide(street, "approve", "同意"),
            f"同意{member}免于参加积分",
            window,
        )


# ---------------------------------------------------------------- the branches


def seed_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("points")
    line = Timeline(ctx, ctx.rng("points-clock"))
    year = ctx.today.year
    for district in OrgNode.objects.filter(kind=NodeKind.DISTRICT).order_by("path"):
        admin = _user_with(Role.DISTRICT_ADMIN, district.path)
        if admin is None:
            ctx.log(f"  {district}：没有区管理员账号，跳过党员积分演示数据")
            continue
        _schemes(ctx, line, district, admin)
        member_users = _member_users()
        demo_user = (
            User.objects.filter(username=DEMO_MEMBER_USERNAME).select_related("person__member").first()
        )
        demo_branch_id = getattr(getattr(demo_user, "person", None), "member", None)
        demo_branch_id = demo_branch_id.branch_id if demo_branch_id else None
        branches = [
            b
            for b in PartyOrg.objects.filter(
                node__path__startswith=district.path, members__record_state=RecordState.ACTIVE
            )
            .select_related("node")
            .distinct()
            .order_by("node__path", "id")
            if _user_with(Role.COMMUNITY_ADMIN, b.node.path) is not None
        ]
        if BranchYear.objects.filter(branch__in=branches, year=year).exists():
            ctx.log("  党员积分：本年度数据已存在，跳过")
            continue
        others = [b for b in branches if b.pk != demo_branch_id]
        plan = {}
        pinned = next((b for b in branches if b.pk == demo_branch_id), None)
        if pinned is not None:
            plan[pinned.pk] = Stage.SELF_ASSESSMENT
        roles = (
            [Stage.PUBLICITY, Stage.YEAR_END_REVIEW]
            if pinned
            else [Stage.SELF_ASSESSMENT, Stage.PUBLICITY, Stage.YEAR_END_REVIEW]
        )
        for branch, stage in zip(others, roles, strict=False):
            plan[branch.pk] = stage
        for branch in others[len(roles) :]:
            plan[branch.pk] = Stage.SELF_ASSESSMENT
        for number, branch in enumerate(branches):
            _seed_branch(ctx, rng, line, branch, plan[branch.pk], member_users, number)


def _meeting_day(ctx: DemoContext, target: str, opened: datetime.date) -> datetime.date | None:
    """The day of the branch's 党员大会: yesterday's working day for the 公示, 40 days ago for the filed one.

    None when the filed year does not fit between the year's opening and today.
    """
    today = ctx.today
    if target == Stage.PUBLICITY:
        start = _previous_working_day(_days(today, -1))
        return max(start, opened) if start.year == today.year else today
    meeting = _days(today, -40)
    return meeting if meeting >= opened else None


def _seed_branch(ctx, rng, line, branch: PartyOrg, target: str, member_users: dict[int, User], number: int):
    year = ctx.today.year
    today = ctx.today
    admin = _user_with(Role.COMMUNITY_ADMIN, branch.node.path)
    street = _user_with(Role.STREET_ADMIN, branch.node.path)
    members = list(
        branch.members.filter(record_state=RecordState.ACTIVE)
        .select_related("person", "branch__node")
        .order_by("pk")
    )
    opened = min(datetime.date(year, *YEAR_OPENED), today)
    opens = ctx.moment(opened, 10 + number // 60, number % 60)
    line.exactly(
        opened,
        10 + number // 60,
        number % 60,
        lambda: services.branch_year_open(actor=admin, branch=branch, year=year, note="启用本年度积分细则"),
        f"{branch}启用本年度积分细则",
    )
    meeting = None
    if target == Stage.PUBLICITY:
        meeting = _meeting_day(ctx, target, opened)
    elif target == Stage.YEAR_END_REVIEW:
        meeting = _meeting_day(ctx, target, opened) if street is not None else None
        if meeting is None:
            # Too early in the year (or no street account) to show a filed year: stop after the 初评.
            target = Stage.ASSEMBLY
    if target == Stage.SELF_ASSESSMENT:
        window = Window.between(opens, ctx.now, _days(today, -1))
    else:
        closes, finished = _closing_days(meeting or today, opened)
        window = Window.between(opens, ctx.moment(closes, *CLOSE_SELF_ASSESSMENT), _days(closes, -1))
    candidates = [m for m in members if m.pk not in member_users]
    exempt = candidates[-1] if candidates and target in (Stage.SELF_ASSESSMENT, Stage.PUBLICITY) else None
    if target == Stage.SELF_ASSESSMENT and len(candidates) < 2:
        exempt = None
    approved = exempt is not None and street is not None
    # A member exempted early in the year takes part in nothing that year.
    _activity(line, rng, window, branch, admin, [m for m in members if not (approved and m == exempt)])
    _self_reports(
        line, rng, window, branch, admin, member_users, members, leave_pending=target == Stage.SELF_ASSESSMENT
    )
    if exempt is not None:
        _exempt(line, window, admin, street, exempt, approve=approved)
    if target == Stage.SELF_ASSESSMENT:
        if exempt is not None:
            ill = candidates[-2]
            line.office(
                window.posted(_days(today, -10), 0),
                lambda: services.exemption_apply(
                    actor=admin,
                    member=ill,
                    year=year,
                    reason_kind="illness",
                    reason="术后康复期，暂不能参加活动",
                    member_wish="电话征求本人意见，本人同意",
                ),
                f"代{ill}申请免于参加积分",
                window,
            )
        ctx.after_timeline(lambda: ctx.log(f"  {branch}：党员自评进行中（{len(members)}名党员）"))
        return
    if target == Stage.YEAR_END_REVIEW:
        violated = window.day(rng, before=5)
        line.office(
            window.posted(violated, 1),
            lambda: services.violation_record(
                actor=admin,
                member=members[-1],
                kind="rule",
                occurred_on=violated,
                description="违反社区公约，私搭乱建拒不整改",
            ),
            f"登记{members[-1]}的违规",
            window,
        )
    _to_assembly(line, branch, year, admin, closes, finished)
    if target == Stage.ASSEMBLY:
        ctx.after_timeline(
            lambda: ctx.log(f"  {branch}：初评完成，待党员大会评定（本年剩余时间或街道账号不足以演示备案）")
        )
        return
    attended = len(members) - rng.randint(0, max(len(members) // 5, 0))
    start = meeting if target == Stage.PUBLICITY else _days(meeting, 1)
    shown: dict = {}

    def confirm() -> None:
        services.branch_year_step(
            actor=admin,
            branch_year=_branch_year(branch, year),
            name="confirm_assembly",
            meeting_date=meeting,
            expected=len(members),
            attended=attended,
            publicity_start=start,
            contact="社区党群服务中心（工作日 9:00—17:00）或支部书记",
            note="党员大会逐一评定党员年度积分",
        )
        notice = PublicNotice.objects.get(
            branch_year__branch=branch, branch_year__year=year, is_withdrawn=False
        )
        shown["notice"] = notice
        if target == Stage.PUBLICITY:
            line.follow(
                today,
                10,
                20,
                lambda: services.objection_record(
                    actor=admin,
                    notice=notice,
                    member=members[0],
                    received_on=today,
                    raised_by="居民（匿名）",
                    content="该同志参加防汛志愿服务两次，公示积分似未计入",
                ),
                f"{branch}公示收到异议",
            )
        else:
            _file(line, branch, year, admin, street, notice, members[0])

    line.exactly(meeting, *ASSEMBLY_MEETS, confirm, f"{branch}党员大会评定并公示")
    if target == Stage.PUBLICITY:
        ctx.after_timeline(
            lambda: ctx.log(
                f"  {branch}：公示中（{shown['notice'].start_date}至{shown['notice'].end_date}），有1条异议待处理"
            )
        )
    else:
        ctx.after_timeline(lambda: ctx.log(f"  {branch}：已上报街道党工委备案，待年底评议"))


def _closing_days(meeting: datetime.date, opened: datetime.date) -> tuple[datetime.date, datetime.date]:
    """党员自评 closes two weeks before the meeting and the 初评 is finished one week before (never before opening)."""
    closes = _clamp(_days(meeting, -SELF_ASSESSMENT_CLOSES), opened, meeting)
    return closes, _clamp(_days(meeting, -REVIEW_FINISHES), closes, meeting)


def _to_assembly(line, branch, year, admin, closes: datetime.date, finished: datetime.date) -> None:
    for day, (hour, minute), name in (
        (closes, CLOSE_SELF_ASSESSMENT, "close_self_assessment"),
        (finished, FINISH_REVIEW, "finish_preliminary_review"),
    ):
        line.exactly(
            day,
            hour,
            minute,
            lambda name=name: services.branch_year_step(
                actor=admin, branch_year=_branch_year(branch, year), name=name
            ),
            f"{branch}：{name}",
        )


def _file(line, branch, year, admin, street, notice: PublicNotice, member: Member) -> None:
    """A filed year: an objection upheld during the 公示, then 公示期满, 登记, 上报 and the street's 备案."""
    received = min(add_working_days(notice.start_date, 1), notice.end_date)
    closed = add_working_days(notice.end_date, 1)
    objection: dict = {}

    def record() -> None:
        objection["objection"] = services.objection_record(
            actor=admin,
            notice=notice,
            member=member,
            received_on=received,
            raised_by="党员",
            content="结对帮扶困难户一次未计分",
        )

    def resolve() -> None:
        services.objection_resolve(
            actor=admin,
            objection=objection["objection"],
            upheld=True,
            resolution="经核实属实，补记3分",
            correction_points=3,
        )

    line.follow(received, 10, 15, record, f"{branch}公示收到异议")
    line.follow(received, 16, 30, resolve, f"{branch}处理公示异议")
    steps = (
        (closed, 9, "close_publicity", admin),
        (closed, 10, "register", admin),
        (closed, 11, "report", admin),
        (add_working_days(closed, 2), 10, "file", street),
    )
    for day, hour, name, actor in steps:
        line.follow(
            day,
            hour,
            0,
            lambda name=name, actor=actor: services.branch_year_step(
                actor=actor, branch_year=_branch_year(branch, year), name=name
            ),
            f"{branch}：{name}",
        )
