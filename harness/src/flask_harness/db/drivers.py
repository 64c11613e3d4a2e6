"""Which driver a database URL is connected with: the one it names, else the first one installed."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_DRIVERS = {
    # backend: the drivers SQLAlchemy can use, in its own order of preference
    "postgresql": (("psycopg2", "psycopg2"), ("psycopg", "psycopg"), ("pg8000", "pg8000")),
    "mysql": (("MySQLdb", "mysqldb"), ("pymysql", "pymysql"), ("mysql.connector", "mysqlconnector")),
}


def with_driver(url: str) -> URL:
    """The URL with a driver: the one it names, else the first one installed.

    ``postgresql://`` means psycopg2 to SQLAlchemy; an app that has only psycopg 3 gets it instead.
    """
    from sqlalchemy.engine import make_url

    if url.startswith("postgres://"):  # Heroku's spelling, which SQLAlchemy refuses
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    backend = "mysql" if backend == "mariadb" and not driver else backend
    if driver or backend not in _DRIVERS:
        return parsed
    for module, name in _DRIVERS[backend]:
        if importlib.util.find_spec(module.split(".")[0]) is not None:
            return parsed.set(drivername=f"{backend}+{name}")
    modules = ", ".join(module for module, _ in _DRIVERS[backend])
    extra = {"postgresql": "postgres", "mysql": "mysql"}[backend]
    raise pytest.UsageError(f"No {backend} driver is installed for {url!r}: install one of {modules} "
                            f"(pip install 'pytest-flask-harness[{extra}]').")



def driver_scheme(url: str) -> str:
    """``postgresql+psycopg2``: the URL's database with the driver ``with_driver`` connects with.

    Apps break differently on psycopg 2 and 3 (or on pymysql and mysqlclient): the header says which.
    """
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = with_driver(url)
        return f"{parsed.get_backend_name()}+{parsed.get_dialect().driver}"  # sqlite: sqlite+pysqlite
    except (pytest.UsageError, ArgumentError, NoSuchModuleError):  # said in full at the first connection
        return url.partition(":")[0]
