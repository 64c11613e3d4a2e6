"""The benchmark's trivial journey: open a page, check its heading (run by bench.browser)."""

import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("n", range(int(os.environ.get("BENCH_JOURNEYS", "40"))))
def test_open_about_page(page: Page, n: int) -> None:
    page.goto("/about")
    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()
