"""``expect_screenshot``, seen from outside: a tiny Flask project run by pytester in a subprocess."""

from __future__ import annotations

import io
import socket
import sys
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from visual_project import artifacts, run, snapshots, write_project

SCREENSHOT_TEST = """
import json
import os


def test_home(page, expect_screenshot):
    page.goto("/")
    expect_screenshot(page, "home", **json.loads(os.environ.get("EXPECT_KWARGS", "{}")))
"""

MASKED_TEST = """
import os


def test_home(page, expect_screenshot):
    page.goto("/")
    mask = [page.locator("#clock")] if os.environ.get("MASK") else []
    expect_screenshot(page, "home", mask=mask)
"""

BASELINE = f"home-chromium-{sys.platform}.png"


@pytest.fixture
def baseline_made(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project with its baseline written by ``--update-snapshots``."""
    write_project(pytester, test_visual=SCREENSHOT_TEST)
    run(pytester, monkeypatch, "--update-snapshots").assert_outcomes(passed=1)
    assert (snapshots(pytester, "test_visual") / BASELINE).is_file()


def test_missing_baseline_is_written_and_the_test_fails_saying_so(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_visual=SCREENSHOT_TEST)

    first = run(pytester, monkeypatch)
    second = run(pytester, monkeypatch)

    first.assert_outcomes(failed=1)
    first.stdout.fnmatch_lines([f"*No baseline for screenshot 'home': wrote test_visual.py-snapshots/{BASELINE}*"])
    with Image.open(snapshots(pytester, "test_visual") / BASELINE) as image:
        assert image.size == (320, 240)
    second.assert_outcomes(passed=1)


@pytest.mark.parametrize(("dot", "kwargs", "passes"), [
    pytest.param("#fcfcfc", "{}", True, id="faint-pixel-within-colour-threshold"),
    pytest.param("#000000", '{"max_diff_pixels": 1}', True, id="black-pixel-within-max-diff-pixels"),
    pytest.param("#000000", '{"max_diff_pixel_ratio": 0.0001}', True, id="black-pixel-within-ratio"),
    pytest.param("#000000", "{}", False, id="black-pixel-with-no-allowance"),
    pytest.param("#fcfcfc", '{"threshold": 0.0}', False, id="faint-pixel-with-zero-threshold"),
])
def test_one_pixel_change_passes_only_within_the_thresholds(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline_made: None, dot: str, kwargs: str,
    passes: bool,
) -> None:
    result = run(pytester, monkeypatch, DOT=dot, EXPECT_KWARGS=kwargs)

    if passes:
        result.assert_outcomes(passed=1)
    else:
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["*1 pixels differ (0.00% of 76800); 0 allowed*"])


def test_changed_button_colour_fails_and_keeps_expected_actual_and_diff(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline_made: None
) -> None:
    baseline = (snapshots(pytester, "test_visual") / BASELINE).read_bytes()

    result = run(pytester, monkeypatch, BUTTON_COLOUR="#b02a37")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Screenshot 'home' does not match*pixels differ*",
                                 "*If the change is intended, run pytest --update-snapshots.*",
                                 "*flask-harness artifacts*", "*home-expected.png", "*home-actual.png",
                                 "*home-diff.png"])
    folder = pytester.path / "test-results" / "test-visual-py-test-home-chromium"
    kept = [name for name in artifacts(pytester) if name.startswith(f"{folder.name}/home-")]
    assert kept == [f"{folder.name}/home-actual.png", f"{folder.name}/home-diff.png",
                    f"{folder.name}/home-expected.png"]
    assert (folder / "home-expected.png").read_bytes() == baseline
    with Image.open(folder / "home-actual.png") as actual, Image.open(folder / "home-diff.png") as diff:
        assert actual.size == diff.size == (320, 240)
    assert (snapshots(pytester, "test_visual") / BASELINE).read_bytes() == baseline, "baseline left alone"


@pytest.mark.parametrize(("mask", "passes"), [("1", True), ("", False)], ids=["masked", "unmasked"])
def test_masked_region_may_change_freely(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, mask: str, passes: bool
) -> None:
    write_project(pytester, test_visual=MASKED_TEST)
    run(pytester, monkeypatch, "--update-snapshots", MASK=mask, CLOCK="12:00").assert_outcomes(passed=1)

    result = run(pytester, monkeypatch, MASK=mask, CLOCK="23:59 and much longer text")

    result.assert_outcomes(**({"passed": 1} if passes else {"failed": 1}))


XDIST_TESTS = """
import os
import socket

import pytest


def both_workers_here(name):
    # Both workers reach the assertion together, so they race for the same missing baseline: the
    # test's rendezvous answers each worker only once the other has arrived too.
    port = int(os.environ["BARRIER_PORT"])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(name.encode() + b"\\n")
        assert connection.recv(2) == b"go", "the other worker never came"


@pytest.mark.parametrize("n", range(3))
def test_same_name(page, expect_screenshot, n):
    page.goto("/")
    both_workers_here(f"same-{n}")
    expect_screenshot(page, "home")


@pytest.mark.parametrize("n", range(2))
def test_own_name(page, expect_screenshot, n):
    page.goto("/")
    both_workers_here(f"own-{n}")
    expect_screenshot(page, f"own-{n}")
"""


@pytest.fixture
def rendezvous() -> Iterator[int]:
    """A two-party barrier for the workers of a pytester run: its port; each name waits for a pair."""
    server = socket.create_server(("127.0.0.1", 0))
    waiting: dict[bytes, socket.socket] = {}

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:  # the server was closed: the test is over
                return
            name = connection.makefile("rb").readline().strip()
            other = waiting.pop(name, None)
            if other is None:
                waiting[name] = connection
                continue
            for party in (other, connection):
                party.sendall(b"go")
                party.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    server.close()
    thread.join(5)
    for connection in waiting.values():
        connection.close()


def test_update_snapshots_under_two_workers_writes_each_baseline_once_and_whole(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, rendezvous: int
) -> None:
    write_project(pytester, test_visual=XDIST_TESTS)

    # --dist each: both workers run every test, reaching each assertion at the same moment.
    update = run(pytester, monkeypatch, "--update-snapshots", "-n", "2", "--dist", "each", "-rP",
                 BARRIER_PORT=str(rendezvous))
    check = run(pytester, monkeypatch, "-n", "2", "--dist", "each", BARRIER_PORT=str(rendezvous))

    update.assert_outcomes(passed=10)
    written = [line for line in update.outlines if "wrote baseline" in line or "replaced baseline" in line]
    assert sorted(line.rsplit("/", 1)[-1] for line in written) == sorted(
        [BASELINE, f"own-0-chromium-{sys.platform}.png", f"own-1-chromium-{sys.platform}.png"])
    folder = snapshots(pytester, "test_visual")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [BASELINE, f"own-0-chromium-{sys.platform}.png", f"own-1-chromium-{sys.platform}.png"]), "no temp file left"
    for path in folder.iterdir():
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            image.load()  # a truncated PNG raises here
            assert image.size == (320, 240)
    check.assert_outcomes(passed=10)


def test_baseline_of_another_platform_is_not_silently_reused(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline_made: None
) -> None:
    folder = snapshots(pytester, "test_visual")
    other = "darwin" if sys.platform != "darwin" else "linux"
    (folder / BASELINE).rename(folder / f"home-chromium-{other}.png")

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*No baseline for screenshot 'home': wrote *{BASELINE}*"
                                 f"home-chromium-{other}.png, and are not used*"])


REPEATED_TESTS = """
import pytest


@pytest.mark.parametrize("n", range(20))
def test_home_again(page, expect_screenshot, n):
    page.goto("/")
    expect_screenshot(page, "home")
"""


def test_same_page_twenty_times_across_two_workers_matches_its_baseline_every_time(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_visual=REPEATED_TESTS)
    first = run(pytester, monkeypatch, "--update-snapshots", "test_visual.py::test_home_again[chromium-0]")
    first.assert_outcomes(passed=1)

    result = run(pytester, monkeypatch, "-n", "2", "-v")

    result.assert_outcomes(passed=20)
    workers = {line.split("]", 1)[0].lstrip("[") for line in result.outlines if line.startswith("[gw")}
    assert workers == {"gw0", "gw1"}


CLOCK_TESTS = """
from playwright.sync_api import expect


def test_1_frozen(page, frozen_clock):
    frozen_clock("2026-03-14T09:26:00Z")
    page.goto("/clock")
    expect(page.locator("#now")).to_have_text("2026-03-14T09:26:00.000Z")


def test_2_next_test_has_the_real_clock(page):
    page.goto("/clock")
    expect(page.locator("#now")).not_to_have_text("2026-03-14T09:26:00.000Z")
    expect(page.locator("#now")).to_have_text(__import__("re").compile(r"^20\\d\\d-"))
"""


def test_frozen_clock_freezes_the_page_time_and_the_next_test_on_the_reused_page_gets_the_real_one(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_clock=CLOCK_TESTS)

    result = run(pytester, monkeypatch)

    result.assert_outcomes(passed=2)
