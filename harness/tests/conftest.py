"""The plugin's own tests: no harness setting leaks in from the environment of whoever runs them."""

from __future__ import annotations

import pytest

# Imported before any test: pytester snapshots sys.modules and, at its teardown, removes every module
# first imported during the test (example_apps.server_databases() imports this dialect in the test
# process), while SQLAlchemy's function registry, in sqlalchemy.sql.functions, keeps what the dialect
# registered. A later engine for postgresql+… imported it again, and the second registration warned
# "GenericFunction '_regconfig_fn' is already registered": an error under filterwarnings = error.
import sqlalchemy.dialects.postgresql  # noqa: F401  # isort: skip

# Example projects are copied into pytester folders, never collected here; old/ holds the tests of
# the harness before it became a distribution (they import webapp), still being ported.
collect_ignore = ["apps", "old"]

LEAKY_VARIABLES = ("FLASK_HARNESS_APP", "FLASK_HARNESS_DB_URL", "DATABASE_URL", "TEST_DATABASE_URL",
                   "FLASK_SQLALCHEMY_DATABASE_URI", "PYTEST_ADDOPTS",
                   # this suite's own xdist worker: a project run is a pytest of its own
                   "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID")


@pytest.fixture(autouse=True)
def _no_harness_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LEAKY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
