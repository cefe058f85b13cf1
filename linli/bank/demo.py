"""Demo data for the points station: 复兴社区's station (and a sister station with 通存通兑), catalogue, shop,
four months of earnings, orders in every state, bulk credits, time-bank records with a proxy and a relay.

Everything goes through the services, scheduled on the demo's timeline (`ctx.schedule`): the station
opens the day before the hundred days begin and plans them; each earning, order, bulk credit and
time-bank step then runs at its own day and time of day, in time order with the points demo's steps,
so the ledger's entries carry the dates the movements are shown with, every account reads in time
order (a Party member's community service reaches their member points too, BNK-4) and `ledger verify`
is clean.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.accounts.models import RoleGrant, User
from linli.core.demo import DemoContext, demo_png
from linli.core.roles import Role
from linli.core.scope import scope_for
from linli.orgs.models import OrgNode
from linli.people.choices import PersonStatus
from linli.people.models import Member, Person

from . import services
from .choices import EarningMethod, OrderChannel
from .codes import ALPHABET, SHORT_CODE_LENGTH
from .models import Depositor, Station

ORDER = 50
DEMO_DEPOSITORS = ("jumin_demo", "dangyuan_demo")
DAYS = 100
RESIDENTS = 24

CATALOGUE = [
    # name, category, points, unit, daily cap, monthly cap, evidence, counts for Party members (BNK-4)
    ("垃圾分类", "garbage", "2", "次", "2", "40", "none", False),
    ("环保堆肥", "compost", "3", "桶", "6", "30", "none", False),
    ("志愿服务", "volunteer", "5", "小时", "20", "80", "photo", True),
    ("社区活动", "activity", "3", "次", "6", "30", "none", False),
    ("助贫助困", "help", "10", "次", None, "40", "witness", True),
    ("献智献策", "ideas", "10", "条", None, "30", "witness", False),
]
SHOP = [
    # name, kind, price, unit, stock, per-order limit, low-stock threshold
    ("大米5斤", "goods", "20", "袋", 40, 2, 5),
    ("食用油1升", "goods", "30", "瓶", 20, 2, 5),
    ("洗衣液", "goods", "15", "瓶", 25, 3, 5),
    ("时令蔬菜一份", "produce", "5", "份", 30, 3, 5),
    ("盆栽绿萝", "produce", "8", "盆", 6, 2, 3),
    ("理发一次", "service", "10", "次", 15, 1, 3),
    ("家电上门维修", "service", "20", "次", 8, 1, 2),
    ("“文明家庭”荣誉证书", "honour", "100", "张", 5, 1, 1),
]
SISTER_SHOP = [("鲜切花一束", "produce", "6", "束", 20, 2, 3), ("手工皂", "goods", "8", "块", 15, 3, 3)]


def _granted(role: str, node: OrgNode, prefer: str = "") -> User | None:
    grants = RoleGrant.objects.filter(
        role=role, is_active=True, node__path__startswith=node.path
    ).select_related("user")
    users = [g.user for g in grants.order_by("user__username")]
    return next((u for u in users if u.username == prefer), users[0] if users else None)


def _covering(role: str, node: OrgNode, prefer: str = "") -> User | None:
    """A user holding `role` on the node or one of its ancestors."""
    grants = RoleGrant.objects.filter(
        role=role, is_active=True, node_id__in=node.ancestor_ids
    ).select_related("user")
    users = [g.user for g in grants.order_by("user__username")]
    return next((u for u in users if u.username == prefer), users[0] if users else None)


def seed_demo(ctx: DemoContext) -> None:
    community = OrgNode.objects.filter(kind="community", name="复兴社区").first() or (
        OrgNode.objects.filter(kind="community").order_by("path").first()
    )
    if community is None:
        ctx.log("积分驿站：没有社区，跳过。")
        return
    if Station.objects.filter(community=community).exists():
        ctx.log("积分驿站：已有演示数据，跳过。")
        return
    admin = _granted(Role.COMMUNITY_ADMIN, community, prefer="shequ_fuxing")
    approver = _covering(Role.STREET_ADMIN, community, prefer="jiedao_huashan") or _covering(
        Role.DISTRICT_ADMIN, community, prefer="quwei_admin"
    )
    if admin is None or approver is None:
        ctx.log("积分驿站：缺少社区管理员或街道/区管理员账号，跳过。")
        return
    opened = ctx.today - datetime.timedelta(days=DAYS + 1)
    ctx.schedule(
        ctx.moment(opened, 9),
        lambda: _open_station(ctx, community, admin, approver),
        f"{community.name}积分驿站开办",
    )


def _open_station(ctx: DemoContext, community, admin, approver) -> None:
    """The station opens with its catalogue, shop and depositors, and the hundred days that follow are planned."""
    code_rng = ctx.rng("bank-codes")
    station = services.station_create(
        actor=admin,
        community=community,
        name=f"{community.name}积分驿站",
        address=f"{community.name}邻里中心一楼",
        opening_hours="周二至周日 9:00-11:30，14:30-17:30",
        allows_cross_redemption=True,
    )
    items = {
        name: services.earning_item_save(
            actor=admin,
            station=station,
            name=name,
            category=category,
            points=Decimal(points),
            unit=unit,
            daily_cap=Decimal(daily) if daily else None,
            monthly_cap=Decimal(monthly) if monthly else None,
            evidence=evidence,
            evidence_hint={"photo": "活动现场照片", "witness": "活动负责人或楼栋长"}.get(evidence, ""),
            counts_as_community_service=counts,
            sort_order=n,
        )
        for n, (name, category, points, unit, daily, monthly, evidence, counts) in enumerate(CATALOGUE)
    }
    shop = _stock_shop(admin, station, SHOP)
    services.expiry_rule_save(
        actor=admin,
        station=station,
        is_active=True,
        keep_months=24,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    sister = _sister_station(community, approver)
    # Demo card codes come from the seeded generator too, so the same demo always prints the same cards.
    with mock.patch(
        "linli.bank.services.depositors.short_code_new",
        lambda: "".join(code_rng.choice(ALPHABET) for _ in range(SHORT_CODE_LENGTH)),
    ):
        depositors = _open_depositors(admin, community)
    if not depositors:
        ctx.log("积分驿站：社区没有在册居民，只建了驿站和目录。")
        return
    _plan(ctx, station, items, shop, sister, depositors, admin, approver)


def _plan(ctx: DemoContext, station, items, shop, sister, depositors, admin, approver) -> None:
    rng = ctx.rng("bank")
    today = ctx.today
    start = today - datetime.timedelta(days=DAYS)
    # The grid worker whose grid covers each depositor records their earnings (the admin where there is none).
    worker_for = {d.pk: _covering(Role.GRID_WORKER, d.node) or admin for d in depositors}
    # Residents (or members) with a login act for themselves on their phone.
    users = {
        u.person_id: u
        for u in User.objects.filter(person_id__in=[d.person_id for d in depositors])
        if scope_for(u).self_has("bank.self")
    }
    households = [d for d in depositors if d.kind == "household"]
    persons = [d for d in depositors if d.kind == "person"]
    member_persons = set(
        Member.objects.filter(person_id__in=[p.person_id for p in persons]).values_list(
            "person_id", flat=True
        )
    )
    members = [p for p in persons if p.person_id in member_persons]
    photo = demo_png()
    tally = {"earned": 0, "orders": 0}

    def earn(depositor, item, day, method, *, quantity=1, photo=None, witness="") -> None:
        _earn(ctx, tally, admin, depositor, item, day, method, worker_for, rng, quantity, photo, witness)

    day = start
    while day < today:
        weekday = day.weekday()
        # Garbage sorting is recorded per household at the collection point most mornings.
        for household in households:
            if rng.random() < 0.3:
                earn(household, items["垃圾分类"], day, EarningMethod.HOUSEHOLD)
        # Weekend community activities and volunteering with a photo.
        if weekday in (5, 6):
            for person in rng.sample(persons, k=min(len(persons), 6)):
                earn(person, items["社区活动"], day, EarningMethod.PHONE)
            # Party members volunteer on the first weekend of the month: bank and member points at once (BNK-4).
            volunteers = rng.sample(persons, k=min(len(persons), 3))
            if day.day <= 7:
                volunteers += [p for p in members if p not in volunteers]
            for person in volunteers:
                earn(person, items["志愿服务"], day, EarningMethod.CARD, quantity=2, photo=photo)
        if weekday == 2 and rng.random() < 0.6:
            earn(rng.choice(persons), items["环保堆肥"], day, EarningMethod.CODE)
        if day.day in (5, 20):
            earn(rng.choice(persons), items["献智献策"], day, EarningMethod.CODE, witness="楼栋长王阿姨")
        if day.day == 12:
            earn(rng.choice(persons), items["助贫助困"], day, EarningMethod.CODE, witness="网格员")
        day += datetime.timedelta(days=1)

    _orders(ctx, tally, admin, persons, households, users, shop, sister, rng)
    _bulk_credits(ctx, admin, approver, station, items["社区活动"], persons)
    _time_bank(ctx, admin, approver, persons, users, worker_for)
    ctx.after_timeline(
        lambda: ctx.log(
            f"积分驿站：{station.name}，{len(depositors)}位储户，{tally['earned']}笔记分，{tally['orders']}笔兑换。"
        )
    )


def _stock_shop(actor: User, station: Station, rows) -> dict:
    shop = {}
    for n, (name, kind, price, unit, stock, limit, threshold) in enumerate(rows):
        item = services.shop_item_save(
            actor=actor,
            station=station,
            name=name,
            kind=kind,
            price=Decimal(price),
            unit=unit,
            per_order_limit=limit,
            low_stock_threshold=threshold,
            sort_order=n,
        )
        services.stock_restock(actor=actor, item=item, quantity=stock, note="首批入库")
        shop[name] = item
    return shop


def _sister_station(community: OrgNode, approver: User) -> dict:
    """A second community of the same street, also open to 通存通兑."""
    sister = OrgNode.objects.filter(kind="community", parent_id=community.parent_id).exclude(pk=community.pk)
    sister = sister.order_by("path").first()
    if sister is None:
        return {}
    station = services.station_create(
        actor=approver,
        community=sister,
        name=f"{sister.name}积分驿站",
        address=f"{sister.name}党群服务中心",
        allows_cross_redemption=True,
    )
    services.earning_item_save(
        actor=approver,
        station=station,
        name="垃圾分类",
        category="garbage",
        points=Decimal("2"),
        daily_cap=Decimal("2"),
    )
    return _stock_shop(approver, station, SISTER_SHOP)


def _open_depositors(admin: User, community: OrgNode) -> list[Depositor]:
    residents = list(
        Person.objects.filter(
            node__path__startswith=community.path, status=PersonStatus.ACTIVE, is_resident=True
        )
        .exclude(node__kind="unit")
        .select_related("node", "household")
        .order_by("pk")[:RESIDENTS]
    )
    # The demo's resident and Party member logins are depositors too, whatever their place in the registry.
    for login in (
        User.objects.filter(username__in=DEMO_DEPOSITORS).select_related("person").order_by("username")
    ):
        if (
            login.person is not None
            and login.person.status == PersonStatus.ACTIVE
            and login.person not in residents
        ):
            residents.append(login.person)
    depositors = [services.depositor_open(actor=admin, person=p) for p in residents]
    seen_households = set()
    for person in residents:
        if person.household_id and person.household_id not in seen_households:
            seen_households.add(person.household_id)
            depositors.append(services.depositor_open(actor=admin, household=person.household))
    unit = OrgNode.objects.filter(kind="unit", path__startswith=community.path).order_by("path").first()
    if unit is not None:
        depositors.append(services.depositor_open(actor=admin, unit=unit))
    return depositors


def _earn(ctx, tally, admin, depositor, item, day, method, worker_for, rng, quantity, photo, witness) -> None:
    actor = worker_for.get(depositor.pk) or admin

    def record() -> None:
        try:
            services.earning_record(
                actor=actor,
                depositor=depositor,
                item=item,
                method=method,
                quantity=quantity,
                occurred_on=day,
                evidence=SimpleUploadedFile("现场照片.png", photo, content_type="image/png")
                if photo
                else None,
                witness=witness,
            )
        except ValidationError:
            return  # over the cap that day or month: the desk would have refused it too
        tally["earned"] += 1

    moment = ctx.moment(day, rng.choice((9, 10, 15, 16)), rng.randrange(60))
    ctx.schedule(moment, record, f"{depositor.name}：{item.name}")


def _orders(ctx, tally, admin, persons, households, users, shop, sister, rng) -> None:
    """Redemptions over the period; the last week's are still open, one is cancelled, one refused."""
    today = ctx.today
    for offset in range(DAYS - 30, 0, -3):
        day = today - datetime.timedelta(days=offset)
        payer = rng.choice(persons + households)
        user = users.get(payer.person_id) if payer.person_id else None
        item = rng.choice(list(shop.values())[:6])
        _order(ctx, tally, admin, payer, user, item, day, offset, rng.randrange(60))
    if sister:
        # 通存通兑: a resident with a phone redeems at the sister station of the same street.
        def visit() -> None:
            fresh = Depositor.objects.filter(pk__in=[p.pk for p in persons if users.get(p.person_id)])
            visitor = fresh.filter(points_account__balance__gte=Decimal("6")).order_by("pk").first()
            if visitor is not None:
                services.order_place(
                    actor=users[visitor.person_id],
                    depositor=visitor,
                    item=next(iter(sister.values())),
                    quantity=1,
                )
                tally["orders"] += 1

        ctx.schedule(ctx.moment(today - datetime.timedelta(days=5), 11), visit, "通存通兑")


def _order(ctx, tally, admin, payer, user, item, day, offset, minute) -> None:
    """Placed at 10 in the morning; older orders are collected (or cancelled, refused) the next morning."""
    placed: dict = {}

    def place() -> None:
        try:
            placed["order"] = services.order_place(
                actor=user or admin,
                depositor=payer,
                item=item,
                quantity=1,
                channel=OrderChannel.SELF if user else OrderChannel.DESK,
            )
        except ValidationError:
            return
        tally["orders"] += 1

    def settle() -> None:
        order = placed.get("order")
        if order is None:
            return
        if offset % 27 == 0:
            services.order_cancel(actor=user or admin, order=order, reason="临时有事，改天再来")
        elif offset % 31 == 0:
            services.order_refuse(actor=admin, order=order, reason="蔬菜受冻，暂停供应")
        else:
            services.order_prepare(actor=admin, order=order)
            services.order_collect(actor=admin, order=order)

    def prepare() -> None:
        if "order" in placed:
            services.order_prepare(actor=admin, order=placed["order"])

    ctx.schedule(ctx.moment(day, 10, minute), place, f"{payer.name}兑换{item.name}")
    if offset > 7:
        ctx.schedule(ctx.moment(day + datetime.timedelta(days=1), 9, 30), settle, "办结兑换订单")
    elif offset > 3:
        ctx.schedule(ctx.moment(day, 16), prepare, "备货")


def _bulk_credits(ctx, admin, approver, station, item, persons) -> None:
    """One approved by the street a month ago, one awaiting approval."""
    today = ctx.today
    bulk: dict = {}

    def propose() -> None:
        bulk["approved"] = services.bulk_credit_create(
            actor=admin,
            station=station,
            item=item,
            occurred_on=today - datetime.timedelta(days=33),
            reason="“邻里守望”夜间巡逻集体记分（签到表已存档）",
            lines=[(p, 1) for p in persons[:8]],
        )

    def decide() -> None:
        try:
            services.bulk_credit_approve(actor=approver, bulk=bulk["approved"], note="已核对签到表")
        except ValidationError:
            services.bulk_credit_reject(
                actor=approver, bulk=bulk["approved"], reason="部分人员当月社区活动已达上限"
            )

    def propose_pending() -> None:
        services.bulk_credit_create(
            actor=admin,
            station=station,
            item=item,
            occurred_on=today - datetime.timedelta(days=2),
            reason="重阳节敬老活动志愿者集体记分",
            lines=[(p, 1) for p in persons[8:14]] or [(p, 1) for p in persons[-1:]],
        )

    ctx.schedule(ctx.moment(today - datetime.timedelta(days=32), 17), propose, "批量记分：邻里守望")
    ctx.schedule(ctx.moment(today - datetime.timedelta(days=31), 9), decide, "审批批量记分")
    ctx.schedule(ctx.moment(today - datetime.timedelta(days=1), 17), propose_pending, "批量记分：重阳节")


def _not_party(record, *candidates):
    """The first candidate who neither recorded the claim nor gave the service (the services insist)."""
    for user in candidates:
        if (
            user is not None
            and user.pk != record.claimed_by_id
            and user.person_id != record.provider.person_id
        ):
            return user
    return None


def _time_bank(ctx, admin, approver, persons, users, worker_for) -> None:
    """Services confirmed by the recipient, by a grid worker on an elder's behalf, one disputed, one relay."""
    if len(persons) < 2:
        return
    today = ctx.today
    half = max(1, len(persons) // 3)
    # The demo logins come last among the depositors; serve them first, so their pages show the time bank.
    helpers, elders = persons[:half], persons[half:][::-1]
    works = ["陪同就医", "代购生活用品", "上门打扫", "读报聊天", "助浴"]
    served = min(12, max(6, len(elders)))
    for n in range(served):
        helper, elder = helpers[n % len(helpers)], elders[n % len(elders)]
        served_on = today - datetime.timedelta(days=60 - n * 4)
        if n < served - 2:
            outcome = "confirm"
        elif n == served - 2:
            outcome = "dispute"
        else:
            outcome = "open"
        _service(
            ctx,
            n,
            helper,
            elder,
            works[n % len(works)],
            served_on,
            outcome,
            admin,
            approver,
            users,
            worker_for,
        )

    # 爱心接力: the busiest helper passes an hour to a person in need (or to family).
    def relay() -> None:
        donor = helpers[0]
        donor.hours_account.refresh_from_db()
        for recipient in elders:
            if services.relay_relation(donor, recipient) and donor.hours_account.balance >= 1:
                services.time_relay(
                    actor=admin,
                    donor=donor,
                    recipient=recipient,
                    hours="1",
                    reason="爱心接力：转赠给困难老人",
                )
                break

    def withdraw() -> None:
        helper = helpers[-1]
        helper.hours_account.refresh_from_db()
        if helper.hours_account.balance >= 1:
            services.time_withdraw(
                actor=admin,
                depositor=helper,
                hours="1",
                service="上门理发（为本人）",
                occurred_on=today - datetime.timedelta(days=6),
            )

    ctx.schedule(ctx.moment(today - datetime.timedelta(days=10), 11), relay, "爱心接力")
    ctx.schedule(ctx.moment(today - datetime.timedelta(days=6), 14), withdraw, "时间银行支取")


def _service(ctx, n, helper, elder, what, served_on, outcome, admin, approver, users, worker_for) -> None:
    """Claimed by the helper that evening; confirmed the next morning, or disputed and resolved two days later."""
    claimed: dict = {}

    def claim() -> None:
        claimed["record"] = services.service_claim(
            actor=users.get(helper.person_id) or worker_for[helper.pk],
            provider=helper,
            recipient=elder,
            what=what,
            served_on=served_on,
            hours=Decimal("1.5") + n % 3,
        )

    def confirm() -> None:
        # Elders with a login confirm on their phone; the others, and every third, by their grid worker.
        record = claimed["record"]
        elder_user, worker = users.get(record.recipient.person_id), worker_for[record.recipient.pk]
        confirmers = (worker, elder_user) if n % 3 == 2 else (elder_user, worker)
        confirmer = _not_party(record, *confirmers, admin, approver)
        if confirmer is not None:
            services.service_confirm(actor=confirmer, record=record)

    def dispute() -> None:
        record = claimed["record"]
        disputer = _not_party(
            record, users.get(record.recipient.person_id), worker_for[record.recipient.pk], admin
        )
        resolver = _not_party(record, admin, approver)
        if disputer is not None and resolver is not None:
            services.service_dispute(actor=disputer, record=record, reason="老人说只服务了一小时")
            claimed["resolver"] = resolver

    def resolve() -> None:
        if "resolver" in claimed:
            services.service_resolve(
                actor=claimed["resolver"],
                record=claimed["record"],
                hours=Decimal("1"),
                note="电话回访核实，按1小时记入",
            )

    next_day = served_on + datetime.timedelta(days=1)
    ctx.schedule(ctx.moment(served_on, 18), claim, f"{helper.name}申报时间银行服务")
    if outcome == "confirm":
        ctx.schedule(ctx.moment(next_day, 10), confirm, f"确认{helper.name}的服务")
    elif outcome == "dispute":
        ctx.schedule(ctx.moment(next_day, 10), dispute, f"对{helper.name}的服务提出异议")
        ctx.schedule(ctx.moment(served_on + datetime.timedelta(days=3), 15), resolve, "处理时间银行异议")
