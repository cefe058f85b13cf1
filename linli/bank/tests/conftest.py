"""Bank fixtures on the standard world: three stations (two in 华山街道, one in 护国街道), catalogue, shop, depositors."""

import datetime

import pytest
from django.utils import timezone

from .factories import Bank, balance, build_bank, give_points

__all__ = ["Bank", "balance", "give_points"]


@pytest.fixture
def bank(world) -> Bank:
    return build_bank(world)


@pytest.fixture
def clock(monkeypatch):
    """Set the wall clock that services read (`timezone.now`, hence `timezone.localdate`)."""

    class Clock:
        def set(self, day: datetime.date, hour: int = 10) -> None:
            moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()
