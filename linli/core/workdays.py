"""Working days: Monday–Friday, adjusted by the calendar table (public holidays and 调休 weekends)."""

import datetime

from .models import CalendarDay


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    horizon = start + datetime.timedelta(days=days * 3 + 30)
    exceptions = dict(
        CalendarDay.objects.filter(date__gt=start, date__lte=horizon).values_list("date", "is_workday")
    )
    current, left = start, days
    while left > 0:
        current += datetime.timedelta(days=1)
        if exceptions.get(current, current.weekday() < 5):
            left -= 1
    return current


def is_working_day(day: datetime.date) -> bool:
    row = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return row if row is not None else day.weekday() < 5
