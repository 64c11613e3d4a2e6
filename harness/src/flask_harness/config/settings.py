"""The plugin's settings: command-line option, then environment variable, then ini, then default.

Everything here is read once per process, in ``pytest_configure``, and kept in ``config.stash``.
Nothing in this module imports Flask, SQLAlchemy or Playwright.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

DEFAULT_DB_URL = "sqlite://"
DEFAULT_SWEEP_BUDGET = 25
RUN_ID_KEY = "flask_harness_run_id"
# The controller's run id, for its xdist workers before they get their workerinput.
RUN_ID_ENV = "FLASK_HARNESS_RUN_ID"

CREATE_ALL = "create_all"  # the flask_harness_migrations value that keeps the schema to create_all


@dataclass(frozen=True)
class HarnessSettings:
    """Everything the harness was told, resolved once per process."""

    flask_app: str | None
    db_url: str
    db_url_source: str
    app_db_env: str | None
    migrations: Path | None
    temp_folders: tuple[str, ...]
    keep_db: bool
    run_id: str
    worker: str
    rootpath: Path
    sweep_budget: int = DEFAULT_SWEEP_BUDGET
    sweep_budget_forced: bool = False  # given on the command line: it beats a test's own budget
    sweep_seed: int | None = None
    # flask_harness_migrations = "create_all": the models' create_all even where migrations exist.
    create_all_only: bool = False
    drop_kept: bool = False  # --drop-kept: also remove what earlier --keep-db runs kept

    @property
    def run_folder(self) -> Path:
        """Shared by the controller and every worker of this run: SQLite files, locks."""
        return Path(tempfile.gettempdir()) / f"flask-harness-{self.run_id}"


def worker_id(config: pytest.Config) -> str:
    """``gw0``, ``gw1``… under pytest-xdist, ``main`` otherwise."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput:
        return str(workerinput["workerid"])
    return os.environ.get("PYTEST_XDIST_WORKER") or "main"  # a worker before its workerinput is set


def _run_id(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    if workerinput and RUN_ID_KEY in workerinput:
        return str(workerinput[RUN_ID_KEY])
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(RUN_ID_ENV):
        return os.environ[RUN_ID_ENV]  # a worker before its workerinput: the controller exported it
    return config.stash.setdefault(_RUN_ID, uuid.uuid4().hex[:8])


def _option(config: pytest.Config, name: str) -> Any:
    """A command-line option, also before pytest_configure (when only the known args are parsed)."""
    # Before pytest 9.1 the plugin's options are not even registered in pytest_load_initial_conftests.
    early = getattr(config, "known_args_namespace", None)
    return config.getoption(name, None) or getattr(early, name.lstrip("-").replace("-", "_"), None)


def _db_url(config: pytest.Config) -> tuple[str, str]:
    """The test database server and where it came from (for the header line)."""
    if _option(config, "--db-url"):
        return _option(config, "--db-url"), "--db-url"
    if os.environ.get("FLASK_HARNESS_DB_URL"):
        return os.environ["FLASK_HARNESS_DB_URL"], "FLASK_HARNESS_DB_URL"
    env_name = config.getini("flask_harness_db_url_env")
    if env_name and os.environ.get(env_name):
        return os.environ[env_name], f"${env_name}"
    if config.getini("flask_harness_db_url"):
        return config.getini("flask_harness_db_url"), "ini flask_harness_db_url"
    return DEFAULT_DB_URL, "default"


def load(config: pytest.Config) -> HarnessSettings:
    """Resolve the settings of this process."""
    url, source = _db_url(config)
    migrations = config.getini("flask_harness_migrations")
    return HarnessSettings(
        flask_app=_option(config, "--flask-app") or os.environ.get("FLASK_HARNESS_APP")
        or config.getini("flask_app") or None,
        db_url=url,
        db_url_source=source,
        app_db_env=config.getini("flask_harness_app_db_env") or None,
        migrations=(config.rootpath / migrations) if migrations and migrations != CREATE_ALL else None,
        create_all_only=migrations == CREATE_ALL,
        temp_folders=tuple(config.getini("flask_harness_temp_folders")),
        keep_db=bool(_option(config, "--keep-db")),
        drop_kept=bool(_option(config, "--drop-kept")),
        run_id=_run_id(config),
        worker=worker_id(config),
        rootpath=config.rootpath,
        sweep_budget=_sweep_budget(config),
        sweep_budget_forced=_option(config, "--sweep-budget") is not None,
        sweep_seed=_option(config, "--sweep-seed"),
    )


def _sweep_budget(config: pytest.Config) -> int:
    raw = _option(config, "--sweep-budget")
    if raw is None:
        raw = config.getini("flask_harness_sweep_budget") or DEFAULT_SWEEP_BUDGET
    try:
        budget = int(raw)
    except ValueError:
        budget = 0
    if budget < 1:
        raise pytest.UsageError(f"The hostile sweep budget must be a whole number of at least 1, got {raw!r}: "
                                "pass --sweep-budget N or set flask_harness_sweep_budget = \"N\".")
    return budget


SETTINGS_KEY = pytest.StashKey[HarnessSettings]()
_RUN_ID = pytest.StashKey[str]()  # one run id per process, whether settings are read early or late


def of(config: pytest.Config) -> HarnessSettings:
    """The settings resolved at ``pytest_configure``."""
    return config.stash[SETTINGS_KEY]
