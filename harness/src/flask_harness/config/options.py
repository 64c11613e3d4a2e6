"""Every command-line option and ini setting of the harness, registered in one place.

``pytest --help`` lists them in the "flask-harness" group; the settings they feed are resolved in
``config.settings`` (options → environment → ini → defaults), the browser's in ``config.playwright_config``.
"""

from __future__ import annotations

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.config.settings import DEFAULT_SWEEP_BUDGET, HarnessSettings

UPDATE_OPTION = "--update-snapshots"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_DURATIONS = ".test_durations"

INI_SETTINGS = {
    "flask_app": "What `flask --app` takes: 'package:create_app', 'package:create_app(\"testing\")', "
    "'package:app' or 'package'.",
    "flask_harness_db_url": "Database server for the test databases (default: SQLite files).",
    "flask_harness_db_url_env": "Read the test database server from this environment variable "
    "(for example DATABASE_URL); off unless set.",
    "flask_harness_app_db_env": "The environment variable your app reads its database URL from; "
    "the harness sets it to the worker's test database before the app is imported.",
    "flask_harness_migrations": "Migrations folder (Flask-Migrate's, Flask-Alembic's or the one an "
    "alembic.ini names), relative to the rootdir (default: found beside the app, else create_all); "
    "'create_all' builds the schema from the models even where migrations exist.",
    "flask_harness_temp_folders": "App config keys (for example UPLOAD_FOLDER) that get a "
    "per-worker folder, emptied after each test.",
    "flask_harness_sweep_budget": f"Hostile requests per route and method in a hostile sweep "
    f"(default {DEFAULT_SWEEP_BUDGET}).",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the command-line options and ini settings, in one group with help text."""
    group = parser.getgroup("flask-harness", "Flask test harness")
    # the app and its databases
    group.addoption(
        "--flask-app",
        help="The app, as `flask --app` takes it (default: env FLASK_HARNESS_APP, then ini flask_app).",
    )
    group.addoption(
        "--db-url",
        help="Database server for the test databases: postgresql://…, mysql://… or sqlite:// "
        "(default: env FLASK_HARNESS_DB_URL, then ini flask_harness_db_url, else SQLite files).",
    )
    group.addoption(
        "--keep-db",
        action="store_true",
        default=False,
        help="Keep the test databases after the run, for debugging; their names are printed. Later "
        "runs leave them until one is given --drop-kept.",
    )
    group.addoption(
        "--drop-kept",
        action="store_true",
        default=False,
        help="At the start, also remove the test databases and folders that earlier --keep-db runs kept "
        "(those of dead runs are always removed).",
    )
    group.addoption(
        "--sweep-budget",
        type=int,
        help="Hostile requests per route and method in each hostile_sweep (default: ini "
        f"flask_harness_sweep_budget, else {DEFAULT_SWEEP_BUDGET}); raise it for a deep run.",
    )
    group.addoption(
        "--sweep-seed",
        type=int,
        help="Seed of every hostile_sweep (default: one derived from each test's id, so runs repeat).",
    )
    for name, help_text in INI_SETTINGS.items():
        kind = "linelist" if name == "flask_harness_temp_folders" else "string"
        parser.addini(name, help_text, type=kind)  # type: ignore[arg-type]
    # baselines (screenshots, ARIA snapshots, accessibility)
    group.addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help="Write missing baselines (screenshots, ARIA snapshots, accessibility) and replace those "
        "that no longer match; accessibility baselines only ever shrink.",
    )
    # projects (playwright.config.py)
    group.addoption("--project", action="append", metavar="NAME",
                    help="Run only this project of playwright.config.py's projects (repeatable; default: all).")
    # the live server's address
    parser.addini("live_server_host", f"Address the live server binds (default {DEFAULT_HOST}; 0.0.0.0 to "
                  "reach it from another container). Env FLASK_HARNESS_LIVE_SERVER_HOST wins.")
    parser.addini("live_server_scheme", "http (default) or https: the live server over TLS, with a certificate "
                  "made for the run that the browser trusts. Env FLASK_HARNESS_LIVE_SERVER_SCHEME wins.")
    parser.addini("live_server_public_url", "URL a browser uses to reach the live server, e.g. http://tests "
                  "(its port is added). Env FLASK_HARNESS_LIVE_SERVER_PUBLIC_URL wins.")
    # the run's report and bundles
    group.addoption("--harness-report", metavar="PATH",
                    help="Write one self-contained HTML report of the run there (default: ini "
                    "flask_harness_report, else none).")
    group.addoption("--harness-bundle", metavar="DIR",
                    help="Write this run's result bundle there (results, durations, kept files), for "
                    "`python -m flask_harness merge`.")
    parser.addini("flask_harness_report", "Path of the run's HTML report (default: none).")
    # shards
    group.addoption("--shard", metavar="K/N",
                    help="Run the K-th of N parts of the suite (1 ≤ K ≤ N), balanced by recorded durations.")
    group.addoption("--shard-durations", metavar="PATH",
                    help=f"Recorded test durations, JSON {{nodeid: seconds}} (default: {DEFAULT_DURATIONS} "
                    "in the rootdir; `python -m flask_harness merge --durations` writes it).")


@pytest.fixture(scope="session")
def flask_harness_settings(pytestconfig: pytest.Config) -> HarnessSettings:
    """The harness's resolved settings (command line, environment, ini)."""
    return harness_settings.of(pytestconfig)
