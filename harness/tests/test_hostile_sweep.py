"""The hostile sweep, seen from outside: small Flask + Flask-SQLAlchemy projects run by pytester.

The example app has deliberate bugs (an ``int`` route whose huge ids overflow SQLite, a JSON
endpoint that raises on deeply nested JSON, a name route that PostgreSQL refuses NUL bytes in, a
logged-in-only route with the overflow); ``SWEEP_APP_FIXED=1`` builds it with every bug fixed.
"""

from __future__ import annotations

import json
import re

import pytest

ADDOPTS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:playwright",
           "--strict-markers", "-W", "error"]
SERVERS = {"postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
           "mysql": "mysql+pymysql://root@127.0.0.1:3306/mysql"}

APP = '''
import os

from flask import Flask, abort, jsonify, request, session
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", **(test_config or {}))
    db.init_app(app)
    fixed = os.environ.get("SWEEP_APP_FIXED") == "1"

    def item_or_404(item_id):
        if fixed and item_id >= 2**31:
            abort(404)
        return db.session.get(Item, item_id) or abort(404)  # SQLite: OverflowError from 2**63

    @app.get("/items/<int:item_id>")
    def show(item_id):
        return jsonify(name=item_or_404(item_id).name)

    @app.get("/items/by-name/<name>")
    def by_name(name):
        if fixed and "\\x00" in name:
            abort(404)
        return jsonify(count=Item.query.filter_by(name=name).count())  # PostgreSQL refuses NUL

    @app.post("/api/items")
    def create():
        try:
            data = request.get_json(silent=True)  # RecursionError escapes silent=True
        except RecursionError:
            if not fixed:
                raise
            abort(400)
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not 0 < len(name) <= 80 or "\\x00" in name:
            abort(400)
        db.session.add(Item(name=name))
        db.session.commit()
        return jsonify(ok=True), 201

    @app.post("/items/touch")
    def touch():
        db.session.add(Item(name="touched"))
        db.session.commit()
        return "", 201

    @app.post("/login")
    def login():
        session["user"] = "someone"
        return "", 204

    @app.get("/private/<int:item_id>")
    def private(item_id):
        if not session.get("user"):
            abort(401)
        return jsonify(name=item_or_404(item_id).name)

    with app.app_context():
        db.create_all()
    return app
'''


def write_project(pytester: pytest.Pytester, tests: str, *, conftest: str = "") -> None:
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "sweep_app:create_app"\n'
        f"addopts = {json.dumps(ADDOPTS)}\n"
    )
    pytester.makepyfile(sweep_app=APP, test_sweep=tests)
    if conftest:
        pytester.makeconftest(conftest)


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, server: str = "sqlite",
        fixed: bool = False) -> pytest.RunResult:
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP"):
        monkeypatch.delenv(name, raising=False)
    if server in SERVERS:
        monkeypatch.setenv("FLASK_HARNESS_DB_URL", SERVERS[server])
    monkeypatch.setenv("SWEEP_APP_FIXED", "1" if fixed else "0")
    return pytester.runpytest_subprocess(*args)


def requests_sent(result: pytest.RunResult) -> list[int]:
    return [int(n) for n in re.findall(r"hostile sweep \([^)]*\): \d+ routes, (\d+) requests", result.stdout.str())]


ANONYMOUS_SWEEP = """
def test_sweep(client, hostile_sweep):
    hostile_sweep(client, budget=30)
"""


def test_sweep_reports_each_failing_route_with_its_shrunk_request_and_traceback(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "2 route(s) answered 5xx or raised" in output
    # Shrunk: the smallest id that overflows SQLite's 64-bit INTEGER, and the body alone.
    result.stdout.fnmatch_lines([
        "GET /items/<int:item_id> (show)", "  request:", "    GET /items/9223372036854775808",
        "  status: 500 INTERNAL SERVER ERROR", "  server traceback:", "*sweep_app.py*in show*",
        "*OverflowError: Python int too large to convert to SQLite INTEGER",
    ])
    result.stdout.fnmatch_lines([
        "POST /api/items (create)", "  request:", "    POST /api/items", "    Content-Type: application/json",
        "    body (100000 bytes): b'[[[[*", "  status: 500 INTERNAL SERVER ERROR", "*sweep_app.py*in create*",
        "*RecursionError: maximum recursion depth exceeded*",
    ])
    assert "/private/" not in output.split("short test summary")[0].split("answered 5xx")[1]  # 401 anonymous
    result.stdout.fnmatch_lines(["Replay with --sweep-seed * --sweep-budget 30."])


def test_sweep_passes_on_the_fixed_app_and_says_what_it_sent(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    result = run(pytester, monkeypatch, fixed=True)

    result.assert_outcomes(passed=1)
    # Six routes (static skipped), 30 examples each: no more, and no repeats beyond Hypothesis's own.
    result.stdout.fnmatch_lines(["*flask-harness hostile sweeps*",
                                 "hostile sweep (anonymous): 6 routes, * requests in *s, budget 30, seed *"])
    assert 6 * 10 <= requests_sent(result)[0] <= 6 * 30


def test_sweep_with_a_login_finds_what_only_a_logged_in_user_reaches(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, """
def log_in(client):
    assert client.post("/login").status_code == 204


def test_sweep(client, hostile_sweep):
    hostile_sweep(client, login=log_in, budget=30, skip=["show", "create", "touch"])
""")

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["hostile sweep (with Cookie): 3 routes, *: 1 route(s) answered 5xx or raised",
                                 "GET /private/<int:item_id> (private)", "  request:",
                                 "    GET /private/9223372036854775808"])


@pytest.mark.parametrize("server", ["sqlite", "postgresql", "mysql"])
def test_each_request_is_rolled_back_and_the_tests_own_rows_stay(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str) -> None:
    write_project(pytester, """
from sweep_app import Item


def test_sweep(client, db, hostile_sweep):
    db.session.add(Item(name="mine"))
    db.session.flush()
    created = []
    client.application.after_request(lambda response: created.append(response.status_code) or response)

    hostile_sweep(client, budget=20, methods=["POST"], skip=["login", "create"])

    assert 201 in created, "the sweep never created an item; this test would prove nothing"
    assert [item.name for item in Item.query.all()] == ["mine"]
    assert client.post("/items/touch").status_code == 201
    assert Item.query.count() == 2
""")

    result = run(pytester, monkeypatch, server=server, fixed=True)

    result.assert_outcomes(passed=1)


def test_postgresql_refusing_nul_bytes_is_found_and_later_requests_still_work(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, """
def test_sweep(client, hostile_sweep):
    hostile_sweep(client, budget=40, skip=["create", "touch"])
""")

    result = run(pytester, monkeypatch, server="postgresql")

    result.assert_outcomes(failed=1)
    # On PostgreSQL the huge id is a NUMERIC comparison (no error); the NUL byte is refused.
    result.stdout.fnmatch_lines(["*: 1 route(s) answered 5xx or raised", "GET /items/by-name/<name> (by_name)",
                                 "  request:", "    GET /items/by-name/%00", "*NUL*"])


def test_the_same_seed_sweeps_the_same_requests_twice(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    first, second = run(pytester, monkeypatch), run(pytester, monkeypatch)

    def findings(result: pytest.RunResult) -> str:
        text = result.stdout.str()
        return re.sub(r" in [\d.]+s", "", text[text.index("hostile sweep ("):text.index("Replay with")])

    assert findings(first) == findings(second)
    assert requests_sent(first) == requests_sent(second)


def test_sweep_seed_option_changes_the_requests(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    default, other = run(pytester, monkeypatch, fixed=True), run(pytester, monkeypatch, "--sweep-seed", "7",
                                                                 fixed=True)

    default.stdout.fnmatch_lines(["hostile sweep (anonymous): * seed *"])
    other.stdout.fnmatch_lines(["hostile sweep (anonymous): * seed 7"])


def test_sweep_budget_option_sets_the_examples_per_route(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    small = run(pytester, monkeypatch, "--sweep-budget", "4", fixed=True)
    large = run(pytester, monkeypatch, "--sweep-budget", "80", fixed=True)

    small.stdout.fnmatch_lines(["*budget 4, seed*"])
    large.stdout.fnmatch_lines(["*budget 80, seed*"])  # the option beats the test's own budget=30
    assert requests_sent(small)[0] <= 6 * 4 < 6 * 30 < requests_sent(large)[0] <= 6 * 80


def test_a_bad_budget_is_a_usage_error(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP)

    result = run(pytester, monkeypatch, "--sweep-budget", "0")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*hostile sweep budget must be a whole number of at least 1, got 0*"])


def test_the_plugin_loads_without_hypothesis_and_the_sweep_says_what_to_install(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, ANONYMOUS_SWEEP + """

def test_client_works(client):
    assert client.get("/items/1").status_code == 404
""")
    # A package that shadows Hypothesis and refuses to import, as if it were not installed.
    pytester.mkpydir("hypothesis").joinpath("__init__.py").write_text("raise ImportError('not installed')\n")
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))

    result = run(pytester, monkeypatch, fixed=True)

    result.assert_outcomes(passed=1, failed=1)
    assert "hostile_sweep needs Hypothesis: pip install 'pytest-flask-harness[sweep]'" in result.stdout.str()
