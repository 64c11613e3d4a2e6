"""Ctrl-C and kill -9 leave nothing behind; a run never touches a live one (issue 14, items 2 and 3).

Every fault is real: pytest runs in a process group of its own, with SIGINT's default handler (as
a terminal starts it), and gets a real SIGINT or SIGKILL there while its tests are running. Each run
gets a temporary directory of its own (TMPDIR), so its run folders can be counted while other
tests run in parallel; each server test uses a database base name no other run uses.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from apps_live import make_project
from example_apps import (
    ITEM_TESTS,
    MYSQL_SERVER,
    POSTGRES_SERVER,
    QUIET,
    copy_app,
    drop_databases,
    records,
    server_databases,
    unique_base,
    write_ini,
)

# A waiting test tells the test's gate that its worker runs, then waits until the gate lets it go
# (or a signal ends it).
WAIT_AT_THE_GATE = """
import os
import socket


def wait_at_the_gate(worker):
    with socket.create_connection(("127.0.0.1", int(os.environ["GATE_PORT"])), timeout=90) as gate:
        gate.sendall(worker.encode() + b"\\n")
        assert gate.recv(2) == b"go", "never told to go on"
"""

WAITING_TESTS = WAIT_AT_THE_GATE + """

def test_1_waits_for_go(db, client, flask_harness_settings):
    assert client.post("/items", data={"name": "lamp"}).status_code == 201
    wait_at_the_gate(flask_harness_settings.worker)
    assert client.get("/items").get_json() == ["lamp"]  # nothing of another run's got in


def test_2_the_next_test_sees_no_items(client):
    assert client.get("/items").get_json() == []
"""

SERVERS = [pytest.param(None, id="sqlite"), pytest.param(POSTGRES_SERVER, id="postgresql"),
           pytest.param(MYSQL_SERVER, id="mariadb")]
TWO_WORKERS = ("-n", "2", "--dist", "each")


class Gate:
    """Where a project's waiting tests say that they run and wait to be let go (env ``GATE_PORT``)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.waiting: list[socket.socket] = []

    @property
    def port(self) -> int:
        return int(self.server.getsockname()[1])

    def wait_for(self, process: subprocess.Popen[str], workers: int) -> None:
        """Wait until ``workers`` tests are at the gate; fail if the run ends first or never gets there."""
        deadline = time.monotonic() + 90
        ended = os.pidfd_open(process.pid)  # readable once the process has ended
        try:
            while len(self.waiting) < workers:
                ready, _, _ = select.select([self.server, ended], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    pytest.fail("the run's tests never started")
                if ended in ready:
                    pytest.fail(f"the run ended before its tests ran:\n{process.communicate()[0]}")
                connection, _ = self.server.accept()
                connection.settimeout(30)
                connection.makefile("rb").readline()  # the worker's name
                self.waiting.append(connection)
        finally:
            os.close(ended)

    def open(self) -> None:
        for connection in self.waiting:
            connection.sendall(b"go")
        self.close_waiting()

    def close_waiting(self) -> None:
        for connection in self.waiting:
            connection.close()
        self.waiting.clear()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    opened = Gate()
    monkeypatch.setenv("GATE_PORT", str(opened.port))
    yield opened
    opened.close_waiting()
    opened.server.close()


@dataclass
class Project:
    """A pytester project on one server, with a temporary directory of its own."""

    path: Path
    server: str | None
    base: str
    gate: Gate
    tmpdir: Path
    options: tuple[str, ...] = QUIET

    def databases(self) -> list[str]:
        return [] if self.server is None else server_databases(self.server, f"test_{self.base}_")

    def run_folders(self) -> list[str]:
        return sorted(path.name for path in self.tmpdir.iterdir()
                      if path.name.startswith(("flask-harness-", "playwright-pytest-")))

    def start(self, *args: str) -> subprocess.Popen[str]:
        """pytest in a process group of its own, SIGINT handled as in a terminal."""
        def own_group() -> None:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.setpgrp()

        env = {**os.environ, "TMPDIR": str(self.tmpdir)}
        return subprocess.Popen([sys.executable, "-m", "pytest", *self.options, *args], cwd=self.path, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                preexec_fn=own_group)

    def run(self, *args: str, timeout: float = 120) -> tuple[int, str]:
        process = self.start(*args)
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output

    def wait_until_running(self, process: subprocess.Popen[str], workers: int) -> None:
        self.gate.wait_for(process, workers)


@pytest.fixture
def own_tmpdir() -> Iterator[Path]:
    """A temporary directory of the run's own, with a short path (Chromium's socket paths are short)."""
    folder = Path(tempfile.mkdtemp(prefix="fh-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def project_on(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, own_tmpdir: Path,
               gate: Gate) -> Iterator[object]:
    """Make a project on a server; whatever a failing test left on the server is dropped afterwards."""
    made: list[Project] = []

    def make(server: str | None) -> Project:
        base = unique_base()
        copy_app(pytester, "mapping_factory")
        write_ini(pytester, flask_app="tutorial:create_app",
                  flask_harness_db_url="sqlite://" if server is None else f"{server}/{base}")
        pytester.makepyfile(test_waiting=WAITING_TESTS, test_items=ITEM_TESTS)
        records(pytester, monkeypatch)  # ITEM_TESTS write what they saw there
        made.append(Project(pytester.path, server, base, gate, own_tmpdir))
        return made[-1]

    yield make
    for project in made:
        if project.server is not None:
            drop_databases(project.server, project.databases())


def signal_group(process: subprocess.Popen[str], signum: int) -> None:
    os.killpg(process.pid, signum)


@pytest.mark.parametrize("server", SERVERS)
def test_ctrl_c_ends_the_run_in_seconds_and_leaves_no_database_nor_folder(project_on, server):
    project = project_on(server)
    process = project.start(*TWO_WORKERS, "test_waiting.py")
    project.wait_until_running(process, workers=2)
    assert project.run_folders(), "the run made no run folder"

    signal_group(process, signal.SIGINT)
    started = time.monotonic()
    output, _ = process.communicate(timeout=60)
    took = time.monotonic() - started

    assert process.returncode == 2, output  # interrupted
    assert took < 10, f"the run took {took:.1f}s to end after Ctrl-C"
    assert project.databases() == [], output
    assert project.run_folders() == [], output
    assert "Traceback" not in output, output


@pytest.mark.parametrize("server", SERVERS)
def test_a_run_killed_with_sigkill_is_cleaned_up_by_the_next_run(project_on, server):
    project = project_on(server)
    process = project.start(*TWO_WORKERS, "test_waiting.py")
    project.wait_until_running(process, workers=2)
    signal_group(process, signal.SIGKILL)
    process.communicate(timeout=60)
    left_databases, left_folders = project.databases(), project.run_folders()
    assert left_folders, "the killed run left no folder: nothing to prove"
    assert (left_databases != []) == (server is not None)

    code, output = project.run("test_items.py")

    assert code == 0, output
    assert project.databases() == []
    assert project.run_folders() == []
    [line] = [line for line in output.splitlines() if line.startswith("flask-harness: removed")]
    assert "1 dead run" in line, line
    for name in left_databases:
        assert name in line, line
    assert f"{len(left_folders)} folder" in line, line


@pytest.mark.parametrize("server", SERVERS)
def test_two_runs_at_once_on_one_server_leave_each_other_alone(project_on, server):
    project = project_on(server)
    waiting = project.start(*TWO_WORKERS, "test_waiting.py")
    project.wait_until_running(waiting, workers=2)
    databases_of_the_waiting_run = project.databases()

    code, output = project.run(*TWO_WORKERS, "test_items.py")  # starts, runs and ends meanwhile

    assert code == 0, output
    assert "flask-harness: removed" not in output, output
    assert project.databases() == databases_of_the_waiting_run
    project.gate.open()
    output, _ = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, output
    assert "4 passed" in output, output
    assert project.databases() == []
    assert project.run_folders() == []


@pytest.mark.parametrize("server", SERVERS)
def test_keep_db_runs_stay_until_a_run_is_asked_to_drop_kept_ones(project_on, server):
    project = project_on(server)
    code, output = project.run("--keep-db", "test_items.py")
    assert code == 0, output
    kept_databases, kept_folders = project.databases(), project.run_folders()
    assert kept_folders

    code, output = project.run("test_items.py")
    assert code == 0, output
    assert (project.databases(), project.run_folders()) == (kept_databases, kept_folders)
    assert "flask-harness: removed" not in output, output
    assert "kept by an earlier --keep-db run (--drop-kept removes" in output, output

    code, output = project.run("--drop-kept", "test_items.py")
    assert code == 0, output
    assert (project.databases(), project.run_folders()) == ([], [])
    [line] = [line for line in output.splitlines() if line.startswith("flask-harness: removed")]
    assert "1 run kept by --keep-db" in line, line


WAITING_JOURNEY = WAIT_AT_THE_GATE + """
from playwright.sync_api import expect


def test_waits_on_a_page(page, flask_harness_settings):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    wait_at_the_gate(flask_harness_settings.worker)  # Ctrl-C comes first
"""


def test_ctrl_c_in_a_browser_run_prints_no_traceback_and_leaves_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, own_tmpdir: Path, gate: Gate,
) -> None:
    path = make_project(pytester, monkeypatch, test_journey=WAITING_JOURNEY)
    project = Project(path, None, "", gate, own_tmpdir, options=())
    process = project.start(*TWO_WORKERS)
    project.wait_until_running(process, workers=2)

    signal_group(process, signal.SIGINT)
    output, _ = process.communicate(timeout=60)

    assert process.returncode == 2, output
    assert "Traceback" not in output, output
    assert project.run_folders() == [], output
