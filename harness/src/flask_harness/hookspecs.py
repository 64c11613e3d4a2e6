"""The harness's own hooks: a project can implement them in its ``conftest.py``."""

from __future__ import annotations

from typing import Any


def pytest_flask_harness_template(app: Any, db: Any) -> None:
    """Fill the run's template database once, after its schema is built.

    Runs inside an app context; the harness commits afterwards. Every worker's database is a copy
    of the template, so reference data added here (roles, permissions, settings rows) is in every
    test and survives each rollback: pytest-django's ``django_db_setup`` override, as a hook. It is
    run-wide: defined in any conftest.py, its rows are in every test of the run::

        def pytest_flask_harness_template(app, db):
            Role.insert_roles()
    """


def pytest_flask_harness_report(item: Any, report: Any, call: Any) -> None:
    """Add to the report of a test's phase (setup, call, teardown): sections, and files to keep.

    ``call`` is pytest's ``CallInfo`` of the phase (its ``excinfo`` says what was raised).

    Called by the harness's one ``pytest_runtest_makereport`` wrapper, after pytest made the
    report and before the harness lists the files the test kept and records the attempt. Each wing
    implements it (the browser saves its trace and screenshot, the live server its log); a project
    may too, to keep a file of its own with ``flask_harness.run.artifacts.keep(item, name, data)``.
    Browser files are saved first (``tryfirst``), the live server's side last (``trylast``).
    """


def pytest_flask_harness_mail(app: Any, outbox: Any) -> Any:
    """Route an app's own mail backend into the test's ``mail_outbox``; return a function that undoes it.

    Called at the start of each test that uses ``mail_outbox`` (Flask-Mail and Flask-Mailman need
    no hook). ``outbox.record(message)`` (also ``outbox.append``) takes a stdlib
    ``email.message.Message``, Flask-Mail's or Flask-Mailman's message, or a ``SentMail``; it may
    be called from any thread. An app whose test backend appends to a list can be given the outbox::

        def pytest_flask_harness_mail(app, outbox):
            saved = app.extensions.get("mail_outbox")
            app.extensions["mail_outbox"] = outbox
            return lambda: app.extensions.__setitem__("mail_outbox", saved)
    """
