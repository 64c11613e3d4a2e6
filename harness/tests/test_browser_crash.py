"""A browser that dies costs one test: the test in flight fails saying so, the next gets a new browser."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of

CRASH = """
import os
import signal

from playwright.sync_api import expect


def chromium_processes():
    # This worker's Chromium processes (children of Playwright's driver, a child of this process).
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, frontier = set(), [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    found = []
    for pid in tree:
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if "chrom" in comm.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def test_1_before(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_the_browser_is_killed(page):
    page.goto("/")
    killed = chromium_processes()
    assert killed, "no Chromium process found"
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    page.goto("/notes/1")


def test_3_after(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_4_closes_the_browser_itself(page):
    page.context.browser.close()


def test_5_after_that(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_6_closes_its_context(page):
    page.context.close()


def test_7_after_that(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
"""


def test_a_killed_browser_fails_the_test_in_flight_and_the_next_test_gets_a_new_one(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_crash=CRASH)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=6, failed=1)
    report = report_of(result, "test_2_the_browser_is_killed")
    assert "The browser died during this test" in report
    assert "The next test gets a new browser, context and page." in report
    assert "server.log" in report  # what was kept
