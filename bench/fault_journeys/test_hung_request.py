"""A journey whose request never returns (run by bench.faults with pytest-timeout's --timeout)."""

import threading

import pytest
from flask import Flask
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e
NEVER = threading.Event()  # never set: the view waits for good


def test_a_request_that_never_returns(page: Page, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def hang_forever() -> str:
        NEVER.wait()
        return "never"

    monkeypatch.setitem(app.view_functions, "main.about", hang_forever)
    page.goto("/")
    page.evaluate("() => fetch('/about').then(answer => answer.text())")  # no timeout of its own
