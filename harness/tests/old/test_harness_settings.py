"""The harness's settings, database naming and safety rules, and its request tracker; no I/O beyond tmp_path."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

from harness import appfactory, settings
from harness.databases import (
    PostgresDatabases,
    SqliteDatabases,
    UnsafeDatabaseName,
    backend_for,
    check_test_database,
)
from harness.live_server import RequestTracker

pytestmark = pytest.mark.unit


def fake_config(options: dict[str, Any] | None = None, ini: str = "", workerinput: dict | None = None) -> Any:
    """Just enough of pytest.Config for harness.settings: getoption, getini and workerinput."""
    values = {"--flask-app": None, "--db-url": None, "--keep-db": False, **(options or {})}
    config = SimpleNamespace(getoption=values.__getitem__, getini=lambda _name: ini)
    if workerinput is not None:
        config.workerinput = workerinput
    return config


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No harness settings from the environment of whoever runs the tests."""
    monkeypatch.delenv("FLASK_HARNESS_APP", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


# --- check_test_database ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["webapp", "production", "/tmp/app.sqlite"])
def test_check_test_database_refuses_a_name_without_the_test_prefix(name: str) -> None:
    with pytest.raises(UnsafeDatabaseName) as refused:
        check_test_database(name)

    assert repr(name) in str(refused.value)
    assert "does not start with 'test_'" in str(refused.value)


def test_check_test_database_refusal_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError):
        check_test_database("webapp")


@pytest.mark.parametrize("name", ["test_x", "/tmp/run/test_gw0.sqlite"])
def test_check_test_database_accepts_a_test_database(name: str) -> None:
    check_test_database(name)  # does not raise


# --- PostgresDatabases naming ----------------------------------------------------------------------------


def test_postgres_worker_database_is_named_after_base_run_and_worker(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgresql://u@h/webapp", tmp_path, "abc")

    assert databases.worker_name("gw0") == "test_webapp_abc_gw0"


def test_postgres_template_is_named_after_base_and_run(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgresql://u@h/webapp", tmp_path, "abc")

    assert databases.template == "test_webapp_abc_template"


def test_postgres_url_already_naming_a_test_database_gets_the_prefix_once(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgresql://u@h/test_app", tmp_path, "abc")

    assert databases.worker_name("main") == "test_app_abc_main"


def test_postgres_url_without_a_database_uses_app_as_base(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgresql://u@h", tmp_path, "abc")

    assert databases.worker_name("gw1") == "test_app_abc_gw1"


def test_postgres_worker_url_uses_psycopg_and_the_worker_database(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgres://u@h:5433/webapp", tmp_path, "abc")

    assert databases.describe("gw0") == "postgresql+psycopg://u@h:5433/test_webapp_abc_gw0"


def test_postgres_description_hides_the_password(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgresql://u:s3cret@h/webapp", tmp_path, "abc")

    assert "s3cret" not in databases.describe("gw0")


def test_postgres_drop_template_without_a_started_template_contacts_no_server(tmp_path: Path) -> None:
    # Port 1 refuses connections: contacting the server would raise a UsageError.
    databases = PostgresDatabases("postgresql://u@127.0.0.1:1/webapp", tmp_path, "abc")

    databases.drop_template()  # does not raise


# --- backend_for -----------------------------------------------------------------------------------------


def test_backend_for_a_sqlite_url_is_sqlite_files(tmp_path: Path) -> None:
    assert isinstance(backend_for("sqlite://", tmp_path, "abc"), SqliteDatabases)


@pytest.mark.parametrize("url", ["postgresql://u@h/webapp", "postgres://u@h/webapp",
                                 "postgresql+psycopg://u@h/webapp"])
def test_backend_for_a_postgres_url_is_postgres_databases(url: str, tmp_path: Path) -> None:
    assert isinstance(backend_for(url, tmp_path, "abc"), PostgresDatabases)


def test_backend_for_an_unsupported_url_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.UsageError, match="'mysql://u@h/webapp'"):
        backend_for("mysql://u@h/webapp", tmp_path, "abc")


# --- SqliteDatabases (files only; the builder is a fake) -------------------------------------------------


def fake_builder(calls: list[str]) -> Callable[[str], None]:
    """A schema builder that records its URL and writes a marker 'database' file."""

    def build(url: str) -> None:
        calls.append(url)
        Path(url.removeprefix("sqlite:///")).write_bytes(b"schema")

    return build


def test_sqlite_template_is_built_once_and_reused(tmp_path: Path) -> None:
    databases = SqliteDatabases(tmp_path)
    calls: list[str] = []

    databases.ensure_template(fake_builder(calls))
    databases.ensure_template(fake_builder(calls))

    assert calls == [f"sqlite:///{tmp_path / 'test_template.building.sqlite'}"]


def test_sqlite_worker_database_is_a_copy_of_the_template(tmp_path: Path) -> None:
    databases = SqliteDatabases(tmp_path)
    databases.ensure_template(fake_builder([]))

    url = databases.create_worker_database("gw0")

    assert url == f"sqlite:///{tmp_path / 'test_gw0.sqlite'}"
    assert (tmp_path / "test_gw0.sqlite").read_bytes() == b"schema"


def test_sqlite_dropping_a_worker_database_removes_its_file(tmp_path: Path) -> None:
    databases = SqliteDatabases(tmp_path)
    databases.ensure_template(fake_builder([]))
    databases.create_worker_database("gw0")

    databases.drop_worker_database("gw0")

    assert not (tmp_path / "test_gw0.sqlite").exists()


# --- settings --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("clean_environment")
def test_settings_come_from_the_ini_by_default() -> None:
    loaded = settings.load(fake_config(ini="webapp:create_app"))

    assert (loaded.app_factory, loaded.database_url, loaded.keep_db, loaded.worker) == (
        "webapp:create_app", "sqlite://", False, "main")


@pytest.mark.usefixtures("clean_environment")
def test_settings_environment_beats_the_ini(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_HARNESS_APP", "env_app:make")
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@h/webapp")

    loaded = settings.load(fake_config(ini="webapp:create_app"))

    assert (loaded.app_factory, loaded.database_url) == ("env_app:make", "postgresql://env@h/webapp")


@pytest.mark.usefixtures("clean_environment")
def test_settings_command_line_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_HARNESS_APP", "env_app:make")
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@h/webapp")
    options = {"--flask-app": "cli_app:make", "--db-url": "sqlite://", "--keep-db": True}

    loaded = settings.load(fake_config(options, ini="webapp:create_app"))

    assert (loaded.app_factory, loaded.database_url, loaded.keep_db) == ("cli_app:make", "sqlite://", True)


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize("ini", ["", "webapp"])
def test_settings_without_a_factory_path_is_a_usage_error_saying_how_to_set_it(ini: str) -> None:
    with pytest.raises(pytest.UsageError, match=r'add flask_app = "package:create_app"'):
        settings.load(fake_config(ini=ini))


@pytest.mark.parametrize(("url", "expected"), [("postgresql://u@h/db", True), ("postgres://u@h/db", True),
                                               ("sqlite://", False)])
def test_settings_know_whether_the_database_is_postgres(url: str, expected: bool) -> None:
    loaded = settings.HarnessSettings("webapp:create_app", url, False, "abc", "main")

    assert loaded.is_postgres is expected


def test_worker_id_is_the_xdist_worker_id_on_a_worker() -> None:
    assert settings.worker_id(fake_config(workerinput={"workerid": "gw3"})) == "gw3"


def test_run_id_on_a_worker_is_the_controllers() -> None:
    config = fake_config(workerinput={"workerid": "gw0", settings.RUN_ID_KEY: "cafe1234"})

    assert settings.run_id(config) == "cafe1234"


def test_run_id_is_stable_within_one_process() -> None:
    config = fake_config()

    assert settings.run_id(config) == settings.run_id(config)


def test_shared_root_of_a_worker_is_the_parent_of_its_basetemp(tmp_path: Path) -> None:
    factory = SimpleNamespace(getbasetemp=lambda: tmp_path / "popen-gw0")

    assert settings.shared_root(factory, "gw0") == tmp_path


def test_shared_root_without_xdist_is_the_basetemp(tmp_path: Path) -> None:
    factory = SimpleNamespace(getbasetemp=lambda: tmp_path)

    assert settings.shared_root(factory, "main") == tmp_path


# --- RequestTracker --------------------------------------------------------------------------------------


def environ(method: str = "GET", path: str = "/") -> dict[str, Any]:
    return {"REQUEST_METHOD": method, "PATH_INFO": path}


def failing_app(_environ: dict[str, Any], _start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise RuntimeError("view exploded")


def test_request_tracker_records_an_exception_with_its_traceback_and_reraises() -> None:
    tracker = RequestTracker(failing_app)

    with pytest.raises(RuntimeError, match="view exploded"):
        tracker(environ("POST", "/posts/new"), lambda *_: None)

    [error] = tracker.errors
    assert (error.method, error.path) == ("POST", "/posts/new")
    assert "Traceback (most recent call last)" in error.traceback
    assert "RuntimeError: view exploded" in error.traceback


def test_request_tracker_passes_the_apps_answer_through() -> None:
    tracker = RequestTracker(lambda _environ, _start: [b"hello"])

    assert tracker(environ(), lambda *_: None) == [b"hello"]


def test_request_tracker_holds_the_lock_for_the_whole_request() -> None:
    events: list[str] = []

    class RecordingLock:
        def __enter__(self) -> None:
            events.append("acquire")

        def __exit__(self, *_exc: object) -> None:
            events.append("release")

    def app(_environ: dict[str, Any], _start: Callable[..., Any]) -> Iterable[bytes]:
        events.append("app")
        return [b""]

    RequestTracker(app, lock=RecordingLock())(environ(), lambda *_: None)

    assert events == ["acquire", "app", "release"]


def test_request_tracker_wait_idle_returns_nothing_when_idle() -> None:
    assert RequestTracker(failing_app).wait_idle(timeout=0.01) == []


def test_request_tracker_wait_idle_returns_an_unfinished_request_after_the_timeout() -> None:
    entered, release = threading.Event(), threading.Event()

    def blocking_app(_environ: dict[str, Any], _start: Callable[..., Any]) -> Iterable[bytes]:
        entered.set()
        release.wait(5)
        return [b""]

    tracker = RequestTracker(blocking_app)
    thread = threading.Thread(target=tracker, args=(environ("GET", "/slow"), lambda *_: None))
    thread.start()
    entered.wait(5)
    try:
        still_running = tracker.wait_idle(timeout=0.01)
    finally:
        release.set()
        thread.join(5)

    assert still_running == ["GET /slow"]


def test_request_tracker_forgets_a_finished_request() -> None:
    tracker = RequestTracker(failing_app)
    with pytest.raises(RuntimeError):
        tracker(environ(), lambda *_: None)

    assert tracker.wait_idle(timeout=0.01) == []


# --- the app factory named by the flask_app setting ------------------------------------------------------


@pytest.mark.parametrize("path", ["no_such_module_here:create_app", "webapp:no_such_factory"])
def test_a_factory_path_that_cannot_be_loaded_is_a_usage_error_naming_it(path: str) -> None:
    with pytest.raises(pytest.UsageError, match=re.escape(f"Cannot load the Flask app factory {path!r}")):
        appfactory.load_factory(path)


def test_a_factory_that_returns_no_flask_app_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="builtins:dict returned dict, not a Flask app"):
        appfactory.build_app("builtins:dict", {})


def test_an_app_without_flask_sqlalchemy_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="does not use Flask-SQLAlchemy"):
        appfactory.sqlalchemy_of(Flask(__name__))
