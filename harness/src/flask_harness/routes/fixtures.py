"""The route layer: fixtures that check every route of the app, ``hostile_sweep`` and ``authorization_matrix``.

Both send requests through the Flask test client inside the test's rolled-back transaction. The
hostile sweep needs Hypothesis (``pip install 'pytest-flask-harness[sweep]'``), imported only when a
sweep runs; it uses Hypothesis's API directly, so its pytest plugin may stay off (``-p no:hypothesispytest``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from flask_harness.config.settings import HarnessSettings
    from flask_harness.db.isolation import SharedConnection
    from flask_harness.routes.matrix import AuthorizationMatrix, Expected, Login, MatrixResult, Row
    from flask_harness.routes.sweep import HostileSweep, SweepResult

SWEEP_PROPERTY = "flask_harness_hostile_sweep"


def _importable(name: str) -> bool:
    import importlib

    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _seed_of(nodeid: str) -> int:
    """A seed that depends only on the test's id: the same test sweeps the same requests every run."""
    return int.from_bytes(hashlib.sha256(nodeid.encode()).digest()[:4], "big")


@pytest.fixture
def hostile_sweep(request: pytest.FixtureRequest, app: Flask, db: Any, _shared_connection: SharedConnection,
                  flask_harness_settings: HarnessSettings) -> HostileSweep:
    """``hostile_sweep(client, login=None, headers=None, budget=None, seed=None, skip=(), methods=None,
    allow_status=(503,))``: send hostile requests to every route and method; fail on any 5xx.

    Path parameters are typed from each rule's converters; query strings, form, multipart and JSON
    bodies carry hostile values. The client's cookies (its login; ``login(client)`` runs first and
    may return headers such as ``Authorization``) go with every request. Each route's first failing
    request is shrunk by Hypothesis and reported with the server's traceback; every failing route is
    reported at once. ``budget`` is examples per route and method (``--sweep-budget`` overrides it);
    the seed comes from the test's id unless ``seed`` or ``--sweep-seed`` says otherwise. Each
    request's database changes are rolled back to a savepoint after it.
    """

    def sweep(client: FlaskClient, *, login: Login | None = None, headers: Mapping[str, str] | None = None,
              budget: int | None = None, seed: int | None = None, skip: Collection[str] = (),
              methods: Collection[str] | None = None, allow_status: Collection[int] = (503,)) -> SweepResult:
        if not _importable("hypothesis"):
            pytest.fail("hostile_sweep needs Hypothesis: pip install 'pytest-flask-harness[sweep]'", pytrace=False)
        from flask_harness.routes.sweep import cookie_header, run

        settings = flask_harness_settings
        sent = dict(headers or {})
        if login is not None:
            sent.update(login(client) or {})
        cookie = cookie_header(client)
        if cookie:
            sent["Cookie"] = cookie
        who = "with " + ", ".join(sorted(sent)) if sent else "anonymous"
        chosen_budget = settings.sweep_budget if settings.sweep_budget_forced or budget is None else budget
        chosen_seed = settings.sweep_seed if settings.sweep_seed is not None else seed
        result = run(app, who=who, headers=sent, budget=chosen_budget,
                     seed=_seed_of(request.node.nodeid) if chosen_seed is None else chosen_seed,
                     skip=skip, methods={m.upper() for m in methods} if methods else None,
                     allow_status=allow_status, shared=_shared_connection)
        request.node.user_properties.append((SWEEP_PROPERTY, (result.requests, result.seconds, result.summary())))
        if result.findings:
            pytest.fail(result.report(), pytrace=False)
        return result

    return sweep


@pytest.fixture
def authorization_matrix(app: Flask, db: Any, _shared_connection: SharedConnection) -> AuthorizationMatrix:
    """``authorization_matrix(table, roles=, params=, requests=)``: check every route x role at once.

    ``table`` maps ``(METHOD, "/posts/{post}/edit")`` to ``{role: expected status}``; ``roles`` maps
    each role to ``login(client)`` (``None`` for anonymous), run once per role on a client of its
    own and able to return headers (a bearer token); ``params`` maps each ``{param}`` to a factory
    called afresh in every cell; ``requests`` gives a row extra ``client.open`` arguments (``json=``).
    Each cell is rolled back after it. Fails with the whole table and every mismatch.
    """
    from flask_harness.routes.matrix import check

    def matrix(table: Mapping[Row, Mapping[str, Expected]], *, roles: Mapping[str, Login | None],
               params: Mapping[str, Callable[[], Any]] | None = None,
               requests: Mapping[Row, Mapping[str, Any]] | None = None) -> MatrixResult:
        result = check(app, table, roles=roles, params=params, requests=requests, shared=_shared_connection)
        if result.mismatches:
            pytest.fail(result.report(), pytrace=False)
        return result

    return matrix


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per hostile sweep of the run: routes, requests, seconds (also from xdist workers)."""
    lines = [value[2] for kind in ("passed", "failed") for report in terminalreporter.stats.get(kind, [])
             if report.when == "call" for name, value in report.user_properties if name == SWEEP_PROPERTY]
    if lines:
        terminalreporter.write_sep("-", "flask-harness hostile sweeps")
        for line in lines:
            terminalreporter.write_line(line)
