"""The pytest hooks of the Flask harness; fixtures live in harness.fixtures, .live and .browser."""

from __future__ import annotations

import shutil
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from harness import settings as harness_settings
from harness.databases import backend_for
from harness.e2e_config import apply_to_playwright_options, load_config
from harness.settings import shared_root

pytest_plugins = ["harness.fixtures", "harness.live", "harness.browser"]


def pytest_addoption(parser: pytest.Parser) -> None:
    harness_settings.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """playwright.config.py supplies the defaults of pytest-playwright's flags."""
    config.addinivalue_line("markers", "live_commit: the live server commits for real; tables are "
                            "emptied after the test")
    config.addinivalue_line("markers", "expect_server_error: the test expects the live server to "
                            "answer 5xx or raise")
    apply_to_playwright_options(config, load_config(config.rootpath))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Empty the artifact folder once per run, before any worker starts saving failures in it."""
    config = session.config
    output = getattr(config.option, "output", None)
    if output and not hasattr(config, "workerinput") and Path(output).is_dir():
        shutil.rmtree(output, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id, so they agree on database names."""
    node.workerinput[harness_settings.RUN_ID_KEY] = harness_settings.run_id(node.config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a browser test that passed but met a server exception, a 5xx or a browser error."""
    from harness.browser import problems_of  # imported late: it is a plugin module itself

    result = yield
    problems = problems_of(item)
    if problems:
        pytest.fail("The live app or the browser reported problems:\n\n" + "\n\n".join(problems),
                    pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """When a browser test fails, keep its artifacts and print where they are."""
    from harness.browser import capture_failure

    report = yield
    if report.when == "call" and report.failed:
        live = getattr(item, "_harness_live", None)
        if live is not None and live.server_errors:
            report.sections.append(("live server tracebacks", "\n".join(
                f"{error.method} {error.path}\n{error.traceback}" for error in live.server_errors)))
        try:
            paths = capture_failure(item)
        except Exception as exc:  # a broken page must not hide the test's own failure
            report.sections.append(("flask-harness artifacts", f"could not save artifacts: {exc!r}"))
        else:
            if paths:
                lines = [str(path) for path in paths]
                traces = [p for p in paths if p.suffix == ".zip"]
                if traces:
                    lines.append(f"open the trace with: playwright show-trace {traces[0]}")
                report.sections.append(("flask-harness artifacts", "\n".join(lines)))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On the controller (or a run without xdist): drop the template, or say what was kept."""
    config = session.config
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    try:
        settings = harness_settings.load(config)
    except pytest.UsageError:
        return
    root = shared_root(config._tmp_path_factory, "main")  # type: ignore[attr-defined]
    backend = backend_for(settings.database_url, root, settings.run_id)
    if settings.keep_db:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            worker = "gw0" if getattr(config.option, "numprocesses", None) else "main"
            reporter.write_line(f"flask-harness: kept test databases like {backend.describe(worker)}")
        return
    if not settings.database_url.startswith("sqlite"):
        backend.drop_template()
