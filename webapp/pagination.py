"""Reading and describing pages of results."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Offsets beyond this overflow the databases' 64-bit integers; no listing here is that long anyway.
MAX_PAGE = 2**31 - 1


class PaginationError(ValueError):
    """A page or per_page argument is not a usable number."""


@dataclass(frozen=True)
class PageRequest:
    """Which page of results a client asked for."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def parse_page_args(args: Mapping[str, Any], default_per_page: int, max_per_page: int) -> PageRequest:
    """Read ``page`` and ``per_page`` from query arguments, rejecting non-numbers and values < 1."""
    values = {}
    for name, default in (("page", 1), ("per_page", default_per_page)):
        raw = args.get(name, default)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise PaginationError(f"'{name}' must be a whole number, got {raw!r}.") from None
        if value < 1:
            raise PaginationError(f"'{name}' must be at least 1, got {value}.")
        if value > MAX_PAGE:
            raise PaginationError(f"'{name}' must be at most {MAX_PAGE}, got {value}.")
        values[name] = value
    return PageRequest(page=values["page"], per_page=min(values["per_page"], max_per_page))


def page_envelope(items: list[Any], total: int, request: PageRequest) -> dict[str, Any]:
    """The JSON shape of one page: items, total, page, per_page, pages, has_next, has_prev."""
    pages = math.ceil(total / request.per_page) if total else 0
    return {
        "items": items,
        "total": total,
        "page": request.page,
        "per_page": request.per_page,
        "pages": pages,
        "has_next": request.page < pages,
        "has_prev": request.page > 1 and pages > 0,
    }
