"""Hooks a project can implement in its ``conftest.py``."""

from __future__ import annotations

from typing import Any


def pytest_flask_harness_template(app: Any, db: Any) -> None:
    """Fill the run's template database once, after its schema is built.

    Runs inside an app context; the harness commits afterwards. Every worker's database is a copy
    of the template, so reference data added here (roles, permissions, settings rows) is in every
    test and survives each rollback: pytest-django's ``django_db_setup`` override, as a hook::

        def pytest_flask_harness_template(app, db):
            Role.insert_roles()
    """
