"""The time services read: the wall clock, or a simulated moment while the demo replays a dated action.

Services that stamp a time or compare a date with today call `clock.now()` / `clock.today()`
(and models default to `clock.now`), never `timezone.now()` or `date.today()` directly. Outside a
simulation these are the wall clock. `simulated(moment)` is the one way to set another time, and only
seeding uses it (the demo's timeline in `core.demo`), so a service run for a past day stamps its
records, audit entries and ledger entries with that day and checks its dates against it.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar

from django.utils import timezone

_simulated: ContextVar[datetime.datetime | None] = ContextVar("linli_simulated_clock", default=None)


def now() -> datetime.datetime:
    """The current moment: the simulated one inside `simulated(...)`, otherwise the wall clock."""
    moment = _simulated.get()
    return moment if moment is not None else timezone.now()


def today() -> datetime.date:
    """Today's date in the site's time zone, by the same clock as `now()`."""
    return timezone.localdate(now())


def is_simulated() -> bool:
    return _simulated.get() is not None


@contextlib.contextmanager
def simulated(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Run the block as if it were `moment` (an aware datetime). For seeding only."""
    if timezone.is_naive(moment):
        raise ValueError("simulated() needs an aware datetime")
    token = _simulated.set(moment)
    try:
        yield moment
    finally:
        _simulated.reset(token)
