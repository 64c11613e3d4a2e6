"""Ids in URLs and in session or token subjects stay within the range of an INTEGER column."""

from __future__ import annotations

import re

import pytest

from webapp.web.routing import MAX_ID, numbers_up_to, parse_id

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 305, 1000, MAX_ID])
def test_numbers_up_to_matches_exactly_zero_to_the_limit(limit: int) -> None:
    pattern = re.compile(numbers_up_to(limit))
    candidates = {*range(0, 1100), limit - 1, limit, limit + 1, 10 * limit, 10 * limit + 9}

    assert {n for n in candidates if pattern.fullmatch(str(n))} == {n for n in candidates if 0 <= n <= limit}


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("42", 42), (str(MAX_ID), MAX_ID), (7, 7)])
def test_parse_id_reads_a_valid_id(value: object, expected: int) -> None:
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "0", "-1", "1.5", "abc", "²", "1 ", str(MAX_ID + 1), "99999999999999999999", "1" * 5000, None],
)
def test_parse_id_refuses_what_is_not_a_valid_id(value: object) -> None:
    assert parse_id(value) is None
