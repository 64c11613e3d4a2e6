"""The authorization matrix: every declared route x every role, expected statuses in one table.

Each cell runs in a savepoint of the test's transaction (rolled back after it), so a DELETE that
succeeds for one role leaves the object in place for the next; the path's objects are made
afresh in each cell by their value factories. Every mismatch is reported at once, as a table.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flask_harness.routes.sweep import Outcome, Sender, cookie_header, serving_errors

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from flask_harness.db.isolation import SharedConnection

Expected = int | Collection[int]
Row = tuple[str, str]  # (method, path with {param} placeholders)
Login = Callable[["FlaskClient"], Mapping[str, str] | None]


class AuthorizationMatrix(Protocol):
    """The ``authorization_matrix`` fixture: check every row x role, fail with every mismatch."""

    def __call__(self, table: Mapping[Row, Mapping[str, Expected]], *, roles: Mapping[str, Login | None],
                 params: Mapping[str, Callable[[], Any]] | None = None,
                 requests: Mapping[Row, Mapping[str, Any]] | None = None) -> MatrixResult: ...


@dataclass(frozen=True)
class Cell:
    """One row as one role: what was expected, the URL sent and what came back."""

    row: Row
    role: str
    expected: Expected
    url: str
    outcome: Outcome

    @property
    def matches(self) -> bool:
        expected = {self.expected} if isinstance(self.expected, int) else set(self.expected)
        return self.outcome.code in expected

    def expected_text(self) -> str:
        return str(self.expected) if isinstance(self.expected, int) else "|".join(map(str, sorted(self.expected)))

    def got_text(self) -> str:
        return str(self.outcome.code) if self.outcome.code is not None else "raised"


@dataclass
class MatrixResult:
    """Every cell checked, and the ones that differ from the table."""

    roles: list[str]
    cells: list[Cell] = field(default_factory=list)

    @property
    def mismatches(self) -> list[Cell]:
        return [cell for cell in self.cells if not cell.matches]

    def table(self) -> str:
        """The whole matrix: a cell reads ``200`` when as declared, ``403 ✗ got 200`` when not."""
        rows: dict[Row, dict[str, str]] = {}
        for cell in self.cells:
            text = cell.expected_text() if cell.matches else f"{cell.expected_text()} ✗ got {cell.got_text()}"
            rows.setdefault(cell.row, {})[cell.role] = text
        lines = [["route", *self.roles]] + [[f"{method} {path}", *(cells.get(role, "-") for role in self.roles)]
                                          for (method, path), cells in rows.items()]
        widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
        return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
                         for line in lines)

    def report(self) -> str:
        """The table, then each mismatch with its URL, redirect target and server traceback."""
        details = []
        for cell in self.mismatches:
            detail = (f"{cell.row[0]} {cell.url} as {cell.role}: expected {cell.expected_text()}, "
                      f"got {cell.outcome.status}")
            if cell.outcome.location:
                detail += f" → {cell.outcome.location}"
            details.append(detail + "".join(f"\n{trace.rstrip()}" for trace in cell.outcome.tracebacks))
        return (f"authorization matrix: {len(self.mismatches)} of {len(self.cells)} cells differ from the table\n\n"
                f"{self.table()}\n\n" + "\n".join(details))


def placeholders(path: str) -> list[str]:
    """The ``{param}`` names of a row's path."""
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def _check_table(table: Mapping[Row, Mapping[str, Expected]], roles: Mapping[str, Login | None],
                 params: Mapping[str, Callable[[], Any]]) -> None:
    import pytest

    for (method, path), expected in table.items():
        unknown_roles = set(expected) - set(roles)
        unknown_params = set(placeholders(path)) - set(params)
        if unknown_roles or unknown_params or not re.fullmatch(r"[A-Z]+", method):
            raise pytest.UsageError(
                f"authorization matrix row ({method!r}, {path!r}): "
                + (f"roles {sorted(unknown_roles)} have no login in roles=; " if unknown_roles else "")
                + (f"params {sorted(unknown_params)} have no factory in params=; " if unknown_params else "")
                + ("" if re.fullmatch(r"[A-Z]+", method) else "the method must be upper case, like 'GET'; ")
                + "each row is (METHOD, '/path/{param}') → {role: status}.")


def check(app: Flask, table: Mapping[Row, Mapping[str, Expected]], *,
          roles: Mapping[str, Login | None], params: Mapping[str, Callable[[], Any]] | None = None,
          requests: Mapping[Row, Mapping[str, Any]] | None = None,
          shared: SharedConnection | None = None) -> MatrixResult:
    """Log each role in once (on a client of its own), then send every row as every role."""
    params = params or {}
    requests = requests or {}
    _check_table(table, roles, params)
    role_headers: dict[str, dict[str, str]] = {}
    for role, login in roles.items():
        role_client = app.test_client()
        headers = dict((login(role_client) or {}) if login is not None else {})
        cookie = cookie_header(role_client)
        if cookie:
            headers["Cookie"] = cookie
        role_headers[role] = headers
    result = MatrixResult(list(roles))
    sender = Sender(app, {}, allow_status=(), shared=shared)
    with serving_errors(app, sender):
        for row, expected_by_role in table.items():
            method, path = row
            for role in roles:
                if role not in expected_by_role:
                    continue
                with sender.rolled_back():
                    url = path.format(**{name: params[name]() for name in placeholders(path)})
                    outcome = sender.open(url, method=method, headers=role_headers[role], **requests.get(row, {}))
                result.cells.append(Cell(row, role, expected_by_role[role], url, outcome))
    return result
