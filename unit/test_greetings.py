"""Seasonal and time-of-day greetings in webapp.api.misc."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.api.misc import greeting_for

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2024, 1, 1), "Happy New Year!"), (date(2024, 10, 31), "Happy Halloween!")],
)
def test_holiday_has_its_own_greeting(day: date, expected: str) -> None:
    assert greeting_for(day) == expected


def test_holiday_greeting_wins_over_time_of_day() -> None:
    assert greeting_for(datetime(2024, 12, 25, 20, 0)) == "Merry Christmas!"


def test_ordinary_date_without_time_says_hello() -> None:
    assert greeting_for(date(2024, 3, 5)) == "Hello!"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 3, 5, 11, 59), "Good morning!"),
        (datetime(2024, 3, 5, 12, 0), "Good afternoon!"),
        (datetime(2024, 3, 5, 18, 0), "Good evening!"),
    ],
    ids=["11:59", "12:00", "18:00"],
)
def test_ordinary_day_greeting_follows_hour_boundaries(moment: datetime, expected: str) -> None:
    assert greeting_for(moment) == expected
