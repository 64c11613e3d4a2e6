"""Seasonal greetings for a given day."""

from __future__ import annotations

from datetime import date, datetime

HOLIDAYS = {
    (1, 1): "Happy New Year!",
    (2, 14): "Happy Valentine's Day!",
    (10, 31): "Happy Halloween!",
    (12, 24): "Merry Christmas Eve!",
    (12, 25): "Merry Christmas!",
    (12, 31): "Happy New Year's Eve!",
}


def greeting_for(moment: date | datetime) -> str:
    """The greeting for a day: a holiday's own, else one for the time of day (or 'Hello!')."""
    holiday = HOLIDAYS.get((moment.month, moment.day))
    if holiday:
        return holiday
    if not isinstance(moment, datetime):
        return "Hello!"
    if moment.hour < 12:
        return "Good morning!"
    if moment.hour < 18:
        return "Good afternoon!"
    return "Good evening!"
