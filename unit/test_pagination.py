"""Page arguments and the page envelope in webapp.pagination."""

from __future__ import annotations

import pytest

from webapp.pagination import PageRequest, PaginationError, page_envelope, parse_page_args

pytestmark = pytest.mark.unit


def test_missing_arguments_default_to_first_page_and_default_size() -> None:
    assert parse_page_args({}, default_per_page=10, max_per_page=100) == PageRequest(page=1, per_page=10)


def test_numeric_string_arguments_are_read() -> None:
    request = parse_page_args({"page": "3", "per_page": "25"}, default_per_page=10, max_per_page=100)

    assert request == PageRequest(page=3, per_page=25)


def test_per_page_above_maximum_is_capped_at_maximum() -> None:
    request = parse_page_args({"per_page": "500"}, default_per_page=10, max_per_page=100)

    assert request.per_page == 100


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"page": "abc"}, "'page' must be a whole number, got 'abc'."),
        ({"page": "0"}, "'page' must be at least 1, got 0."),
        ({"page": "-1"}, "'page' must be at least 1, got -1."),
        ({"per_page": "0"}, "'per_page' must be at least 1, got 0."),
    ],
    ids=["page-abc", "page-zero", "page-negative", "per-page-zero"],
)
def test_unusable_page_argument_is_rejected_with_message(args: dict[str, str], expected: str) -> None:
    with pytest.raises(PaginationError) as excinfo:
        parse_page_args(args, default_per_page=10, max_per_page=100)

    assert str(excinfo.value) == expected


def test_envelope_of_middle_page_has_next_and_previous() -> None:
    envelope = page_envelope(["x"], total=25, request=PageRequest(page=2, per_page=10))

    assert envelope == {
        "items": ["x"], "total": 25, "page": 2, "per_page": 10,
        "pages": 3, "has_next": True, "has_prev": True,
    }


def test_envelope_of_first_page_has_no_previous() -> None:
    envelope = page_envelope([], total=25, request=PageRequest(page=1, per_page=10))

    assert envelope["has_prev"] is False


def test_envelope_of_last_page_has_no_next() -> None:
    envelope = page_envelope([], total=25, request=PageRequest(page=3, per_page=10))

    assert envelope["has_next"] is False


def test_envelope_of_empty_result_has_zero_pages_and_no_neighbours() -> None:
    envelope = page_envelope([], total=0, request=PageRequest(page=1, per_page=10))

    assert (envelope["pages"], envelope["has_next"], envelope["has_prev"]) == (0, False, False)
