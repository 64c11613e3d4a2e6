"""The app's own session machinery keeps working under rollback isolation (issue 6).

A commit listener registered on ``db.session`` fires, the app's session and query classes survive,
and a ``db.session`` reference captured at import time (factory_boy's ``sqlalchemy_session``)
sees the test's data, which is rolled back afterwards.
"""

from __future__ import annotations

import pytest

from example_apps import copy_app, run, write_ini

CATALOG_TESTS = """
from catalog import INDEXED, AuditedSession, CatalogQuery, Item
from catalog.factories import make_item


def count_items(db):
    return db.session.scalar(db.select(db.func.count()).select_from(Item))


def test_1_an_item_committed_through_the_client_is_indexed(db, client):
    INDEXED.clear()
    assert client.post("/items", data={"name": "lamp"}).status_code == 201
    assert INDEXED == ["lamp"]
    assert client.get("/items/lamp").get_json() == {"name": "lamp", "indexed": True}


def test_2_the_apps_session_and_query_classes_survive(db):
    assert isinstance(db.session(), AuditedSession)
    assert isinstance(Item.query, CatalogQuery)
    assert isinstance(db.session.query(Item), CatalogQuery)
    assert count_items(db) == 0


def test_3_a_session_captured_at_import_time_shares_the_tests_data(db, client):
    INDEXED.clear()
    make_item("desk")
    assert INDEXED == ["desk"]
    assert client.get("/items/desk").get_json() == {"name": "desk", "indexed": True}
    assert count_items(db) == 1


def test_4_its_rows_are_rolled_back_too(db):
    assert count_items(db) == 0
"""


@pytest.mark.parametrize("db_url", [pytest.param("sqlite://", id="sqlite"),
                                    pytest.param("postgresql://postgres@127.0.0.1:5432/app", id="postgresql")])
def test_listeners_custom_classes_and_a_captured_session_work_under_rollback(
    pytester: pytest.Pytester, db_url: str,
) -> None:
    copy_app(pytester, "listeners")
    write_ini(pytester, flask_app="catalog:create_app", flask_harness_db_url=db_url)
    pytester.makepyfile(test_catalog=CATALOG_TESTS)

    result = run(pytester, "-v")

    result.assert_outcomes(passed=4)
