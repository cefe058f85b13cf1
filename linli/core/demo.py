"""The demo district: each app seeds its part in `<app>/demo.py`; `linli demo` runs them in order.

An app's demo module defines `ORDER` (lower runs first: orgs 10, people 20, accounts 30, points 40,
bank 50 …) and `seed_demo(ctx: DemoContext) -> None`. Seeders read what earlier ones made from the
database. Everything is deterministic: use `ctx.rng(<app label>)`, never the global random module,
and `ctx.today` instead of the clock.

One simulated timeline: what happened on a day of the past (a claim approved in March, a resident's
earning in October) is not done by the seeder itself but scheduled, `ctx.schedule(moment, action,
label)`. `run_timeline()` (the `demo` command calls it after every seeder's set-up) runs all apps'
actions in time order, each under `clock.simulated(moment)`, so services stamp records, audit and
ledger entries with that moment and check dates against that day, and every account's entries come
out in time order (the ledger refuses anything else). An action may schedule later actions (an order
collected the day after it was placed). Moments come from `ctx.moment(day, hour, minute)`, which
never passes `ctx.now`, the demo's present. The set-up phase runs on the wall clock: it may create
undated things (the registry, logins) but posts nothing to the ledger.
"""

from __future__ import annotations

import datetime
import heapq
import importlib
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from . import clock

DEMO_SEED = 20261121
DEMO_PASSWORD = "Linli@2026"


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str
    password: str = DEMO_PASSWORD


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@dataclass(order=True)
class ScheduledAction:
    moment: datetime.datetime
    number: int  # ties run in the order they were scheduled
    label: str = field(compare=False)
    action: Callable[[], object] = field(compare=False)


class TimelineError(RuntimeError):
    """A seeder scheduled an action after the demo's present or before the action now running."""


@dataclass
class DemoContext:
    """What seeders share: the demo's today and present (`now`), logins, random generators, the timeline.

    `now` defaults to the wall clock when `today` is the real date, otherwise to 18:00 on `today`.
    """

    today: datetime.date
    log: Callable[[str], None] = print
    now: datetime.datetime | None = None
    logins: list[DemoLogin] = field(default_factory=list)
    _rngs: dict[str, random.Random] = field(default_factory=dict)
    _timeline: list[ScheduledAction] = field(default_factory=list)
    _scheduled: int = 0
    _running: datetime.datetime | None = None
    _finally: list[Callable[[], object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.now is None:
            wall = timezone.now()
            self.now = wall if timezone.localdate(wall) == self.today else _aware(self.today, 18)
        elif timezone.localdate(self.now) != self.today:
            raise ValueError("DemoContext.now must fall on DemoContext.today")

    def rng(self, label: str) -> random.Random:
        """A random generator of its own per app, so one app's change does not reshuffle another's data."""
        if label not in self._rngs:
            self._rngs[label] = random.Random(f"{DEMO_SEED}:{label}")
        return self._rngs[label]

    def add_login(self, username: str, role: str, scope: str) -> None:
        self.logins.append(DemoLogin(username, role, scope))

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        """That time of day in the site's time zone, but never after the demo's present (`now`)."""
        return min(_aware(day, hour, minute), self.now)

    def schedule(self, moment: datetime.datetime, action: Callable[[], object], label: str) -> None:
        """Run `action` at `moment` of the timeline (after every seeder's set-up), as if it were then."""
        if moment > self.now:
            raise TimelineError(
                f"「{label}」安排在{_local(moment)}，晚于演示数据的当前时间{_local(self.now)}。"
            )
        if self._running is not None and moment < self._running:
            raise TimelineError(
                f"「{label}」安排在{_local(moment)}，早于正在执行的{_local(self._running)}：时间线不能倒退。"
            )
        heapq.heappush(self._timeline, ScheduledAction(moment, self._scheduled, label, action))
        self._scheduled += 1

    def after_timeline(self, action: Callable[[], object]) -> None:
        """Run `action` once the timeline is done, on the wall clock (a seeder's summary line)."""
        self._finally.append(action)

    def run_timeline(self) -> int:
        """Run every scheduled action in time order, each under its moment's clock; returns how many ran."""
        count = 0
        try:
            while self._timeline:
                scheduled = heapq.heappop(self._timeline)
                self._running = scheduled.moment
                with clock.simulated(scheduled.moment):
                    try:
                        scheduled.action()
                    except Exception as error:
                        error.add_note(f"演示时间线：{_local(scheduled.moment)} {scheduled.label}")
                        raise
                count += 1
        finally:
            self._running = None
        for action in self._finally:
            action()
        self._finally.clear()
        return count


def demo_seeders() -> list[tuple[int, str, Callable[[DemoContext], None]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if not hasattr(module, "seed_demo"):  # linli.core.demo is this framework, not a seeder
            continue
        found.append((module.ORDER, config.label, module.seed_demo))
    return sorted(found)


def demo_png(size: int = 16) -> bytes:
    """A small real PNG (a red square), standing in for the photo a worker or member uploads as evidence."""
    raw = b"".join(b"\x00" + b"\xc8\x16\x1d" * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
