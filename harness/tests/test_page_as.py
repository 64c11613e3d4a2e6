"""``page_as(user)`` (issue 16, item 1): several logged-in users in one journey.

Each page has a browser context of its own (its own cookies), on the same live server and in the
same rolled-back transaction; the contexts are closed after the test. Serially and with ``-n 2``,
on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import pytest

from apps_live import make_project
from example_apps import MYSQL_SERVER, POSTGRES_SERVER, unique_base

JOURNEYS = """
from playwright.sync_api import expect

from liveapp import Note, User


def test_1_two_users_side_by_side_and_a_visitor(page, page_as, db):
    ann, bob = User(name="ann"), User(name="bob")
    db.session.add_all([ann, bob])
    db.session.commit()

    as_ann, as_bob = page_as(ann), page_as(bob)
    as_ann.goto("/dashboard")
    as_bob.goto("/dashboard")
    page.goto("/dashboard")

    expect(as_ann.get_by_role("heading")).to_have_text("Hello, ann!")
    expect(as_bob.get_by_role("heading")).to_have_text("Hello, bob!")
    expect(page.get_by_role("heading")).not_to_have_text("Hello, ann!")  # the visitor is nobody
    assert as_ann.context is not as_bob.context is not page.context


def test_2_what_the_test_writes_every_page_sees(page, page_as, db):
    cy = User(name="cy")
    db.session.add_all([cy, Note(text="shared note")])
    db.session.commit()

    as_cy = page_as(cy)
    as_cy.goto("/")
    page.goto("/")

    expect(as_cy.get_by_role("listitem")).to_have_text(["shared note"])
    expect(page.get_by_role("listitem")).to_have_text(["shared note"])


def test_3_the_next_test_starts_clean(page, db):
    assert db.session.query(User).count() == 0  # rolled back
    assert [context for context in page.context.browser.contexts if context is not page.context] == []
    page.goto("/")
    expect(page.get_by_role("listitem")).to_have_count(0)
"""

SERVERS = [pytest.param(None, id="sqlite"), pytest.param(POSTGRES_SERVER, id="postgresql"),
           pytest.param(MYSQL_SERVER, id="mariadb")]


@pytest.mark.parametrize("workers", [(), ("-n", "2", "--dist", "each")], ids=["serial", "n2"])
@pytest.mark.parametrize("server", SERVERS)
def test_page_as_gives_each_user_a_context_of_their_own_on_the_same_server_and_transaction(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str | None, workers: tuple[str, ...],
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)
    db_url = [] if server is None else ["--db-url", f"{server}/{unique_base()}"]

    result = pytester.runpytest_subprocess(*db_url, *workers)

    result.assert_outcomes(passed=6 if workers else 3)


FAILING = """
from liveapp import User


def test_a_failing_two_user_journey_keeps_a_trace_of_each_context(page, page_as, db):
    dee = User(name="dee")
    db.session.add(dee)
    db.session.commit()
    as_dee = page_as(dee)
    as_dee.goto("/dashboard")
    page.goto("/")
    assert as_dee.title() == "Not this"
"""


def test_a_failing_journey_keeps_the_trace_of_the_other_users_context(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_project(pytester, monkeypatch, test_failing=FAILING)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(failed=1)
    [folder] = (pytester.path / "test-results").iterdir()
    traces = sorted(path.name for path in folder.iterdir() if path.suffix == ".zip")
    assert len(traces) == 2, traces  # the page's and dee's
