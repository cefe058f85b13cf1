"""`seed --scale`: a year of the points stations (道德银行/积分驿站) and the time bank, written in bulk (BNK).

Figures per scale, measured with `today` = 21 November (the 365 days up to it; bank points are not
annual; SQLite seconds for this module):

| scale    | stations | depositors | earnings | orders | service records | ledger entries | seconds |
|----------|----------|------------|----------|--------|-----------------|----------------|---------|
| tiny     |        3 |        146 |      809 |     88 |              23 |          1,341 |     0.3 |
| tenth    |       10 |     14,988 |   94,294 |  9,644 |           3,870 |        120,960 |      10 |
| district |      100 |    149,725 |  960,507 | 98,830 |          39,066 |      1,231,627 |     137 |

With the points module the district holds 2,307,067 entries; `ledger verify` checks them in 40 s.

Every community has a station with the demo's catalogue (`demo.CATALOGUE`) and shop (`demo.SHOP`),
whose stock is the item's own ledger account: restocked at opening and on the first of every month
with that month's demand and a margin, taken by orders, given back by cancellations. About two fifths
of the residents, a sixth of the households and every unit have a depositor: a few are active every
month, most now and then, some never. Earnings post with the service's idempotency key
(`bank:earning:<id>`); a few are voided by a reversal; orders are placed only within the balance
(collected, ready, placed, cancelled or refused with both entries reversed). One provider in twenty
serves neighbours through the time bank (hours credited when confirmed, some waiting or disputed).

`jumin_demo` and the household have four months of history; `shequ_fuxing` runs 复兴社区's station.
Not written in bulk: state-machine history of orders and service records. The catalogue's
"counts for Party members" (BNK-4) is off at scale: member points come from `points/seeding.py`.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.models import RoleGrant, User
from linli.core.bulk import quick_instance, reset_sequences
from linli.core.roles import Role
from linli.core.seeding import ScaleContext, bulk_create_audited
from linli.ledger.bulk import BulkLedger, IdBlock
from linli.ledger.choices import EntryKind
from linli.ledger.models import Currency
from linli.orgs.choices import NodeKind
from linli.orgs.models import Household, OrgNode
from linli.people.choices import PersonStatus
from linli.people.models import Person

from .choices import (
    HOURS_CURRENCY,
    POINTS_CURRENCY,
    STOCK_CURRENCY,
    ConfirmedAs,
    DepositorKind,
    EarningMethod,
    OrderChannel,
    OrderState,
    ServiceState,
)
from .codes import ALPHABET, SHORT_CODE_LENGTH
from .demo import CATALOGUE, SHOP
from .models import Depositor, Earning, EarningItem, ExpiryRule, Order, ServiceRecord, ShopItem, Station

ORDER = 50
NOTE = "规模测试数据：积分驿站"
DAYS = 365
PERSON_SHARE = 0.4
HOUSEHOLD_SHARE = 0.15
PROVIDER_SHARE = 0.05
DEMO_RESIDENT = "jumin_demo"
DEMO_MONTHS_DAYS = 120
# Activity levels of a depositor: (share, earnings per month, chance of an order after an earning).
LEVELS = ((0.25, 2.0, 0.12), (0.5, 0.35, 0.12), (0.25, 0.04, 0.0))
ITEM_WEIGHTS = {"垃圾分类": 10, "环保堆肥": 3, "志愿服务": 4, "社区活动": 4, "助贫助困": 1, "献智献策": 1}
SERVICES = ("陪同就医", "上门理发", "代购生活用品", "助浴", "陪伴聊天", "家电小修", "辅导作业", "代缴水电费")
OFFICE_HOURS = (9, 10, 11, 14, 15, 16)
OPEN_HOURS = (9, 10, 11, 15, 16, 17, 18)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


class _Run:
    """Shared facts of one seeding run: the window, currencies, content types, staff, id blocks."""

    def __init__(self, ctx: ScaleContext):
        self.ctx = ctx
        self.today, self.now = ctx.today, ctx.now
        self.start = ctx.today - datetime.timedelta(days=DAYS - 1)
        self.rng = ctx.rng("bank-scale")
        self.currencies = {
            c.code: c
            for c in Currency.objects.filter(code__in=[POINTS_CURRENCY, HOURS_CURRENCY, STOCK_CURRENCY])
        }
        self.types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Person, Household, OrgNode, ShopItem)
        }
        self.staff: dict[int, User] = {
            g.node_id: g.user
            for g in RoleGrant.objects.filter(role=Role.COMMUNITY_ADMIN, is_active=True).select_related(
                "user"
            )
        }
        self.ledger = BulkLedger(note=NOTE)
        self.ids = {model: IdBlock(model) for model in (ShopItem, Depositor, Earning, Order, ServiceRecord)}
        self.codes: set[str] = set(Depositor.objects.values_list("short_code", flat=True))
        self.counts: dict[str, int] = defaultdict(int)
        demo = User.objects.filter(username=DEMO_RESIDENT).select_related("person").first()
        self.demo_person = demo.person if demo is not None else None
        self.demo_user = demo

    def moment(self, day: datetime.date, hours: tuple[int, ...]) -> datetime.datetime:
        return min(_aware(day, self.rng.choice(hours), self.rng.randrange(60)), self.now)

    def short_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(ALPHABET) for _ in range(SHORT_CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code


def seed_scale(ctx: ScaleContext) -> None:
    started = time.monotonic()
    run = _Run(ctx)
    communities = list(OrgNode.objects.filter(kind=NodeKind.COMMUNITY).order_by("path"))
    for done, community in enumerate(communities, start=1):
        _Community(run, community).seed()
        if done % 10 == 0 or done == len(communities):
            ctx.log(
                f"已生成 {done}/{len(communities)} 个社区的积分驿站数据（{time.monotonic() - started:.0f} 秒）"
            )
    run.ledger.finish()
    reset_sequences(*run.ids)
    for label in ("积分驿站", "储户", "积分记录", "兑换订单", "时间银行服务记录"):
        ctx.count(label, run.counts[label])
    ctx.count("驿站分录", run.ledger.entries_written)


class _Community:
    def __init__(self, run: _Run, community: OrgNode):
        self.run, self.community, self.rng = run, community, run.rng
        self.staff = run.staff.get(community.pk)
        self.staff_name = self.staff.username if self.staff else "系统"
        self.staff_id = self.staff.pk if self.staff else None
        self.methods = (EarningMethod.PHONE, EarningMethod.CARD, EarningMethod.CODE, EarningMethod.DESK)
        self.earnings: list[Earning] = []
        self.orders: list[Order] = []
        self.demand: dict[tuple[int, int], int] = defaultdict(int)  # (shop item id, month index) → quantity

    # ------------------------------------------------------------ station, catalogue, shop

    def _station(self) -> None:
        run, community = self.run, self.community
        opened = _aware(run.start, 8, 0)
        self.opened = opened
        self.station = Station(
            community=community,
            name=f"{community.name}积分驿站",
            address=f"{community.name}邻里中心一楼",
            opening_hours="周二至周日 9:00-11:30，14:30-17:30",
            allows_cross_redemption=self.rng.random() < 0.5,
        )
        bulk_create_audited(Station, [self.station], audit_each=False, note=NOTE)
        self.items = [
            EarningItem(
                station=self.station,
                name=name,
                category=category,
                points=Decimal(points),
                unit=unit,
                daily_cap=Decimal(daily) if daily else None,
                monthly_cap=Decimal(monthly) if monthly else None,
                evidence=evidence,
                evidence_hint={"photo": "活动现场照片", "witness": "活动负责人或楼栋长"}.get(evidence, ""),
                counts_as_community_service=False,
                sort_order=n,
            )
            for n, (name, category, points, unit, daily, monthly, evidence, _counts) in enumerate(CATALOGUE)
        ]
        bulk_create_audited(EarningItem, self.items, audit_each=False, note=NOTE)
        self.item_weights = [ITEM_WEIGHTS.get(i.name, 1) for i in self.items]
        self.shop = []
        for n, (name, kind, price, unit, _stock, limit, threshold) in enumerate(SHOP):
            item = ShopItem(
                id=run.ids[ShopItem].take(),
                station=self.station,
                name=name,
                kind=kind,
                price=Decimal(price),
                unit=unit,
                per_order_limit=limit,
                low_stock_threshold=threshold,
                sort_order=n,
            )
            item.stock_account = run.ledger.open(
                currency=run.currencies[STOCK_CURRENCY],
                owner_type=run.types[ShopItem],
                owner_id=item.pk,
                scope_path=community.path,
                label=f"{self.station.name}·{name}",
                created_at=opened,
            )
            self.shop.append(item)
        bulk_create_audited(ShopItem, self.shop, audit_each=False, note=NOTE)
        bulk_create_audited(
            ExpiryRule,
            [
                ExpiryRule(
                    station=self.station,
                    keep_months=24,
                    expires_month=12,
                    expires_day=31,
                    notice_days=30,
                    announced_on=run.start,
                )
            ],
            audit_each=False,
            note=NOTE,
        )
        run.counts["积分驿站"] += 1

    # ------------------------------------------------------------ depositors

    def _depositors(self) -> list[tuple[Depositor, int]]:
        """(depositor, activity level) for the chosen residents, households and units of the community."""
        run, rng, path = self.run, self.rng, self.community.path
        demo_person = run.demo_person
        chosen: list[tuple[Depositor, int]] = []
        persons = (
            Person.objects.filter(node__path__startswith=path, status=PersonStatus.ACTIVE, is_resident=True)
            .select_related("node")
            .order_by("id")
        )
        demo_household_id = demo_person.household_id if demo_person else None
        for person in persons.iterator(chunk_size=2000):
            is_demo = demo_person is not None and person.pk == demo_person.pk
            if not is_demo and rng.random() >= PERSON_SHARE:
                continue
            depositor = self._open(
                DepositorKind.PERSON, person, person.node, person.name, run.types[Person], person.pk
            )
            chosen.append((depositor, -1 if is_demo else self._level()))
        households = (
            Household.objects.filter(grid__path__startswith=path)
            .select_related("grid", "building")
            .order_by("id")
        )
        for household in households.iterator(chunk_size=2000):
            is_demo = household.pk == demo_household_id
            if not is_demo and rng.random() >= HOUSEHOLD_SHARE:
                continue
            depositor = self._open(
                DepositorKind.HOUSEHOLD,
                household,
                household.grid,
                f"{household.label}（户）",
                run.types[Household],
                household.pk,
            )
            chosen.append((depositor, -1 if is_demo else self._level()))
        for unit in OrgNode.objects.filter(path__startswith=path, kind=NodeKind.UNIT).order_by("id"):
            depositor = self._open(DepositorKind.UNIT, unit, unit, unit.name, run.types[OrgNode], unit.pk)
            chosen.append((depositor, 1))
        return chosen

    def _level(self) -> int:
        roll, total = self.rng.random(), 0.0
        for n, (share, _rate, _orders) in enumerate(LEVELS):
            total += share
            if roll < total:
                return n
        return len(LEVELS) - 1

    def _open(self, kind, owner, node, name, owner_type, owner_id) -> Depositor:
        run = self.run
        span = (run.today - run.start).days
        day = run.start + datetime.timedelta(days=int(self.rng.random() ** 2 * span * 0.7))
        opened = run.moment(day, OFFICE_HOURS)
        holder = owner_id if kind == DepositorKind.PERSON else None
        points = run.ledger.open(
            currency=run.currencies[POINTS_CURRENCY], owner_type=owner_type, owner_id=owner_id,
            scope_path=node.path, label=name[:100], holder_person_id=holder, created_at=opened,
        )  # fmt: skip
        hours = None
        if kind == DepositorKind.PERSON:
            hours = run.ledger.open(
                currency=run.currencies[HOURS_CURRENCY], owner_type=owner_type, owner_id=owner_id,
                scope_path=node.path, label=name[:100], holder_person_id=holder, created_at=opened,
            )  # fmt: skip
        return Depositor(
            id=run.ids[Depositor].take(),
            kind=kind,
            **{kind: owner},
            name=name[:100],
            node=node,
            community=self.community,
            points_account=points,
            hours_account=hours,
            short_code=run.short_code(),
            opened_at=opened,
        )

    # ------------------------------------------------------------ a depositor's year

    def _history(self, depositor: Depositor, level: int) -> None:
        run, rng = self.run, self.rng
        first = max(run.start, timezone.localdate(depositor.opened_at))
        if level == -1:  # the demo resident's (and household's) four months
            first = max(run.today - datetime.timedelta(days=DEMO_MONTHS_DAYS), first)
            depositor.opened_at = run.moment(first, OFFICE_HOURS)
            depositor.points_account.created_at = depositor.opened_at
            rate, order_chance = 3.0, 0.25
        else:
            _share, rate, order_chance = LEVELS[level]
        days = (run.today - first).days + 1
        n = min(int(rate * days / 30 + rng.random()), days)
        if n == 0:
            return
        occurred = sorted(rng.sample(range(days), n))
        balance = Decimal(0)
        account = depositor.points_account
        for offset in occurred:
            day = first + datetime.timedelta(days=offset)
            at = max(run.moment(day, OPEN_HOURS), depositor.opened_at)
            item = rng.choices(self.items, weights=self.item_weights)[0]
            quantity = rng.choice((1, 1, 2, 3)) if item.unit == "小时" else 1
            earning = quick_instance(
                Earning,
                {
                    "id": run.ids[Earning].take(),
                    "depositor_id": depositor.pk,
                    "station_id": self.station.pk,
                    "item_id": item.pk,
                    "quantity": quantity,
                    "points": item.points * quantity,
                    "occurred_on": day,
                    "method": EarningMethod.HOUSEHOLD
                    if depositor.kind == DepositorKind.HOUSEHOLD
                    else rng.choice(self.methods),
                    "witness": "楼栋长" if item.evidence == "witness" else "",
                    "recorded_by_id": self.staff_id,
                    "recorded_by_name": self.staff_name,
                    "recorded_at": at,
                },
            )
            earning.entry_id = run.ledger.post(
                account, earning.points, kind=EntryKind.CREDIT, at=at,
                memo=f"{self.station.name}·{item.name}×{quantity}", source_type="bank.earning",
                source_id=earning.pk, idempotency_key=f"bank:earning:{earning.pk}",
                actor_id=self.staff_id, actor_name=self.staff_name,
            )  # fmt: skip
            balance += earning.points
            self.earnings.append(earning)
            if rng.random() < 0.003:
                voided = min(at + datetime.timedelta(minutes=rng.randint(5, 50)), run.now)
                reason = "误选积分项目，予以冲正"
                earning.void_entry_id = run.ledger.reverse(
                    earning.entry_id,
                    at=voided,
                    reason=reason,
                    actor_id=self.staff_id,
                    actor_name=self.staff_name,
                )
                earning.voided_at, earning.void_reason = voided, reason
                balance -= earning.points
                continue
            if rng.random() < order_chance:
                placed = min(at + datetime.timedelta(hours=1, minutes=rng.randrange(60)), run.now)
                balance = self._order(depositor, balance, placed)

    def _order(self, depositor: Depositor, balance: Decimal, placed: datetime.datetime) -> Decimal:
        run, rng = self.run, self.rng
        affordable = [i for i in self.shop if i.price <= balance]
        if not affordable:
            return balance
        item = rng.choice(affordable)
        quantity = rng.randint(1, min(item.per_order_limit, int(balance // item.price)))
        total = item.price * quantity
        order = Order(
            id=run.ids[Order].take(),
            depositor=depositor,
            station=self.station,
            item=item,
            quantity=quantity,
            unit_price=item.price,
            total=total,
            channel=OrderChannel.DESK,
            placed_by=self.staff,
            placed_by_name=self.staff_name,
            placed_at=placed,
        )
        memo = f"{self.station.name}·兑换{item.name}×{quantity}"
        actor = {"actor_id": self.staff_id, "actor_name": self.staff_name}
        order.points_entry_id = run.ledger.post(
            depositor.points_account, -total, kind=EntryKind.REDEMPTION, at=placed, memo=memo,
            source_type="bank.order", source_id=order.pk, idempotency_key=f"bank:order:{order.pk}:points", **actor,
        )  # fmt: skip
        order.stock_entry_id = run.ledger.post(
            item.stock_account, -quantity, kind=EntryKind.REDEMPTION, at=placed, memo=f"{memo}（{depositor.name}）",
            source_type="bank.order", source_id=order.pk, idempotency_key=f"bank:order:{order.pk}:stock", **actor,
        )  # fmt: skip
        self.demand[(item.pk, self._period(timezone.localdate(placed)))] += quantity
        age = (run.now - placed).days
        roll = rng.random()
        if age < 3 and roll < 0.6:
            order.state = OrderState.READY if roll < 0.3 else OrderState.PLACED
        elif roll < 0.88:
            order.state = OrderState.COLLECTED
            order.closed_at = min(placed + datetime.timedelta(hours=rng.randint(2, 72)), run.now)
            order.closed_by_name = self.staff_name
        else:
            cancelled = roll < 0.97
            order.state = OrderState.CANCELLED if cancelled else OrderState.REFUSED
            reason = "居民改换其他商品" if cancelled else "该商品暂时缺货"
            label = "取消" if cancelled else "拒绝"
            closed = min(placed + datetime.timedelta(minutes=rng.randint(10, 50)), run.now)
            order.closed_at, order.closed_by_name, order.close_reason = closed, self.staff_name, reason
            for entry_id in (order.points_entry_id, order.stock_entry_id):
                run.ledger.reverse(
                    entry_id, at=closed, reason=f"订单DH{order.pk:06d}{label}：{reason}", **actor
                )
            balance += total
        balance -= total
        self.orders.append(order)
        return balance

    def _period(self, day: datetime.date) -> int:
        """Restock periods: 0 from the opening to the end of its month, then one per calendar month."""
        start = self.run.start
        return (day.year - start.year) * 12 + day.month - start.month

    def _restock(self) -> None:
        """Stock arrives at opening and on the first of every month: that period's demand and a margin."""
        run, rng = self.run, self.rng
        periods = self._period(run.today) + 1
        for item in self.shop:
            for period in range(periods):
                if period == 0:
                    day, at = run.start, self.opened + datetime.timedelta(minutes=10)
                else:
                    month0 = run.start.month - 1 + period
                    day = datetime.date(run.start.year + month0 // 12, month0 % 12 + 1, 1)
                    at = _aware(day, 8, 30)
                if at > run.now:  # today is the 1st and the delivery is not in yet: in just before now
                    at = run.now - datetime.timedelta(minutes=1)
                quantity = self.demand[(item.pk, period)] + rng.randint(3, 15)
                run.ledger.post(
                    item.stock_account, quantity, kind=EntryKind.RESTOCK, at=at,
                    memo=f"入库{quantity}{item.unit}：{day.month}月配送", actor_id=self.staff_id, actor_name=self.staff_name,
                )  # fmt: skip

    # ------------------------------------------------------------ time bank

    def _timebank(self, persons: list[Depositor]) -> list[ServiceRecord]:
        run, rng = self.run, self.rng
        records = []
        if len(persons) < 2:
            return records
        for provider in persons:
            if rng.random() >= PROVIDER_SHARE:
                continue
            first = max(run.start, timezone.localdate(provider.opened_at))
            days = (run.today - first).days + 1
            for offset in sorted(rng.sample(range(days), min(rng.randint(2, 10), days))):
                recipient = rng.choice(persons)
                if recipient is provider:
                    continue
                served = first + datetime.timedelta(days=offset)
                claimed = max(run.moment(served, OPEN_HOURS), provider.opened_at)
                hours = Decimal(rng.choice(("1.0", "1.5", "2.0", "2.0", "3.0")))
                what = rng.choice(SERVICES)
                record = ServiceRecord(
                    id=run.ids[ServiceRecord].take(),
                    provider=provider,
                    recipient=recipient,
                    what=what,
                    served_on=served,
                    hours=hours,
                    claimed_by=self.staff,
                    claimed_by_name=self.staff_name,
                    claimed_at=claimed,
                )
                roll = rng.random()
                if (run.today - served).days < 5 and roll < 0.5:
                    record.state = ServiceState.CLAIMED
                elif roll < 0.05:
                    record.state, record.dispute_reason = ServiceState.DISPUTED, "服务时长与实际不符"
                else:
                    confirmed = min(claimed + datetime.timedelta(hours=rng.randint(1, 30)), run.now)
                    by_worker = rng.random() < 0.3
                    record.state = ServiceState.CONFIRMED
                    record.confirmed_as = ConfirmedAs.GRID_WORKER if by_worker else ConfirmedAs.RECIPIENT
                    record.confirmed_by_name = self.staff_name if by_worker else recipient.name
                    record.confirmed_at, record.credited_hours = confirmed, hours
                    record.entry_id = run.ledger.post(
                        provider.hours_account, hours, kind=EntryKind.CREDIT, at=confirmed,
                        memo=f"时间银行·{what}（服务{recipient.name}，{served:%Y-%m-%d}）",
                        source_type="bank.servicerecord", source_id=record.pk,
                        idempotency_key=f"bank:service:{record.pk}",
                        actor_id=self.staff_id if by_worker else None,
                        actor_name=self.staff_name if by_worker else "系统",
                    )  # fmt: skip
                records.append(record)
        return records

    # ------------------------------------------------------------ the community

    def seed(self) -> None:
        run = self.run
        self._station()
        depositors = self._depositors()
        for depositor, level in depositors:
            self._history(depositor, level)
        self._restock()
        persons = [d for d, _ in depositors if d.kind == DepositorKind.PERSON]
        records = self._timebank(persons)
        run.ledger.flush()
        rows = [d for d, _ in depositors]
        bulk_create_audited(Depositor, rows, audit_each=False, note=NOTE, batch_size=2000)
        bulk_create_audited(Earning, self.earnings, audit_each=False, note=NOTE, batch_size=2000)
        bulk_create_audited(Order, self.orders, audit_each=False, note=NOTE, batch_size=2000)
        bulk_create_audited(ServiceRecord, records, audit_each=False, note=NOTE, batch_size=2000)
        run.counts["储户"] += len(rows)
        run.counts["积分记录"] += len(self.earnings)
        run.counts["兑换订单"] += len(self.orders)
        run.counts["时间银行服务记录"] += len(records)
