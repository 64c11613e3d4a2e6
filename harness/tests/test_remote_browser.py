"""Journeys on a browser served by ``playwright run-server``; the live server reachable at a public URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flask_harness.live.address import LiveAddress
from red_build_project import run, write_project

JOURNEY = """
import os
from pathlib import Path

from playwright.sync_api import expect


def descendants(pid):
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_of(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\\0", b" ").decode()
    except OSError:
        return ""


def test_journey_on_the_remote_browser(page, live):
    page.goto("/")
    expect(page.get_by_role("heading", name="Tiny")).to_be_visible()
    assert page.url.startswith("http://localhost:")  # the public URL, not the bind address
    launched_here = [command_of(pid) for pid in descendants(os.getpid()) if "chrom" in command_of(pid)]
    assert launched_here == []
"""


def _chromium_folder(tmp_path: Path) -> Path:
    """A PLAYWRIGHT_BROWSERS_PATH for the server, its Chromium names pointing at the system's binary."""
    from flask_harness.browser.binary import find_executable

    executable = find_executable(None, None)
    if executable is None:
        pytest.skip("no system Chromium to serve")
    folder = tmp_path / "browsers"
    script = ("from playwright.sync_api import sync_playwright\n"
              "with sync_playwright() as p: print(p.chromium.executable_path)")
    expected = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(folder)}).stdout.strip()
    revision = re.search(r"chromium-(\d+)", expected)
    assert revision, expected
    for link in (Path(expected),
                 folder / f"chromium_headless_shell-{revision[1]}/chrome-headless-shell-linux64/chrome-headless-shell"):
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(executable)
    return folder


@pytest.fixture
def browser_server(tmp_path: Path) -> Iterator[str]:
    """``playwright run-server`` on 127.0.0.1 and a free port: its driver's node started directly."""
    import playwright

    driver = Path(playwright.__file__).parent / "driver"
    server = subprocess.Popen(
        [str(driver / "node"), str(driver / "package" / "cli.js"), "run-server", "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(_chromium_folder(tmp_path))})
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/"; EOF if it died
        found = re.search(r"ws://\S+", line)
        if found is None:
            pytest.skip(f"playwright run-server did not start here: {line or 'no output'}")
        yield found[0]
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def test_journeys_run_on_a_run_server_browser_with_none_launched_locally(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, browser_server: str
) -> None:
    write_project(pytester, test_journey=JOURNEY)
    monkeypatch.setenv("FLASK_HARNESS_LIVE_SERVER_HOST", "0.0.0.0")
    monkeypatch.setenv("FLASK_HARNESS_LIVE_SERVER_PUBLIC_URL", "http://localhost")
    monkeypatch.setenv("FLASK_HARNESS_BROWSER_PATH", "/nonexistent/no-local-browser")

    result = run(pytester, monkeypatch, env_endpoint=browser_server)

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"flask-harness: browser served by {browser_server}"])


@pytest.mark.parametrize(("address", "port", "expected"), [
    (LiveAddress("127.0.0.1", None), 5001, "http://127.0.0.1:5001"),
    (LiveAddress("0.0.0.0", "http://tests"), 5001, "http://tests:5001"),
    (LiveAddress("0.0.0.0", "http://tests:8000/"), 5001, "http://tests:8000"),
    (LiveAddress("0.0.0.0", "https://proxy.example/app"), 5001, "https://proxy.example:5001/app"),
])
def test_the_public_url_gets_the_live_servers_port_unless_it_has_one(
    address: LiveAddress, port: int, expected: str
) -> None:
    assert address.url_for(port) == expected


def test_a_malformed_endpoint_is_a_usage_error(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, test_journey=JOURNEY)

    result = run(pytester, monkeypatch, env_endpoint="http://not-a-websocket")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: The browser endpoint must be a ws:// or wss:// URL*"])
