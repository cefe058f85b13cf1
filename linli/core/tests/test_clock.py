"""The clock services read: the wall clock, or a moment simulated for a block (seeding only)."""

import datetime

import pytest
from django.utils import timezone

from linli.core import clock


def moment(hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2027, 3, 15, hour, 30))


def test_outside_a_simulation_the_clock_is_the_wall_clock():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()
    assert clock.today() == timezone.localdate()
    assert clock.is_simulated() is False


def test_inside_a_simulation_now_and_today_are_the_simulated_moment_and_its_local_day():
    late_evening = timezone.make_aware(datetime.datetime(2027, 3, 15, 23, 30))
    with clock.simulated(late_evening):
        assert (clock.now(), clock.today(), clock.is_simulated()) == (
            late_evening,
            datetime.date(2027, 3, 15),
            True,
        )
    assert clock.is_simulated() is False


def test_simulations_nest_and_each_ends_with_its_block_even_on_an_error():
    with clock.simulated(moment(9)):
        with pytest.raises(ZeroDivisionError), clock.simulated(moment(10)):
            assert clock.now() == moment(10)
            1 / 0  # noqa: B018
        assert clock.now() == moment(9)
    assert clock.is_simulated() is False


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), clock.simulated(datetime.datetime(2027, 3, 15, 9)):
        pass
