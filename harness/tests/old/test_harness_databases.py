"""The harness's databases, seen from outside: small projects run by pytester in a subprocess.

Each project loads the harness with ``-p harness.plugin`` and names ``webapp:create_app`` in its ini;
``-p no:randomly`` keeps the order of its tests where the scenario needs one. At the end, the
PostgreSQL backend and the session-end hook are checked in this process.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from factories import UserFactory
from harness import plugin, settings
from harness.databases import PostgresDatabases
from webapp.models import User

pytestmark = pytest.mark.integration

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/webapp"
# Plugins these projects do without: random order, benchmarks (they warn under xdist), the cache, and
# two slow imports at start-up.
QUIET_PLUGINS = ["-p", "no:randomly", "-p", "no:benchmark", "-p", "no:cacheprovider",
                 "-p", "no:hypothesispytest", "-p", "no:faker"]

BACKENDS = [
    pytest.param("sqlite://", id="sqlite"),
    pytest.param(POSTGRES_URL, id="postgresql", marks=pytest.mark.skipif(
        not POSTGRES_URL.startswith("postgres"), reason="DATABASE_URL names no PostgreSQL server")),
]


def write_project(pytester: pytest.Pytester, *, flask_app: bool = True) -> None:
    """The ini of a project using the harness; warnings are errors, markers strict, order fixed."""
    app_line = 'flask_app = "webapp:create_app"\n' if flask_app else ""
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        f"{app_line}"
        f"addopts = {json.dumps(['-p', 'harness.plugin', *QUIET_PLUGINS, '--strict-markers', '-W', 'error'])}\n"
    )


@pytest.fixture
def sqlite_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subprocess inherits the environment: without DATABASE_URL it tests on SQLite."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("FLASK_HARNESS_APP", raising=False)


ROLLBACK_TESTS = """
from sqlalchemy import func, select

from factories import UserFactory
from webapp.models import User


def count_users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_1_commits_a_user_with_the_factory_and_one_through_the_client(db, client):
    UserFactory(username="from_factory")
    response = client.post("/register", data={
        "username": "from_client", "email": "client@example.com",
        "password": "SecurePass123!", "confirm_password": "SecurePass123!",
    })
    assert response.status_code == 200
    assert count_users(db) == 2


def test_2_sees_no_users(db):
    assert count_users(db) == 0
"""


@pytest.mark.parametrize("database_url", BACKENDS)
def test_rows_committed_in_one_test_are_gone_in_the_next(
    pytester: pytest.Pytester, database_url: str
) -> None:
    write_project(pytester)
    pytester.makepyfile(test_rollback=ROLLBACK_TESTS)

    result = pytester.runpytest_subprocess("--db-url", database_url)

    result.assert_outcomes(passed=2)


XDIST_CONFTEST = """
import harness.appfactory
import harness.fixtures

_build_schema = harness.appfactory.build_schema


def _counting_build_schema(*args, **kwargs):
    with open({builds!r}, "a") as builds:
        builds.write("built\\n")
    return _build_schema(*args, **kwargs)


harness.appfactory.build_schema = _counting_build_schema
harness.fixtures.build_schema = _counting_build_schema
"""

XDIST_TESTS = """
import json
from pathlib import Path


def test_records_what_this_worker_uses(app, db, worker_id):
    record = {{"database": app.config["SQLALCHEMY_DATABASE_URI"], "uploads": app.config["UPLOAD_FOLDER"]}}
    (Path({shared!r}) / f"{{worker_id}}.json").write_text(json.dumps(record))
"""


@pytest.mark.usefixtures("sqlite_by_default")
def test_under_xdist_each_worker_gets_its_own_database_and_uploads_from_one_template(
    pytester: pytest.Pytester,
) -> None:
    shared = pytester.mkdir("shared")
    builds = shared / "builds.txt"
    write_project(pytester)
    pytester.makeconftest(XDIST_CONFTEST.format(builds=str(builds)))
    pytester.makepyfile(test_workers=XDIST_TESTS.format(shared=str(shared)))

    # --dist each: every worker runs the test, so both record what they use.
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "each")

    records = {path.stem: json.loads(path.read_text()) for path in shared.glob("gw*.json")}
    result.assert_outcomes(passed=2)
    assert sorted(records) == ["gw0", "gw1"]
    assert records["gw0"]["database"] != records["gw1"]["database"]
    assert records["gw0"]["uploads"] != records["gw1"]["uploads"]
    assert builds.read_text().splitlines() == ["built"]


KEEP_DB_TESTS = """
def test_uses_the_database(db):
    pass
"""


@pytest.mark.usefixtures("sqlite_by_default")
def test_keep_db_keeps_the_sqlite_database_and_prints_its_name(pytester: pytest.Pytester) -> None:
    write_project(pytester)
    pytester.makepyfile(test_keep=KEEP_DB_TESTS)
    basetemp = pytester.path / "basetemp"

    result = pytester.runpytest_subprocess("--keep-db", f"--basetemp={basetemp}")

    database = basetemp / "test_main.sqlite"
    assert database.is_file()
    result.stdout.fnmatch_lines([f"flask-harness: kept test databases like {database}"])


@pytest.mark.usefixtures("sqlite_by_default")
def test_without_keep_db_the_worker_database_is_removed(pytester: pytest.Pytester) -> None:
    write_project(pytester)
    pytester.makepyfile(test_keep=KEEP_DB_TESTS)
    basetemp = pytester.path / "basetemp"

    result = pytester.runpytest_subprocess(f"--basetemp={basetemp}")

    result.assert_outcomes(passed=1)
    assert not (basetemp / "test_main.sqlite").exists()


UNREACHABLE_TESTS = """
def test_first(db):
    pass


def test_second(db):
    pass
"""


def test_unreachable_postgres_stops_the_run_with_one_message_saying_how_to_start_it(
    pytester: pytest.Pytester,
) -> None:
    write_project(pytester)
    pytester.makepyfile(test_unreachable=UNREACHABLE_TESTS)

    result = pytester.runpytest_subprocess("--db-url", UNREACHABLE_POSTGRES)

    output = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert output.count("Cannot reach PostgreSQL") == 1
    assert "postgres@127.0.0.1:1/webapp" in output
    assert "docker compose up -d db" in output


def test_a_run_without_database_tests_does_not_contact_postgres(pytester: pytest.Pytester) -> None:
    write_project(pytester)
    pytester.makepyfile(test_plain="def test_needs_no_database():\n    pass\n")

    result = pytester.runpytest_subprocess("--db-url", UNREACHABLE_POSTGRES)

    assert result.ret == pytest.ExitCode.OK


@pytest.mark.usefixtures("sqlite_by_default")
def test_missing_flask_app_setting_is_a_usage_error_saying_how_to_set_it(pytester: pytest.Pytester) -> None:
    write_project(pytester, flask_app=False)
    pytester.makepyfile(test_no_app=KEEP_DB_TESTS)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*UsageError: The Flask harness needs the app factory: "
                                 'add flask_app = "package:create_app" to *--flask-app package:create_app.'])


def test_the_harness_registers_its_markers(pytester: pytest.Pytester) -> None:
    write_project(pytester)

    result = pytester.runpytest_subprocess("--markers")

    result.stdout.fnmatch_lines(["@pytest.mark.live_commit: *", "@pytest.mark.expect_server_error: *"])


LIVE_COMMIT_TESTS = """
import pytest
from sqlalchemy import func, select

from factories import UserFactory
from webapp.models import User


def committed_users(db):
    # A connection of its own sees only what was really committed.
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(User))


@pytest.mark.live_commit
def test_1_live_commit_commits_for_real(db):
    UserFactory(username="really_committed")
    assert committed_users(db) == 1


def test_2_the_tables_are_empty_afterwards(db):
    assert committed_users(db) == 0
"""


@pytest.mark.parametrize("database_url", BACKENDS)
def test_live_commit_tests_really_commit_and_leave_empty_tables(
    pytester: pytest.Pytester, database_url: str
) -> None:
    write_project(pytester)
    pytester.makepyfile(test_live_commit=LIVE_COMMIT_TESTS)

    result = pytester.runpytest_subprocess("--db-url", database_url)

    result.assert_outcomes(passed=2)



# --- in this process: the PostgreSQL backend and the end of a session ------------------------------------


def never_called(url: str) -> None:
    pytest.fail(f"the schema builder ran on {url}")


def test_unreachable_postgres_template_is_a_usage_error_saying_how_to_start_it(tmp_path: Path) -> None:
    databases = PostgresDatabases(UNREACHABLE_POSTGRES, tmp_path, "abc")

    with pytest.raises(pytest.UsageError) as unreachable:
        databases.ensure_template(never_called)

    assert "postgres@127.0.0.1:1/webapp" in str(unreachable.value)
    assert "docker compose up -d db" in str(unreachable.value)


def test_after_an_attempted_template_drop_template_goes_to_the_server(tmp_path: Path) -> None:
    databases = PostgresDatabases(UNREACHABLE_POSTGRES, tmp_path, "abc")
    with pytest.raises(pytest.UsageError):
        databases.ensure_template(never_called)

    with pytest.raises(pytest.UsageError, match="Cannot reach PostgreSQL"):
        databases.drop_template()


def existing_databases(server_url: str, prefix: str) -> list[str]:
    engine = create_engine(make_url(server_url).set(drivername="postgresql+psycopg", database="postgres"))
    try:
        with engine.connect() as connection:
            return list(connection.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix ORDER BY datname"),
                {"prefix": f"{prefix}%"},
            ))
    finally:
        engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="DATABASE_URL names no PostgreSQL server")
def test_postgres_worker_database_is_cloned_from_the_template_and_dropped(tmp_path: Path) -> None:
    run_id = uuid.uuid4().hex[:8]
    databases = PostgresDatabases(POSTGRES_URL, tmp_path, run_id)
    built: list[str] = []
    databases.ensure_template(built.append)
    databases.ensure_template(built.append)  # built already: reused
    try:
        databases.create_worker_database("gw0")
        during = existing_databases(POSTGRES_URL, databases.prefix)
    finally:
        databases.drop_worker_database("gw0")
        databases.drop_template()

    assert len(built) == 1
    assert during == [f"{databases.prefix}_gw0", f"{databases.prefix}_template"]
    assert existing_databases(POSTGRES_URL, databases.prefix) == []


class Reporter:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write_line(self, line: str) -> None:
        self.lines.append(line)


def finished_session(basetemp: Path, reporter: Reporter, **options: Any) -> Any:
    """A pytest session at its end, as pytest_sessionfinish sees it on the controller."""
    values = {"--flask-app": "webapp:create_app", "--db-url": None, "--keep-db": False, **options}
    config = SimpleNamespace(
        option=SimpleNamespace(numprocesses=options.get("numprocesses")),
        getoption=values.__getitem__,
        getini=lambda _name: "",
        _tmp_path_factory=SimpleNamespace(getbasetemp=lambda: basetemp),
        pluginmanager=SimpleNamespace(get_plugin=lambda _name: reporter),
    )
    return SimpleNamespace(config=config)


@pytest.mark.usefixtures("sqlite_by_default")
@pytest.mark.parametrize(("numprocesses", "kept"), [(None, "test_main.sqlite"), (2, "test_gw0.sqlite")])
def test_keep_db_names_a_database_this_run_really_kept(
    tmp_path: Path, numprocesses: int | None, kept: str
) -> None:
    reporter = Reporter()

    plugin.pytest_sessionfinish(finished_session(tmp_path, reporter, numprocesses=numprocesses,
                                                 **{"--keep-db": True}))

    assert reporter.lines == [f"flask-harness: kept test databases like {tmp_path / kept}"]


@pytest.mark.usefixtures("sqlite_by_default")
def test_session_end_without_keep_db_prints_nothing(tmp_path: Path) -> None:
    reporter = Reporter()

    plugin.pytest_sessionfinish(finished_session(tmp_path, reporter))

    assert reporter.lines == []


@pytest.mark.usefixtures("sqlite_by_default")
def test_session_end_without_a_template_does_not_contact_postgres(tmp_path: Path) -> None:
    session = finished_session(tmp_path, Reporter(), **{"--db-url": UNREACHABLE_POSTGRES})

    plugin.pytest_sessionfinish(session)  # does not raise: nothing to drop


@pytest.mark.usefixtures("sqlite_by_default")
def test_session_end_without_an_app_factory_does_nothing(tmp_path: Path) -> None:
    reporter = Reporter()

    plugin.pytest_sessionfinish(finished_session(tmp_path, reporter, **{"--flask-app": None,
                                                                        "--keep-db": True}))

    assert reporter.lines == []


def test_session_end_on_an_xdist_worker_does_nothing(tmp_path: Path) -> None:
    reporter = Reporter()
    session = finished_session(tmp_path, reporter, **{"--keep-db": True})
    session.config.workerinput = {"workerid": "gw0"}

    plugin.pytest_sessionfinish(session)

    assert reporter.lines == []


def test_every_xdist_worker_gets_the_controllers_run_id() -> None:
    controller = SimpleNamespace()
    nodes = [SimpleNamespace(config=controller, workerinput={}) for _ in range(2)]

    for node in nodes:
        plugin.pytest_configure_node(node)

    run_ids = [node.workerinput[settings.RUN_ID_KEY] for node in nodes]
    assert run_ids == [settings.run_id(controller)] * 2


@pytest.mark.live_commit
def test_live_commit_test_commits_for_real(db: Any) -> None:
    UserFactory(username="committed_for_real")

    with db.engine.connect() as connection:  # a connection of its own sees only real commits
        committed = connection.scalar(select(func.count()).select_from(User))

    assert committed == 1
