"""The app's other databases (``SQLALCHEMY_BINDS``): each bind gets a test database per worker.

A bind whose URL is of the run's server's kind gets its databases on the run's server, named
``test_<base>_<run>_<worker>_<key>``: the run's own to ``runs_on_server``, so the end of the run,
Ctrl-C and a later run's sweep of a killed one drop them with the rest. A SQLite bind gets a file in
the run's folder (``test_<worker>_<key>.sqlite``). A bind of another kind (a MariaDB bind while the
run's databases are on PostgreSQL) gets its databases on the server its own URL names, named after
that URL's database; the processes that made them tell the run's end, which drops them there.

The app's ``SQLALCHEMY_BINDS`` entries are replaced by the test URLs, engine options kept; each
bind's database is made as the default one is, from the bind's own template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.db.backends import DatabaseBackend, ServerDatabases, backend_for

# Per process: each bind's backend, by bind key, as the app's build named them.
BIND_BACKENDS = pytest.StashKey[dict[str, DatabaseBackend]]()
# What ``made_databases`` calls the server of a bind of another kind (its URL, password included).
OTHER_SERVER = "bind-server"


def bind_backends(config: pytest.Config) -> dict[str, DatabaseBackend]:
    """The backend of each bind the app has, by key (empty until the app is built)."""
    return config.stash.setdefault(BIND_BACKENDS, {})


def _kind(url: str) -> str:
    scheme = url.partition(":")[0].partition("+")[0]
    return {"postgres": "postgresql", "mariadb": "mysql"}.get(scheme, scheme)


def bind_test_url(config: pytest.Config, key: str, app_url: str) -> str:
    """The worker's test database URL for the bind ``key`` the app names ``app_url``."""
    backends = bind_backends(config)
    if key not in backends:
        settings = harness_settings.of(config)
        server = settings.db_url if _kind(app_url) == _kind(settings.db_url) else app_url
        backends[key] = backend_for(server, settings.run_folder, settings.run_id, bind_key=key)
    return backends[key].url_for(harness_settings.of(config).worker)


def with_test_urls(binds: Mapping[str, Any], test_url: Callable[[str, str], str]) -> dict[str, Any]:
    """``SQLALCHEMY_BINDS`` with each entry's URL replaced by ``test_url(key, url)``, options kept."""
    replaced: dict[str, Any] = {}
    for key, value in binds.items():
        options = dict(value) if isinstance(value, Mapping) else {"url": value}
        url = options["url"]
        url = url if isinstance(url, str) else url.render_as_string(hide_password=False)  # a sqlalchemy URL
        test = test_url(key, url)
        replaced[key] = {**options, "url": test} if isinstance(value, Mapping) else test
    return replaced


def other_servers(config: pytest.Config) -> list[str]:
    """The URLs of the binds' servers other than the run's: the run's end drops its databases there."""
    settings = harness_settings.of(config)
    return [backend.url.render_as_string(hide_password=False) for backend in bind_backends(config).values()
            if isinstance(backend, ServerDatabases) and _kind(str(backend.url)) != _kind(settings.db_url)]
