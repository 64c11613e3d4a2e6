"""The mutation gate: each promise of the harness broken on purpose, and the tests that must notice.

``python -m bench.mutants [--only NAME]``: copies ``harness/src`` to a temporary folder, breaks one
promise at a time in the copy (a small realistic bug: a textual replacement that must match exactly
once, so a mutant cannot silently stop applying when the code moves), and runs the tests listed for
it against the copy (``PYTHONPATH`` puts it ahead of the installed harness, in pytester's projects
too). First the same tests run on the unbroken copy: they must pass, or a kill would mean nothing.

Prints every mutant with killed or survived and the test that killed it; exits non-zero when a
mutant survives, when one no longer applies, or when the baseline fails. Add a mutant whenever
the harness makes a new promise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT

HARNESS = ROOT / "harness"
PYTEST = ("-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-rfE")
BASELINE = ("-n", "2")  # every test once, on both cores
ONE_MUTANT = ("-x", "-p", "no:xdist")  # the first failure kills it; two mutants run side by side
# The harness test that failed, with pytest's one-line reason; pytester's projects print their own
# FAILED lines too, which name no file under tests/.
FIRST_FAILURE = re.compile(r"^(?:FAILED|ERROR) (tests/.*)$", re.MULTILINE)

RACE = "tests/test_live_isolation.py::test_a_test_thread_query_waits_for_a_live_request_holding_the_connection"
DRAIN = ("tests/test_live_isolation.py::"
         "test_a_request_still_running_after_the_test_is_reported_and_cut_off_from_the_database")
LOAD = ("tests/test_live_server_load.py::"
        "test_the_live_server_answers_parallel_fetches_a_large_upload_and_slow_clients_in_isolation")
TRACE_RERUN = "tests/test_trace_rerun.py::test_a_failing_journey_is_run_again_for_its_trace_and_stays_failed[serial]"
HUNG = "tests/test_hung_journey.py::test_a_hung_journey_fails_with_its_artifacts_and_the_worker_goes_on[xdist]"
LIVE_REPORTS = "tests/test_live_reports.py::test_server_errors_in_reports_and_artifacts"
BINDS = ("tests/test_binds.py::test_every_bind_gets_a_test_database_per_worker_rolled_back_with_the_default_"
         "and_dropped_at_the_end")


@dataclass(frozen=True)
class Mutant:
    """One broken promise: in ``path`` (under flask_harness/), each ``old`` becomes its ``new``."""

    name: str
    path: str
    edits: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]


MUTANTS = (
    Mutant("the rollback commits", "db/isolation.py",
           (("                    outer.rollback()", "                    outer.commit()"),),
           ("tests/test_backends.py::test_each_worker_has_its_own_test_database_rolled_back_per_test_and_"
            "dropped_at_the_end[sqlite-serial]",)),
    Mutant("no lock in share_between_threads", "db/isolation.py",
           (("        lock.acquire()\n", "        pass\n"),
            ("        self._held.locks.pop().release()\n", "        pass\n")),
           ("tests/test_isolation_units.py", RACE)),
    Mutant("no lock handed to the live server", "live/fixtures.py",
           (("_request_tracker.lock = _shared_connection.lock", "_request_tracker.lock = None"),),
           (RACE,)),
    Mutant("no drain before the rollback", "live/fixtures.py",
           (("stragglers = _request_tracker.wait_idle(DRAIN_TIMEOUT_SECONDS)", "stragglers = []"),),
           (DRAIN,)),
    Mutant("a request stuck past the drain keeps the lock the rollback waits for", "db/isolation.py",
           (("        self._abandoned.update(threads)\n        self.lock = threading.RLock()\n",
             "        self._abandoned.update(threads)\n"),),
           (HUNG,)),
    Mutant("an abandoned request still reaches the database", "db/isolation.py",
           (("        if threading.current_thread() in self._abandoned:", "        if False:"),),
           (DRAIN,)),
    Mutant("a slowly sent request body holds the shared connection's lock", "live/server.py",
           (("                body = receive_body(environ)\n", "                pass\n"),),
           (LOAD,)),
    Mutant("check_database always passes", "app/loading.py",
           (("    if wrong:\n        found", "    if False:\n        found"),),
           ("tests/test_app_loading.py::test_check_database_refuses_any_engine_elsewhere_naming_it_and_the_shapes",)),
    Mutant("the test_ guard accepts any name", "db/backends.py",
           (("    if not Path(name).name.startswith(TEST_PREFIX):", "    if False:"),),
           ("tests/test_databases.py::test_check_test_database_refuses_a_name_without_the_test_prefix",)),
    Mutant("console errors not recorded", "browser/page_watch.py",
           (("        if live is not None and _is_failure(message, settings, live):", "        if False:"),),
           (LIVE_REPORTS,)),
    Mutant("5xx dropped from the problems", "live/fixtures.py",
           (('        problems += [f"server answered {line}" for line in live.server_responses_5xx]\n', ""),),
           (LIVE_REPORTS,)),
    Mutant("5xx not recorded by the page watch", "browser/page_watch.py",
           (("        if live is not None and response.status >= 500:", "        if False:"),),
           (LIVE_REPORTS,)),
    Mutant("the reused page keeps its cookies", "browser/reused_page.py",
           (("        context.clear_cookies()", "        pass"),),
           ("tests/test_reused_page.py",)),
    Mutant("the reused page keeps its permissions", "browser/reused_page.py",
           (("            context.clear_permissions()\n", ""),),
           ("tests/test_reused_page.py",)),
    Mutant("the reused page keeps a test's routes", "browser/reused_page.py",
           (('        if "route" in used:', "        if False:"),),
           ("tests/test_reused_page.py",)),
    Mutant("a dead browser is not replaced", "browser/reused_page.py",
           (("        self.browser = self.launch()", "        self.browser = self.browser"),),
           ("tests/test_browser_crash.py",)),
    Mutant("flaky reported as passed", "run/results.py",
           (('        return "flaky"', '        return "passed"'),),
           ("tests/test_retries.py::test_each_attempt_keeps_its_own_files_and_a_test_passing_on_retry_is_flaky",)),
    Mutant("MySQL template without rows", "db/backends.py",
           (("SELECT * FROM `{source}`.`{table}`", "SELECT * FROM `{source}`.`{table}` WHERE 1 = 0"),),
           ("tests/test_databases.py::test_server_worker_databases_are_copies_of_the_template_and_all_are_"
            "dropped[mysql]",)),
    Mutant("reset_sequences restarts nothing", "db/sequences.py",
           (('    if engine.dialect.name == "sqlite":\n        return', "    if True:\n        return"),),
           ("tests/test_reset_sequences.py",)),
    Mutant("url_for fails outside a request again", "db/urls.py",
           (("    if context.url_adapter is None:", "    if False:"),),
           ("tests/test_urls_outside_requests.py::test_a_models_url_property_builds_inside_the_db_fixtures_context",)),
    Mutant("a live run's databases look dead", "db/leftovers.py",
           (("if run_id == own_run or not backend.run_is_dead(connection, run_id):", "if run_id == own_run:"),),
           ("tests/test_interrupts_and_leftovers.py::test_two_runs_at_once_on_one_server_leave_each_other_alone"
            "[postgresql]",)),
    Mutant("the run's end leaves its databases on the server", "db/leftovers.py",
           (("            elif own:\n", "            elif False:\n"),),
           ("tests/test_interrupts_and_leftovers.py::test_ctrl_c_ends_the_run_in_seconds_and_leaves_no_database_"
            "nor_folder[postgresql]",)),
    Mutant("a bind's statements go to the default connection", "db/isolation.py",
           (("        return connections.get(engine, self.bind)", "        return self.bind"),),
           (BINDS + "[postgresql-serial]",)),
    Mutant("the binds keep the app's own databases", "app/loading.py",
           (('    if test_binds and "sqlalchemy" in app.extensions:', "    if False:"),),
           (BINDS + "[sqlite-serial]",)),
    Mutant("a passing test records a trace (the chunk tracing.start opens is left open)", "browser/reused_page.py",
           (("~20 ms a navigation).\n                self.context.tracing.stop_chunk()\n", "~20 ms a navigation).\n"),),
           (TRACE_RERUN,)),
    Mutant("a test run again for its trace passes when the second run passes", "run/trace_policy.py",
           (('        report.outcome = "failed"\n', ""),),
           (TRACE_RERUN,)),
)


@dataclass
class Outcome:
    mutant: Mutant | None  # None: the baseline
    exit_code: int
    killer: str
    seconds: float
    output: str


def copy_harness(folder: Path) -> Path:
    """A copy of the harness's sources; returns the folder to put on PYTHONPATH."""
    source = folder / "src"
    shutil.copytree(HARNESS / "src", source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return source


def apply(mutant: Mutant, source: Path) -> None:
    path = source / "flask_harness" / mutant.path
    text = path.read_text()
    for old, new in mutant.edits:
        if text.count(old) != 1:
            raise SystemExit(f"mutant {mutant.name!r} no longer applies: {old.strip()!r} is in "
                             f"{mutant.path} {text.count(old)} times (expected once); update bench/mutants.py")
        text = text.replace(old, new)
    path.write_text(text)


def run_tests(mutant: Mutant | None, tests: tuple[str, ...]) -> Outcome:
    """The tests against a copy of the harness, broken by ``mutant`` (or not)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        source = copy_harness(Path(tmp))
        if mutant is not None:
            apply(mutant, source)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(source), os.environ.get("PYTHONPATH"))))}
        args = [*PYTEST, *(BASELINE if mutant is None else ONE_MUTANT)]
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", *args, f"--basetemp={tmp}/pytest", *tests],
                              cwd=HARNESS, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    found = FIRST_FAILURE.search(done.stdout)
    killer = found.group(1)[:200] if found else ""
    return Outcome(mutant, done.returncode, killer, seconds, done.stdout + done.stderr)


def check_copy_is_used() -> None:
    """Fail loudly if the copy on PYTHONPATH would not be the harness the tests import."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        source = copy_harness(Path(tmp))
        found = subprocess.run([sys.executable, "-c", "import flask_harness; print(flask_harness.__file__)"],
                               env={**os.environ, "PYTHONPATH": str(source)}, capture_output=True, text=True)
        if not found.stdout.startswith(str(source)):
            raise SystemExit(f"the copy is not imported first: flask_harness comes from {found.stdout!r}")


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    mutants = [m for m in MUTANTS if only is None or only in m.name]
    if not mutants:
        raise SystemExit(f"no mutant matches {only!r}")
    check_copy_is_used()
    every_test = tuple(dict.fromkeys(test for mutant in mutants for test in mutant.tests))
    print(f"Mutation gate: {len(mutants)} mutants of the harness's promises, {len(every_test)} tests")
    baseline = run_tests(None, every_test)
    if baseline.exit_code != 0:
        raise SystemExit(f"the tests fail on the unbroken harness (exit {baseline.exit_code}); "
                         f"no mutant can be judged:\n{baseline.output[-4000:]}")
    print(f"  baseline: every test passes on the unbroken copy ({baseline.seconds:.0f} s)")
    with ThreadPoolExecutor(max_workers=2) as pool:  # one pytest per core
        outcomes = list(pool.map(lambda m: run_tests(m, m.tests), mutants))
    survivors = []
    for outcome in outcomes:
        assert outcome.mutant is not None
        killed = outcome.exit_code == 1 and outcome.killer
        if not killed:
            survivors.append(outcome)
        verdict = f"killed by {outcome.killer}" if killed else f"SURVIVED (pytest exit {outcome.exit_code})"
        print(f"  {outcome.mutant.name:<40} {verdict}  [{outcome.seconds:.0f} s]")
    print(f"{len(outcomes) - len(survivors)} of {len(outcomes)} mutants killed")
    if survivors:
        for outcome in survivors:
            print(f"\n--- {outcome.mutant.name if outcome.mutant else ''}: last output\n{outcome.output[-2000:]}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
