"""Helpers for the plugin's pytester tests: example apps copied into a project, and a server's databases.

Each folder under ``apps/`` is a tiny project of one common Flask shape (see ``APPS``); a test copies
one into pytester's folder, writes the ini it needs and runs pytest in a subprocess, where the
installed plugin loads through its entry point.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

APPS = Path(__file__).parent / "apps"
# The servers the backend tests use (CI services elsewhere can name theirs).
POSTGRES_SERVER = os.environ.get("HARNESS_TESTS_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
MYSQL_SERVER = os.environ.get("HARNESS_TESTS_MYSQL", "mysql+pymysql://root@127.0.0.1:3306")
# Plugins a project run does without: random order, the cache, the browser layer (slow imports).
QUIET = ("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:base_url")

# The test module most projects run: a client post committed in one test, gone in the next.
ITEM_TESTS = """
import json
import os
from pathlib import Path


def test_1_a_posted_item_is_listed(app, db, client, flask_harness_settings):
    assert client.post("/items", data={"name": "lamp"}).status_code == 201
    assert client.get("/items").get_json() == ["lamp"]
    record = {"url": db.engine.url.render_as_string(), "testing": app.testing}
    Path(os.environ["RECORDS"], flask_harness_settings.worker + ".json").write_text(json.dumps(record))


def test_2_the_next_test_sees_no_items(client):
    assert client.get("/items").get_json() == []
"""


def copy_app(pytester: pytest.Pytester, shape: str) -> Path:
    """Copy the example project ``apps/<shape>`` into pytester's folder; return that folder."""
    shutil.copytree(APPS / shape, pytester.path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return pytester.path


def write_ini(pytester: pytest.Pytester, **ini: Any) -> None:
    """A pyproject.toml as a strict project has it, with the harness settings given."""
    lines = ["[tool.pytest.ini_options]",
             'addopts = ["--strict-markers", "--strict-config"]',
             'filterwarnings = ["error"]']
    lines += [f"{key} = {json.dumps(value)}" for key, value in ini.items()]
    pytester.makepyprojecttoml("\n".join(lines) + "\n")


def records(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the project's tests write what they saw into (its path in env ``RECORDS``)."""
    folder = pytester.mkdir("records")
    monkeypatch.setenv("RECORDS", str(folder))
    return folder


def read_records(folder: Path) -> dict[str, Any]:
    """What each worker recorded, by worker id."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest in a subprocess, in pytester's folder, with the quiet plugin set."""
    return pytester.runpytest_subprocess(*QUIET, *args)


def unique_base() -> str:
    """A database base name no other run uses, so a test can look for what its run left."""
    return f"hx{uuid.uuid4().hex[:10]}"


def server_databases(server_url: str, like: str) -> list[str]:
    """The names of the server's databases that start with ``like``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    postgres = server_url.startswith("postgres")
    engine = create_engine(f"{server_url}/{'postgres' if postgres else ''}", poolclass=NullPool)
    query = ("SELECT datname FROM pg_database WHERE datname LIKE :like" if postgres
             else "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :like")
    try:
        with engine.connect() as connection:
            return sorted(connection.scalars(text(query), {"like": like.replace("_", r"\_") + "%"}))
    finally:
        engine.dispose()


def drop_databases(server_url: str, names: list[str]) -> None:
    """Drop databases a test kept on purpose (``--keep-db``)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    postgres = server_url.startswith("postgres")
    engine = create_engine(f"{server_url}/{'postgres' if postgres else ''}", poolclass=NullPool,
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for name in names:
                assert name.startswith("test_"), name
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"' if postgres
                                        else f"DROP DATABASE IF EXISTS `{name}`"))
    finally:
        engine.dispose()
