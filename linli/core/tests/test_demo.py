"""The demo's timeline: dated steps of every app run in time order, each as of its moment."""

import datetime

import pytest
from django.utils import timezone

from linli.core import clock
from linli.core.demo import DemoContext, TimelineError

TODAY = datetime.date(2027, 3, 15)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2027, 3, day, hour, minute))


@pytest.fixture
def ctx() -> DemoContext:
    return DemoContext(today=TODAY, log=lambda text: None)


def test_the_present_is_six_in_the_evening_of_a_today_that_is_not_the_real_date(ctx):
    assert ctx.now == at(15, 18)


def test_the_present_is_the_wall_clock_when_today_is_the_real_date():
    before = timezone.now()
    ctx = DemoContext(today=timezone.localdate(before))
    assert before <= ctx.now <= timezone.now()


def test_a_present_on_another_day_is_refused():
    with pytest.raises(ValueError):
        DemoContext(today=TODAY, now=at(16, 9))


def test_a_moment_is_that_time_of_day_but_never_after_the_present(ctx):
    assert (ctx.moment(TODAY - datetime.timedelta(days=1), 20, 15), ctx.moment(TODAY, 19)) == (
        at(14, 20, 15),
        at(15, 18),
    )


def test_steps_run_in_time_order_whoever_scheduled_them_each_as_of_its_moment(ctx):
    ran = []

    def step(name):
        return lambda: ran.append((name, clock.now(), clock.today()))

    ctx.schedule(at(10, 15), step("bank: earning"), "earning")
    ctx.schedule(at(2, 9), step("points: claim"), "claim")
    ctx.schedule(at(10, 15), step("bank: second at the same moment"), "second")
    assert ran == []
    assert ctx.run_timeline() == 3
    assert ran == [
        ("points: claim", at(2, 9), datetime.date(2027, 3, 2)),
        ("bank: earning", at(10, 15), datetime.date(2027, 3, 10)),
        ("bank: second at the same moment", at(10, 15), datetime.date(2027, 3, 10)),
    ]
    assert clock.is_simulated() is False
    assert ctx.run_timeline() == 0


def test_a_step_may_schedule_a_later_one_but_not_an_earlier_one(ctx):
    ran = []

    def place():
        ran.append("placed")
        ctx.schedule(at(4, 9), lambda: ran.append("collected"), "collect")
        with pytest.raises(TimelineError) as refused:
            ctx.schedule(at(3, 9), lambda: ran.append("too early"), "back in time")
        assert (
            str(refused.value)
            == "「back in time」安排在2027-03-03 09:00，早于正在执行的2027-03-03 10:00：时间线不能倒退。"
        )

    ctx.schedule(at(3, 10), place, "place")
    ctx.schedule(at(5, 9), lambda: ran.append("later"), "later")
    ctx.run_timeline()
    assert ran == ["placed", "collected", "later"]


def test_a_step_after_the_present_is_refused(ctx):
    with pytest.raises(TimelineError) as refused:
        ctx.schedule(at(15, 18, 1), lambda: None, "tonight")
    assert str(refused.value) == "「tonight」安排在2027-03-15 18:01，晚于演示数据的当前时间2027-03-15 18:00。"


def test_a_failing_step_is_named_with_its_moment_and_the_clock_is_restored(ctx):
    ctx.schedule(at(7, 11, 5), lambda: 1 / 0, "批量记分：重阳节")
    with pytest.raises(ZeroDivisionError) as failed:
        ctx.run_timeline()
    assert failed.value.__notes__ == ["演示时间线：2027-03-07 11:05 批量记分：重阳节"]
    assert clock.is_simulated() is False


def test_summaries_run_after_the_last_step_on_the_wall_clock(ctx):
    seen = []
    ctx.after_timeline(lambda: seen.append(("summary", clock.is_simulated())))
    ctx.schedule(at(1, 9), lambda: seen.append(("step", clock.is_simulated())), "step")
    ctx.run_timeline()
    assert seen == [("step", True), ("summary", False)]
