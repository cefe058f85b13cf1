"""Demo: the district's points year in progress (PTS), seeded through the points services.

Last year's schemes are published and copied forward to this year; branches are then spread over
the year: one stays in 党员自评 with claims at every stage (the branch of `dangyuan_demo`, so a member
can self-report), one is in 公示 with the publicity period covering today and an objection open,
one has been filed (备案) with an upheld objection and a violation. An exemption is approved and
another applied for. Everything is deterministic (`ctx.rng("points")`, `ctx.today`).
"""

from __future__ import annotations

import datetime
import struct
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from linli.accounts.models import RoleGrant, User
from linli.core.demo import DemoContext
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


def _png() -> bytes:
    """A small real PNG (a red square), so evidence opens as an image in the demo."""
    width = height = 8
    raw = b"".join(b"\x00" + b"\xc8\x16\x1d" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


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


def _day(ctx: DemoContext, rng, *, before: int = 1) -> datetime.date:
    """A day of this year, before today."""
    start = datetime.date(ctx.today.year, 1, 1)
    span = max((ctx.today - start).days - before, 0)
    return start + datetime.timedelta(days=rng.randint(0, span))


def _schemes(ctx: DemoContext, district: OrgNode, admin: User) -> None:
    year = ctx.today.year
    if Scheme.objects.filter(district=district, year=year).exists():
        return
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
    copies = services.scheme_copy_forward(actor=admin, district=district, from_year=year - 1, to_year=year)
    for scheme in copies:
        services.scheme_publish(actor=admin, scheme=scheme, note="沿用上年细则")
    # A scheme in use is changed by a new version, never in place: raise the cap on volunteering.
    community = Scheme.objects.get(
        district=district, year=year, member_class=PointsClass.COMMUNITY, status="published"
    )
    draft = services.scheme_new_version(actor=admin, scheme=community)
    volunteering = draft.items.get(auto_code=AutoCode.VOLUNTEERING)
    services.scheme_item_save(actor=admin, scheme=draft, item=volunteering, cap_points=8)
    services.scheme_publish(actor=admin, scheme=draft, note="志愿服务每月上限由6分调整为8分")
    ctx.log(f"  积分细则：{year - 1}年三类细则已发布并沿用到{year}年；社区党员细则更新为第{draft.version}版")


def _items(branch: PartyOrg, year: int) -> dict[tuple[str, str], SchemeItem]:
    district_id = int(branch.node.path.strip("/").split("/")[0])
    return {
        (item.scheme.member_class, item.name): item
        for item in SchemeItem.objects.filter(
            scheme__district_id=district_id, scheme__year=year, scheme__status=SchemeStatus.PUBLISHED
        ).select_related("scheme")
    }


def _record(ctx, rng, admin, member, items, name, **kwargs) -> None:
    item = items.get((member.points_class, name))
    if item is None:
        return
    services.claim_record(
        actor=admin, member=member, item=item, occurred_on=kwargs.pop("on", _day(ctx, rng)), **kwargs
    )


def _activity(ctx: DemoContext, rng, branch_year: BranchYear, admin: User, members: list[Member]) -> None:
    """Points most members earn in a year: meetings and party days recorded, credits from activities."""
    items = _items(branch_year.branch, branch_year.year)
    months = max(ctx.today.month - 1, 1)
    posts = {p.member_id: p for p in MemberPost.objects.filter(member__in=members).order_by("id")}
    registrations = {
        r.member_id: r
        for r in InServiceRegistration.objects.filter(member__in=members, is_active=True).order_by("id")
    }
    for member in members:
        attended = rng.randint(max(months - 3, 1), months)
        _record(
            ctx,
            rng,
            admin,
            member,
            items,
            "按时参加三会一课",
            description=f"1—{months}月支部组织生活签到汇总（{attended}次）",
            quantity=attended,
            on=datetime.date(ctx.today.year, months, 1) if months < ctx.today.month else _day(ctx, rng),
        )
        if rng.random() < 0.8:
            _record(
                ctx,
                rng,
                admin,
                member,
                items,
                "参加主题党日活动",
                description="主题党日活动签到汇总",
                quantity=rng.randint(2, max(months, 2)),
            )
        services.points_auto_credit(
            member=member,
            auto_code=AutoCode.FIVE_STAR,
            source=branch_year,
            occurred_on=_day(ctx, rng),
            memo="参与本支部五星支部创建",
        )
        if member.pk in posts:
            services.points_auto_credit(
                member=member,
                auto_code=AutoCode.MODEL_POST,
                source=posts[member.pk],
                occurred_on=max(posts[member.pk].start_date, datetime.date(ctx.today.year, 1, 1)),
                memo=posts[member.pk].title,
            )
        if member.pk in registrations:
            services.points_auto_credit(
                member=member,
                auto_code=AutoCode.INSERVICE_SERVICE,
                source=registrations[member.pk],
                occurred_on=_day(ctx, rng),
                memo="在职党员进社区服务",
            )
        if rng.random() < 0.15:
            _record(
                ctx,
                rng,
                admin,
                member,
                items,
                "无故缺席组织生活",
                description="无故缺席支部党员大会",
            )
        if rng.random() < 0.1:
            _record(
                ctx,
                rng,
                admin,
                member,
                items,
                "获得区级以下表彰表扬",
                description="获评街道优秀志愿者",
                points=rng.choice([2, 3, 5]),
            )


def _self_reports(ctx, rng, branch_year, admin, member_users, members, *, leave_pending: bool) -> None:
    """Self-reports by members who sign in: approved, adjusted, rejected and (where allowed) pending."""
    items = _items(branch_year.branch, branch_year.year)
    for member in members:
        user = member_users.get(member.pk)
        if user is None:
            continue
        claims = []
        for name, description, points in SELF_REPORTS:
            item = items.get((member.points_class, name))
            if item is None:
                continue
            files = []
            if item.evidence_required:
                files = [SimpleUploadedFile("学习心得.png", _png(), content_type="image/png")]
            claims.append(
                services.claim_submit(
                    actor=user,
                    member=member,
                    item=item,
                    occurred_on=_day(ctx, rng, before=3),
                    description=description,
                    points=points,
                    files=files,
                )
            )
        outcomes = ["approve", "adjust", "reject", "pending" if leave_pending else "approve"]
        for claim, outcome in zip(claims, outcomes, strict=False):
            if outcome == "approve":
                services.claim_approve(actor=admin, claim=claim, note="情况属实")
            elif outcome == "adjust":
                services.claim_adjust(
                    actor=admin, claim=claim, points=Decimal("1"), reason="建议被部分采纳，按1分计"
                )
            elif outcome == "reject":
                services.claim_reject(actor=admin, claim=claim, reason="未见支部党课签到记录，请补充佐证")


def _exempt(ctx, rng, branch_year, admin, street, member: Member, *, approve: bool) -> None:
    exemption = services.exemption_apply(
        actor=admin,
        member=member,
        year=branch_year.year,
        reason_kind="old_age",
        reason="年逾八旬，行动不便，长期居家",
        member_wish=f"{ctx.today.year}年2月入户征求本人意见，本人同意",
    )
    services.exemption_decide(actor=admin, exemption=exemption, name="recommend", note="情况属实，同意推荐")
    if approve and street is not None:
        services.exemption_decide(actor=street, exemption=exemption, name="approve", note="同意")


def _to_assembly(branch_year: BranchYear, admin: User) -> None:
    for name in ("close_self_assessment", "finish_preliminary_review"):
        services.branch_year_step(actor=admin, branch_year=branch_year, name=name)


def _confirm(branch_year, admin, members, *, meeting, start, rng) -> PublicNotice:
    expected = len(members)
    services.branch_year_step(
        actor=admin,
        branch_year=branch_year,
        name="confirm_assembly",
        meeting_date=meeting,
        expected=expected,
        attended=expected - rng.randint(0, max(expected // 5, 0)),
        publicity_start=start,
        contact="社区党群服务中心（工作日 9:00—17:00）或支部书记",
        note="党员大会逐一评定党员年度积分",
    )
    return PublicNotice.objects.get(branch_year=branch_year, is_withdrawn=False)


def _previous_working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def seed_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("points")
    year = ctx.today.year
    for district in OrgNode.objects.filter(kind=NodeKind.DISTRICT).order_by("path"):
        admin = _user_with(Role.DISTRICT_ADMIN, district.path)
        if admin is None:
            ctx.log(f"  {district}：没有区管理员账号，跳过党员积分演示数据")
            continue
        _schemes(ctx, district, admin)
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
        for branch in branches:
            _seed_branch(ctx, rng, branch, plan[branch.pk], member_users)


def _seed_branch(ctx: DemoContext, rng, branch: PartyOrg, target: str, member_users: dict[int, User]) -> None:
    year = ctx.today.year
    admin = _user_with(Role.COMMUNITY_ADMIN, branch.node.path)
    street = _user_with(Role.STREET_ADMIN, branch.node.path)
    members = list(
        branch.members.filter(record_state=RecordState.ACTIVE)
        .select_related("person", "branch__node")
        .order_by("pk")
    )
    branch_year = services.branch_year_open(actor=admin, branch=branch, year=year, note="启用本年度积分细则")
    _activity(ctx, rng, branch_year, admin, members)
    _self_reports(
        ctx, rng, branch_year, admin, member_users, members, leave_pending=target == Stage.SELF_ASSESSMENT
    )
    candidates = [m for m in members if m.pk not in member_users]
    if target == Stage.SELF_ASSESSMENT:
        if len(candidates) >= 2:
            _exempt(ctx, rng, branch_year, admin, street, candidates[-1], approve=True)
            services.exemption_apply(
                actor=admin,
                member=candidates[-2],
                year=year,
                reason_kind="illness",
                reason="术后康复期，暂不能参加活动",
                member_wish="电话征求本人意见，本人同意",
            )
        ctx.log(f"  {branch}：党员自评进行中（{len(members)}名党员）")
        return
    if target == Stage.PUBLICITY:
        if candidates:
            _exempt(ctx, rng, branch_year, admin, street, candidates[-1], approve=street is not None)
        _to_assembly(branch_year, admin)
        start = _previous_working_day(ctx.today - datetime.timedelta(days=1))
        if start.year < year:
            start = ctx.today
        notice = _confirm(branch_year, admin, members, meeting=start, start=start, rng=rng)
        services.objection_record(
            actor=admin,
            notice=notice,
            member=members[0],
            received_on=ctx.today,
            raised_by="居民（匿名）",
            content="该同志参加防汛志愿服务两次，公示积分似未计入",
        )
        ctx.log(f"  {branch}：公示中（{notice.start_date}至{notice.end_date}），有1条异议待处理")
        return
    # Filed: publicity long over, an upheld objection corrected the list, a violation recorded.
    meeting = ctx.today - datetime.timedelta(days=40)
    if meeting.year < year or street is None:
        _to_assembly(branch_year, admin)
        ctx.log(f"  {branch}：初评完成，待党员大会评定（本年剩余时间或街道账号不足以演示备案）")
        return
    services.violation_record(
        actor=admin,
        member=members[-1],
        kind="rule",
        occurred_on=_day(ctx, rng, before=45),
        description="违反社区公约，私搭乱建拒不整改",
    )
    _to_assembly(branch_year, admin)
    notice = _confirm(
        branch_year, admin, members, meeting=meeting, start=meeting + datetime.timedelta(days=1), rng=rng
    )
    received = add_working_days(notice.start_date, 1)
    objection = services.objection_record(
        actor=admin,
        notice=notice,
        member=members[0],
        received_on=min(received, notice.end_date),
        raised_by="党员",
        content="结对帮扶困难户一次未计分",
    )
    services.objection_resolve(
        actor=admin, objection=objection, upheld=True, resolution="经核实属实，补记3分", correction_points=3
    )
    for name, actor in (("close_publicity", admin), ("register", admin), ("report", admin), ("file", street)):
        services.branch_year_step(actor=actor, branch_year=branch_year, name=name)
    ctx.log(f"  {branch}：已上报街道党工委备案，待年底评议")
