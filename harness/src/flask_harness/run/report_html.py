"""The run's report as one self-contained HTML file: no server, no network, opens from the file system.

Per test: outcome (passed, failed, flaky, skipped), duration, attempts; per attempt: the failure,
its steps, the screenshot inline (a data URI), links to the video and trace with the command that
opens the trace, the live server's log and tracebacks, the browser's console and page errors.
Buttons filter by outcome and a search box filters by name (inline script).
"""

from __future__ import annotations

import base64
import datetime
import os
import re
from html import escape
from pathlib import Path
from typing import Any

from flask_harness.run.results import OUTCOMES, RunResults, verdict

MAX_INLINE_IMAGE = 5_000_000  # bytes; a larger screenshot is linked instead
TRACEBACK_START = "Traceback (most recent call last):"
# Frames of installed packages (Flask, Werkzeug, …) and of the standard library: collapsed.
FRAMEWORK_FILE = re.compile(r"[/\\](site-packages|dist-packages|lib[/\\]python\d[\d.]*)[/\\]")
ENVIRONMENT = (("app", "App"), ("database", "Database"), ("browser", "Browser"))

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{background:#fff;border-bottom:1px solid #ddd;padding:12px 20px;position:sticky;top:0}
h1{font-size:20px;margin:0 0 6px}
nav{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
nav button{border:1px solid #bbb;background:#fff;border-radius:14px;padding:3px 12px;cursor:pointer}
nav button[aria-pressed=true]{background:#1b1b1b;color:#fff}
input[type=search]{margin-left:auto;padding:4px 8px;min-width:260px}
main{padding:12px 20px}
details.test{background:#fff;border:1px solid #ddd;border-radius:6px;margin:6px 0}
details.test>summary{padding:8px 12px;cursor:pointer;display:flex;gap:10px;align-items:baseline}
.name{font-family:ui-monospace,monospace;flex:1;word-break:break-all}
.meta{color:#666;white-space:nowrap}
.badge{display:inline-block;min-width:54px;text-align:center;border-radius:4px;padding:0 6px;color:#fff;font-size:12px}
.passed{background:#2e7d32}.failed{background:#c62828}.flaky{background:#ef6c00}.skipped{background:#757575}
.attempt{border-top:1px solid #eee;padding:8px 12px}
pre{background:#f3f3f3;padding:8px;overflow:auto;max-height:360px;font-size:12px;white-space:pre-wrap}
table.steps{border-collapse:collapse;font-size:13px}table.steps td{padding:1px 8px}
.step-failed{color:#c62828;font-weight:600}
img.screenshot{display:block;box-sizing:border-box;max-width:320px;max-height:240px;object-fit:contain;
  object-position:left top;border:1px solid #ccc}
p.exception{font:600 13px ui-monospace,monospace;color:#c62828;white-space:pre-wrap;margin:4px 0}
details.framework>summary,details.chained>summary{cursor:pointer;color:#666;font-size:12px}
header p.environment{margin:0 0 6px;color:#444}
code{font-family:ui-monospace,monospace}
"""

SCRIPT = """
(function () {
  var filter = "all";
  var tests = Array.prototype.slice.call(document.querySelectorAll("details.test"));
  var search = document.getElementById("search");
  var empty = document.getElementById("empty");
  function apply() {
    var words = search.value.toLowerCase().trim();
    var shown = 0;
    tests.forEach(function (test) {
      var visible = (filter === "all" || test.dataset.outcome === filter) &&
        (!words || test.dataset.name.indexOf(words) !== -1);
      test.hidden = !visible;
      if (visible) { shown += 1; }
    });
    empty.hidden = shown !== 0;
  }
  document.querySelectorAll("nav button").forEach(function (button) {
    button.addEventListener("click", function () {
      filter = button.dataset.filter;
      document.querySelectorAll("nav button").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      apply();
    });
  });
  search.addEventListener("input", apply);
})();
"""


def _link(path: Path, report_folder: Path) -> str:
    try:
        return Path(os.path.relpath(path, report_folder)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_uri()


def _file(record: dict[str, Any], relative: str, results: RunResults) -> Path:
    path = Path(relative)
    return path if path.is_absolute() else Path(record.get("base") or results.base) / path


def _steps(steps: list[dict[str, Any]]) -> str:
    rows = []
    for step in steps:
        mark = "✗" if step["error"] else "✓"
        css = ' class="step-failed"' if step["error"] else ""
        error = f" — {escape(step['error'])}" if step["error"] else ""
        indent = "&nbsp;" * 4 * step["depth"]
        rows.append(f"<tr{css}><td>{mark}</td><td>{step['duration']:.2f} s</td>"
                    f"<td>{indent}{escape(step['name'])}{error}</td></tr>")
    return f'<table class="steps" aria-label="steps">{"".join(rows)}</table>'


def _artifacts(record: dict[str, Any], results: RunResults, report_folder: Path) -> str:
    parts = []
    for artifact in record["artifacts"]:
        path = _file(record, artifact["path"], results)
        kind = artifact["kind"]
        if kind == "screenshot" and path.is_file() and path.stat().st_size <= MAX_INLINE_IMAGE:
            # A thumbnail: a full-page screenshot of a near-empty page would fill the screen.
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            parts.append(f'<p>Screenshot (open it for full size):</p><a href="{escape(_link(path, report_folder))}">'
                         f'<img class="screenshot" alt="screenshot of attempt {record["attempt"]}" '
                         f'src="data:image/png;base64,{data}"></a>')
        elif kind == "trace":
            parts.append(f'<p>Trace: <a href="{escape(_link(path, report_folder))}">{escape(artifact["path"])}</a>'
                         f' — open it with <code>playwright show-trace {escape(str(path))}</code></p>')
        elif kind in ("server log", "server tracebacks"):
            continue  # shown as text below
        else:
            parts.append(f'<p>{escape(kind.capitalize())}: <a href="{escape(_link(path, report_folder))}">'
                         f'{escape(artifact["path"])}</a></p>')
    return "".join(parts)


def _split_traceback(text: str) -> tuple[str, list[tuple[str, str]], str]:
    """(the exceptions it was raised while handling, [(file, frame text)], the exception's own lines)."""
    start = text.rfind(TRACEBACK_START)
    earlier, last = text[:max(start, 0)].rstrip(), text[max(start, 0):]
    frames: list[tuple[str, str]] = []
    exception: list[str] = []
    for line in last.splitlines()[1:]:
        found = re.match(r'  File "([^"]+)"', line)
        if found and not exception:
            frames.append((found.group(1), line))
        elif line.startswith("    ") and frames and not exception:
            file, lines = frames[-1]
            frames[-1] = (file, f"{lines}\n{line}")
        elif line.strip():
            exception.append(line)
    return earlier, frames, "\n".join(exception)


def exception_of(text: str) -> str:
    """A traceback's last line: the exception and its message."""
    lines = _split_traceback(text)[2].splitlines()
    return lines[-1] if lines else ""


def _server_traceback(entry: str) -> str:
    """The exception's line first, then the app's frames, then the framework's and earlier ones collapsed."""
    request, _, text = entry.partition("\n")
    earlier, frames, exception = _split_traceback(text)
    if not frames or not exception:
        return f"<pre>{escape(entry)}</pre>"
    own = [frame for file, frame in frames if not FRAMEWORK_FILE.search(file)] or [frames[-1][1]]
    framework = [frame for file, frame in frames if FRAMEWORK_FILE.search(file) and frame not in own]
    html = [f'<p class="exception">{escape(exception)}</p><p class="meta">on {escape(request)}, '
            f"most recent call last:</p><pre>{escape(chr(10).join(own))}</pre>"]
    if framework:
        html.append(f'<details class="framework"><summary>{len(framework)} frames of the framework and '
                    f"libraries (Flask, Werkzeug, site-packages)</summary><pre>{escape(chr(10).join(framework))}"
                    "</pre></details>")
    if earlier:
        html.append('<details class="chained"><summary>the exception it was raised while handling</summary>'
                    f"<pre>{escape(earlier)}</pre></details>")
    return "".join(html)


def _message(record: dict[str, Any]) -> str:
    """The failure, each server traceback in it cut to its exception's line (it is shown below)."""
    message = str(record["message"])
    for entry in record["server_errors"]:
        request, _, text = entry.partition("\n")
        message = message.replace(f"server error on {request}:\n{text.rstrip()}", f"server error on {request}: "
                                  f"{exception_of(text)} (traceback under Server tracebacks)")
    return message


def _attempt(record: dict[str, Any], count: int, results: RunResults, report_folder: Path) -> str:
    outcome = record["outcome"]
    title = f"Attempt {record['attempt']} of {count}" if count > 1 else "Run"
    html = [f'<section class="attempt"><h3><span class="badge {outcome}">{outcome}</span> {title} '
            f'<span class="meta">{record["duration"]:.2f} s'
            f'{" — failed in " + escape(record["failed_phase"]) if record["failed_phase"] else ""}</span></h3>']
    if record["message"]:
        html.append(f"<pre>{escape(_message(record))}</pre>")
    if record["steps"]:
        html.append(_steps(record["steps"]))
    html.append(_artifacts(record, results, report_folder))
    if record["browser_problems"]:
        html.append(f"<p>Console and page errors:</p><pre>{escape(chr(10).join(record['browser_problems']))}</pre>")
    if record["server_errors"]:
        html.append(f"<p>Server tracebacks:</p>{''.join(_server_traceback(e) for e in record['server_errors'])}")
    if record["server_log"]:
        html.append(f"<p>Live server log:</p><pre>{escape(record['server_log'])}</pre>")
    html.append("</section>")
    return "".join(html)


def _test(nodeid: str, attempts: list[dict[str, Any]], results: RunResults, report_folder: Path) -> str:
    outcome = verdict(attempts)
    duration = sum(attempt["duration"] for attempt in attempts)
    count = len(attempts)
    opened = " open" if outcome in ("failed", "flaky") else ""
    body = "".join(_attempt(record, count, results, report_folder) for record in attempts)
    return (f'<details class="test" data-outcome="{outcome}" data-name="{escape(nodeid.lower())}"{opened}>'
            f'<summary><span class="badge {outcome}">{outcome}</span><span class="name">{escape(nodeid)}</span>'
            f'<span class="meta">{duration:.2f} s{f" · {count} attempts" if count > 1 else ""}</span></summary>'
            f"{body}</details>")


def render(results: RunResults, report_path: Path, title: str = "Test report") -> str:
    """The report's HTML; links to files are relative to where the report will be written."""
    report_folder = report_path.resolve().parent
    counts = results.counts()
    order = {outcome: index for index, outcome in enumerate(OUTCOMES)}
    tests = sorted(results.tests.items(), key=lambda entry: (order[verdict(entry[1])], entry[0]))
    buttons = [f'<button type="button" data-filter="all" aria-pressed="true">All ({len(results.tests)})</button>']
    buttons += [f'<button type="button" data-filter="{outcome}" aria-pressed="false">'
                f"{outcome.capitalize()} ({counts[outcome]})</button>" for outcome in OUTCOMES]
    total = sum(sum(a["duration"] for a in attempts) for attempts in results.tests.values())
    generated = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    summary = ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES if counts[outcome])
    environment = results.environment()
    ran_on = " · ".join(f"{label}: " + ", ".join(f"<code>{escape(value)}</code>" for value in environment[key])
                        for key, label in ENVIRONMENT if key in environment)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><header><h1>{escape(title)}</h1>"
        f"<p>{escape(summary or 'no tests')} — {total:.1f} s of tests — generated {generated}</p>"
        f"{f'<p class=environment>{ran_on}</p>' if ran_on else ''}"
        f'<nav aria-label="filter by outcome">{"".join(buttons)}'
        f'<input id="search" type="search" placeholder="Search by name" aria-label="Search tests by name"></nav>'
        f"</header><main>{''.join(_test(n, a, results, report_folder) for n, a in tests)}"
        f'<p id="empty" hidden>No test matches.</p></main><script>{SCRIPT}</script></body></html>'
    )


def write(results: RunResults, report_path: Path, title: str = "Test report") -> Path:
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(render(results, report_path, title), encoding="utf-8")
    return report_path
