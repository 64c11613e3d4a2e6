"""Real faults injected into runs of this project's suite: what each costs, how long recovery takes, what is left.

``python -m bench.faults [--quick]`` runs this project's tests (``e2e``, ``integration``) in a process
group of their own, with SIGINT's default handler as a terminal starts them, and each run with a
temporary directory of its own (so its run folders can be counted). While the tests run it does,
for real: kill the browser's processes (SIGKILL); send Ctrl-C (SIGINT to the group); kill the run
(SIGKILL to the group), then start a new run; run two suites at once on one PostgreSQL; add a
journey whose request never returns, under ``--timeout``; kill the worker's database connection on
the server. It prints one table (fault, tests affected, recovery, left behind) and fails loudly when
a fault costs more than it should. PostgreSQL and MariaDB rows run when their server answers.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import MARIADB_URL, POSTGRES_URL, QUICK, ROOT, server_available

# Small parts of the suite in --quick mode (CI), the layers in full.
E2E = ["e2e/test_auth_journeys.py", "e2e/test_post_journeys.py", "e2e/test_navigation.py"] if QUICK else ["e2e"]
INTEGRATION = (["integration/test_api_posts.py", "integration/test_auth.py", "integration/test_posts.py"]
               if QUICK else ["integration"])
NEXT_RUN = ["integration/test_api_auth.py"]
HUNG_JOURNEY = "bench/fault_journeys/test_hung_request.py"
TWO_WORKERS = ["-n", "2"]
COMMON = ["-v", "-p", "no:randomly", "-p", "no:cacheprovider"]
RUN_FOLDERS = ("flask-harness-", "playwright-pytest-")


@dataclass
class Server:
    """Where the test databases are: SQLite files (no URL), or a server's ``test_webapp_…`` databases."""

    name: str
    url: str | None

    def databases(self) -> set[str]:
        if self.url is None:
            return set()
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        url = make_url(self.url)
        postgres = url.get_backend_name() == "postgresql"
        engine = create_engine(url.set(database="postgres" if postgres else "information_schema"),
                               poolclass=NullPool)
        query = ("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_webapp\\_%'" if postgres else
                 "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'test\\_webapp\\_%'")
        try:
            with engine.connect() as connection:
                return set(connection.scalars(text(query)))
        finally:
            engine.dispose()

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url} if self.url else {}


@dataclass
class Run:
    """One pytest process in a group of its own; its output lines, each with the time it came."""

    process: subprocess.Popen[str]
    lines: list[tuple[float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for text in self.process.stdout:
            self.lines.append((time.monotonic(), text.rstrip("\n")))

    def passed(self) -> list[float]:
        return [at for at, text in self.lines if " PASSED" in text]

    def wait_for_passes(self, count: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while len(self.passed()) < count:
            if self.process.poll() is not None:
                self.reader.join(5)
                fail(f"the run ended before {count} tests passed:\n{self.output()[-4000:]}")
            if time.monotonic() > deadline:
                fail(f"{count} tests did not pass in {timeout:.0f} s:\n{self.output()[-4000:]}")
            time.sleep(0.02)

    def signal(self, signum: int) -> float:
        at = time.monotonic()
        os.killpg(self.process.pid, signum)
        return at

    def wait(self, timeout: float = 600) -> int:
        code = self.process.wait(timeout)
        self.reader.join(10)
        return code

    def output(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def outcome(self, word: str) -> int:
        """How many tests the summary line counts as ``word`` (failed, errors, passed)."""
        found = re.findall(rf"(\d+) {word}", self.output().splitlines()[-1] if self.lines else "")
        return int(found[0]) if found else 0


def start(args: list[str], tmpdir: Path, env: dict[str, str] | None = None) -> Run:
    def own_group() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgrp()

    full_env = {**os.environ, **(env or {}), "TMPDIR": str(tmpdir)}
    process = subprocess.Popen([sys.executable, "-m", "pytest", *COMMON, *args], cwd=ROOT, env=full_env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=own_group)
    return Run(process)


def fail(message: str) -> None:
    raise SystemExit(f"bench.faults: {message}")


@contextmanager
def own_tmpdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fh-"))  # short: Chromium's socket paths are short
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_folders(tmpdir: Path) -> list[str]:
    return sorted(path.name for path in tmpdir.iterdir() if path.name.startswith(RUN_FOLDERS))


@dataclass
class Row:
    fault: str
    affected: str
    recovery: str
    left: str


def left_behind(server: Server, before: set[str], tmpdir: Path) -> tuple[int, int]:
    return len(server.databases() - before), len(run_folders(tmpdir))


def say_left(databases: int, folders: int) -> str:
    return f"{databases} database{'' if databases == 1 else 's'}, {folders} folder{'' if folders == 1 else 's'}"


def descendants(pid: int) -> set[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found.update(children)
        frontier.extend(children)
    return found


def chromium_processes(pid: int) -> list[int]:
    found = []
    for child in descendants(pid):
        try:
            with open(f"/proc/{child}/comm") as comm:
                if "chrom" in comm.read():
                    found.append(child)
        except OSError:
            pass
    return found


# --- the faults ---------------------------------------------------------------------------------------


def browser_killed() -> Row:
    """Serial e2e on SQLite; after 5 passes every Chromium process of the run gets SIGKILL."""
    with own_tmpdir() as tmpdir:
        run = start(E2E, tmpdir)
        run.wait_for_passes(5)
        victims = chromium_processes(run.process.pid)
        if not victims:
            fail("no Chromium process found under the run")
        killed_at = time.monotonic()
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        code = run.wait()
        affected = run.outcome("failed") + run.outcome("error")
        later_passes = [at for at in run.passed() if at > killed_at]
        if affected != 1 or not later_passes or code != 1:
            fail(f"a killed browser should cost exactly one test; it cost {affected} (exit {code}):\n"
                 f"{run.output()[-4000:]}")
        left = left_behind(Server("sqlite", None), set(), tmpdir)
        return Row("browser killed mid-run (serial e2e, SQLite)", f"{affected} of {run.outcome('passed') + affected}",
                   f"next test passed {later_passes[0] - killed_at:.1f} s after", say_left(*left))


def ctrl_c(server: Server) -> Row:
    """integration -n 2; after 20 passes, SIGINT to the group."""
    before = server.databases()
    with own_tmpdir() as tmpdir:
        run = start([*INTEGRATION, *TWO_WORKERS], tmpdir, server.env())
        run.wait_for_passes(20)
        sent = run.signal(signal.SIGINT)
        code = run.wait(120)
        ended = time.monotonic() - sent
        left = left_behind(server, before, tmpdir)
        if code != 2 or left != (0, 0) or "Traceback" in run.output():
            fail(f"Ctrl-C on {server.name}: exit {code}, left {say_left(*left)}:\n{run.output()[-4000:]}")
        return Row(f"Ctrl-C during -n 2 ({server.name})", "the run stops", f"exited {ended:.1f} s after",
                   say_left(*left))


def killed_then_next_run(server: Server) -> Row:
    """integration -n 2; after 20 passes, SIGKILL to the group; then a new run on the same server."""
    before = server.databases()
    with own_tmpdir() as tmpdir:
        run = start([*INTEGRATION, *TWO_WORKERS], tmpdir, server.env())
        run.wait_for_passes(20)
        run.signal(signal.SIGKILL)
        run.wait(60)
        killed_left = left_behind(server, before, tmpdir)
        if killed_left[1] == 0 or (server.url is not None and killed_left[0] == 0):
            fail(f"kill -9 on {server.name} left {say_left(*killed_left)}: nothing to prove")
        started = time.monotonic()
        next_run = start(NEXT_RUN, tmpdir, server.env())
        code = next_run.wait()
        took = time.monotonic() - started
        left = left_behind(server, before, tmpdir)
        if code != 0 or left != (0, 0) or "flask-harness: removed what 1 dead run left" not in next_run.output():
            fail(f"the run after kill -9 on {server.name}: exit {code}, left {say_left(*left)}:\n"
                 f"{next_run.output()[-4000:]}")
        return Row(f"kill -9 during -n 2, then a new run ({server.name})", "the run stops",
                   f"killed run left {say_left(*killed_left)}; next run ({took:.1f} s) removed them",
                   say_left(*left))


def two_runs_at_once(server: Server) -> Row:
    """Two integration -n 2 runs at once on one server, each with its own temporary directory."""
    before = server.databases()
    with own_tmpdir() as first_tmp, own_tmpdir() as second_tmp:
        started = time.monotonic()
        runs = [start([*INTEGRATION, *TWO_WORKERS], tmp, server.env()) for tmp in (first_tmp, second_tmp)]
        codes = [run.wait() for run in runs]
        took = time.monotonic() - started
        left = left_behind(server, before, first_tmp)
        if codes != [0, 0] or left != (0, 0) or any("flask-harness: removed" in run.output() for run in runs):
            fail(f"two runs at once on {server.name}: exits {codes}, left {say_left(*left)}:\n"
                 + "\n".join(run.output()[-3000:] for run in runs))
        passed = " + ".join(str(run.outcome("passed")) for run in runs)
        return Row(f"two runs at once, -n 2 each ({server.name})", f"0 (both green: {passed} passed)",
                   f"both done in {took:.1f} s", say_left(*left))


def hung_request() -> Row:
    """Serial e2e with one journey whose request never returns, under pytest-timeout's --timeout 10."""
    with own_tmpdir() as tmpdir, tempfile.TemporaryDirectory(prefix="fh-results-") as results:
        run = start([*E2E[:1], HUNG_JOURNEY, "--timeout", "10", "--output", results], tmpdir)
        code = run.wait()
        output = run.output()
        affected = set(re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.M))
        kept = [path for path in Path(results).rglob("*") if path.is_file()]
        names = sorted({path.name for path in kept})
        logs = "".join(path.read_text(errors="replace") for path in kept if path.name == "server.log")
        left = left_behind(Server("sqlite", None), set(), tmpdir)
        expected = {"trace.zip", "screenshot.png", "server.log"}
        if (code != 1 or len(affected) != 1 or "Timeout" not in output or not expected <= set(names)
                or "hang_forever" not in logs or run.outcome("passed") == 0):
            fail(f"a hung request should fail one test with its artifacts; affected {sorted(affected)}, kept "
                 f"{names}, exit {code}:\n{output[-4000:]}")
        return Row("request that never returns, --timeout 10 (serial e2e, SQLite)",
                   f"1 of {run.outcome('passed') + 1}",
                   f"kept {', '.join(sorted(expected))} (stuck request's stack in server.log)", say_left(*left))


def kill_connections(server: Server, database: str) -> int:
    """End every session on ``database`` from the server's side; how many were ended."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(server.url or "")
    postgres = url.get_backend_name() == "postgresql"
    engine = create_engine(url.set(database="postgres" if postgres else "information_schema"),
                           poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if postgres:
                return len(connection.scalars(text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": database}).all())
            ids = connection.scalars(text("SELECT id FROM information_schema.processlist WHERE db = :name"),
                                     {"name": database}).all()
            for session in ids:
                connection.execute(text(f"KILL {int(session)}"))
            return len(ids)
    finally:
        engine.dispose()


def connection_killed(server: Server) -> Row:
    """Serial integration; after 20 passes the server ends the worker database's sessions."""
    before = server.databases()
    with own_tmpdir() as tmpdir:
        run = start(INTEGRATION, tmpdir, server.env())
        run.wait_for_passes(20)
        [database] = [name for name in server.databases() - before if name.endswith("_main")]
        killed_at = time.monotonic()
        ended = kill_connections(server, database)
        code = run.wait()
        affected = run.outcome("failed") + run.outcome("error")
        later_passes = [at for at in run.passed() if at > killed_at]
        left = left_behind(server, before, tmpdir)
        if ended == 0 or affected != 1 or not later_passes or left != (0, 0) or code != 1:
            fail(f"a killed connection on {server.name} should cost one test; it cost {affected} "
                 f"({ended} sessions ended, exit {code}, left {say_left(*left)}):\n{run.output()[-4000:]}")
        return Row(f"database connection killed by the server ({server.name}, serial)",
                   f"{affected} of {run.outcome('passed') + affected}",
                   f"next test passed {later_passes[0] - killed_at:.1f} s after", say_left(*left))


def servers() -> list[Server]:
    found = [Server("SQLite", None)]
    for name, url in (("PostgreSQL", POSTGRES_URL), ("MariaDB", MARIADB_URL)):
        if server_available(url):
            found.append(Server(name, url))
        else:
            print(f"  ({name} does not answer at {url}: its rows are skipped)")
    return found


def main() -> None:
    print(f"Faults injected into this project's suite{' (quick)' if QUICK else ''}:")
    every = servers()
    postgres = [server for server in every if server.name == "PostgreSQL"]
    rows = [browser_killed()]
    rows += [ctrl_c(server) for server in every]
    rows += [killed_then_next_run(server) for server in every]
    rows += [two_runs_at_once(server) for server in postgres]
    rows += [connection_killed(server) for server in every if server.url is not None]
    rows.append(hung_request())
    widths = [max(len(getattr(row, column)) for row in rows) for column in ("fault", "affected", "recovery")]
    header = Row("fault", "tests affected", "recovery", "left behind")
    for row in [header, *rows]:
        print(f"  {row.fault:<{widths[0]}}  {row.affected:<{max(widths[1], 14)}}  "
              f"{row.recovery:<{widths[2]}}  {row.left}")


if __name__ == "__main__":
    main()
