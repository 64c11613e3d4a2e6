"""The trivial journey alone, and with a second logged-in user beside it (run by bench.journey_extras)."""

import os

import pytest
from flask_harness import PageAs
from playwright.sync_api import Page, expect

from factories import UserFactory

pytestmark = pytest.mark.e2e
JOURNEYS = range(int(os.environ.get("BENCH_JOURNEYS", "40")))


@pytest.mark.parametrize("n", JOURNEYS)
def test_one_user(page: Page, db, n: int) -> None:
    page.goto("/about")
    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()


@pytest.mark.parametrize("n", JOURNEYS)
def test_two_users(page: Page, db, page_as: PageAs, n: int) -> None:
    page.goto("/about")
    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()
    other = page_as(UserFactory())
    other.goto("/about")
    expect(other.get_by_role("heading", name="About Webapp")).to_be_visible()
