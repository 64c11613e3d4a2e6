"""The harness's options, resolved as command-line option, then environment variable, then ini."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_DATABASE_URL = "sqlite://"
RUN_ID_KEY = "harness_run_id"


def add_options(parser: pytest.Parser) -> None:
    """Register the harness's command-line options and ini settings."""
    group = parser.getgroup("flask-harness", "Flask test harness")
    group.addoption(
        "--flask-app",
        help="Import path of the app factory, 'package:create_app' "
        "(default: env FLASK_HARNESS_APP, then the 'flask_app' ini setting).",
    )
    group.addoption(
        "--db-url",
        help="Database server for the test databases: a PostgreSQL URL, or 'sqlite://' for "
        "SQLite files under pytest's temporary directory (default: env DATABASE_URL, else SQLite).",
    )
    group.addoption(
        "--keep-db",
        action="store_true",
        default=False,
        help="Keep the test databases after the run, for debugging; their names are printed.",
    )
    parser.addini("flask_app", "Import path of the Flask app factory, 'package:create_app'.")


@dataclass(frozen=True)
class HarnessSettings:
    """Everything the harness was told, read once per process."""

    app_factory: str
    database_url: str
    keep_db: bool
    run_id: str
    worker: str

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres:"))


def worker_id(config: pytest.Config) -> str:
    """``gw0``, ``gw1``… under pytest-xdist, ``main`` otherwise."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


def run_id(config: pytest.Config) -> str:
    """An id shared by the controller and all workers of one run, so they agree on names."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and RUN_ID_KEY in workerinput:
        return workerinput[RUN_ID_KEY]
    if not hasattr(config, "_harness_run_id"):
        config._harness_run_id = uuid.uuid4().hex[:8]  # type: ignore[attr-defined]
    return config._harness_run_id  # type: ignore[attr-defined]


def load(config: pytest.Config) -> HarnessSettings:
    """Resolve the settings; a missing app factory is a usage error that says how to set it."""
    factory = (
        config.getoption("--flask-app")
        or os.environ.get("FLASK_HARNESS_APP")
        or config.getini("flask_app")
    )
    if not factory or ":" not in factory:
        raise pytest.UsageError(
            "The Flask harness needs the app factory: add flask_app = \"package:create_app\" to "
            "[tool.pytest.ini_options], or pass --flask-app package:create_app."
        )
    url = config.getoption("--db-url") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    return HarnessSettings(
        app_factory=factory,
        database_url=url,
        keep_db=bool(config.getoption("--keep-db")),
        run_id=run_id(config),
        worker=worker_id(config),
    )


def shared_root(tmp_path_factory: pytest.TempPathFactory, worker: str) -> Path:
    """The temporary folder shared by all workers of this run (xdist gives each a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker != "main" else base
