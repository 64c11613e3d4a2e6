"""The hostile-input sweep: every route of the URL map, hostile requests, any 5xx shrunk and reported.

For each rule and method, Hypothesis searches for a request (path parameters typed from the
rule's converters, query string, body) that the app answers with a 5xx or an exception; the
first one found is shrunk to a minimal request, replayed once, and reported with the server's
traceback. Requests go through the Flask test client, never follow redirects, and each example
runs in a savepoint of the test's transaction that is rolled back after it (see ``run``).
"""

from __future__ import annotations

import hashlib
import re
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from hypothesis.strategies import SearchStrategy

    from flask_harness.db.isolation import SharedConnection

SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS"})
SHOWN_BODY_BYTES = 200
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?(?P<name>[a-zA-Z_]\w*)>")


class HostileSweep(Protocol):
    """The ``hostile_sweep`` fixture: sweep the app's routes with hostile requests, fail on any 5xx."""

    def __call__(self, client: FlaskClient, *, login: Callable[[FlaskClient], Mapping[str, str] | None] | None = None,
                 headers: Mapping[str, str] | None = None, budget: int | None = None, seed: int | None = None,
                 skip: Collection[str] = (), methods: Collection[str] | None = None,
                 allow_status: Collection[int] = (503,)) -> SweepResult: ...


@dataclass(frozen=True)
class Route:
    """One rule and one of its methods, with what each path variable's converter matches."""

    endpoint: str
    method: str
    rule: str
    converters: tuple[tuple[str, str, tuple[Any, ...], dict[str, Any]], ...]  # name, kind, args, kwargs

    def __str__(self) -> str:
        return f"{self.method} {self.rule} ({self.endpoint})"


@dataclass(frozen=True)
class HostileRequest:
    """A request exactly as sent: method, encoded path and query, content type and body."""

    method: str
    path: str
    query: str
    content_type: str | None
    body: bytes | None

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def __repr__(self) -> str:
        return f"HostileRequest({self.describe()!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis pretty-prints each example it tries; a 100 kB body would make it warn.
        printer.text(repr(self))

    def describe(self) -> str:
        """The request, with a long URL or body shortened."""
        url = self.url if len(self.url) <= 300 else f"{self.url[:300]}… ({len(self.url)} characters)"
        lines = [f"{self.method} {url}"]
        if self.content_type is not None:
            lines.append(f"Content-Type: {self.content_type}")
        if self.body is not None:
            shown = repr(self.body[:SHOWN_BODY_BYTES]) + ("…" if len(self.body) > SHOWN_BODY_BYTES else "")
            lines.append(f"body ({len(self.body)} bytes): {shown}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Finding:
    """A route's minimal failing request, what it got, and the server's traceback."""

    route: Route
    request: HostileRequest
    status: str
    traceback: str

    def describe(self) -> str:
        return (f"{self.route}\n  request:\n{_indent(self.request.describe(), 4)}\n  status: {self.status}\n"
                f"  server traceback:\n{_indent(self.traceback.rstrip() or '(none recorded)', 4)}")


@dataclass
class SweepResult:
    """What one sweep did: routes, requests sent, seconds, and the failures found."""

    who: str
    seed: int
    budget: int
    routes: list[Route] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        return (f"hostile sweep ({self.who}): {len(self.routes)} routes, {self.requests} requests in "
                f"{self.seconds:.1f}s, budget {self.budget}, seed {self.seed}")

    def report(self) -> str:
        """Every finding, then how to replay the run."""
        head = f"{self.summary()}: {len(self.findings)} route(s) answered 5xx or raised"
        body = "\n\n".join(finding.describe() for finding in self.findings)
        return f"{head}\n\n{body}\n\nReplay with --sweep-seed {self.seed} --sweep-budget {self.budget}."


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


# --- the URL map ------------------------------------------------------------------------------------------


def _kind(converter: type) -> str:
    from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, PathConverter, UUIDConverter

    for kind, base in (("int", IntegerConverter), ("float", FloatConverter), ("uuid", UUIDConverter),
                       ("path", PathConverter), ("any", AnyConverter)):
        if issubclass(converter, base):
            return kind
    return "string"


def routes(app: Flask, *, skip: Collection[str] = (), methods: Collection[str] | None = None) -> list[Route]:
    """Every rule x method of the app, without ``static``, the skipped endpoints, HEAD and OPTIONS."""
    from werkzeug.routing.rules import parse_converter_args

    found = []
    skipped = {"static", *skip}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in skipped or rule.endpoint.endswith(".static"):
            continue
        converters = []
        for match in _VARIABLE.finditer(rule.rule):
            name = match["converter"] or "default"
            args, kwargs = parse_converter_args(match["args"]) if match["args"] else ((), {})
            converters.append((match["name"], _kind(app.url_map.converters[name]), args, kwargs))
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            if methods is None or method in methods:
                found.append(Route(rule.endpoint, method, rule.rule, tuple(converters)))
    return found


def request_strategy(route: Route) -> SearchStrategy[HostileRequest]:
    """Hostile requests for one route: typed path values, a query string, a body unless GET."""
    from hypothesis import strategies as st

    from flask_harness.routes import values as hv

    def segment(kind: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> SearchStrategy[str]:
        if kind == "int":
            return hv.int_segment(signed=bool(kwargs.get("signed")))
        if kind == "float":
            return hv.float_segment()
        if kind == "uuid":
            return hv.uuid_segment()
        if kind == "any":
            return hv.any_segment(tuple(str(item) for item in args))
        return hv.text_segment(allow_slash=kind == "path")

    names = tuple(dict.fromkeys(hv.GENERIC_NAMES + tuple(name for name, *_ in route.converters)))
    segments = st.tuples(*(segment(kind, args, kwargs) for _, kind, args, kwargs in route.converters))
    body = st.none() if route.method == "GET" else hv.body(names)

    def build(values: tuple[str, ...], query: str, content: tuple[str, bytes] | None) -> HostileRequest:
        parts = iter(values)
        path = _VARIABLE.sub(lambda _match: next(parts), route.rule)
        content_type, data = content if content is not None else (None, None)
        return HostileRequest(route.method, path, query, content_type, data)

    return st.builds(build, segments, st.one_of(st.just(""), hv.query_string(names)), body)


# --- sending ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The answer to one request: its status (or the exception that escaped) and server tracebacks."""

    status: str = ""
    code: int | None = None
    failed: bool = False
    location: str | None = None
    tracebacks: list[str] = field(default_factory=list)


class Sender:
    """Sends requests through a cookie-less test client, recording the server's tracebacks.

    Cookie-less, so that a request that logs out (or sets any cookie) changes nothing for the next;
    a login travels as a ``Cookie`` header in ``headers``.
    """

    def __init__(self, app: Flask, headers: Mapping[str, str], allow_status: Collection[int],
                 shared: SharedConnection | None) -> None:
        self.client = app.test_client(use_cookies=False)
        self.headers = dict(headers)
        self.allow_status = frozenset(allow_status)
        self.shared = shared
        self.count = 0
        self._tracebacks: list[str] = []

    def record(self, sender: Flask, exception: BaseException, **_extra: Any) -> None:
        """``got_request_exception`` receiver."""
        self._tracebacks.append(short_traceback(exception))

    def open(self, path: str, *, method: str, headers: Mapping[str, str], **kwargs: Any) -> Outcome:
        """One request; a 5xx (unless allowed) or an exception escaping the app is a failure."""
        self._tracebacks = []
        self.count += 1
        outcome = Outcome()
        try:
            response = self.client.open(path, method=method, headers={**self.headers, **headers},
                                        follow_redirects=False, **kwargs)
        except Exception as exc:  # the app's own error handling raised: as bad as a 500
            outcome.status = f"raised {type(exc).__name__} out of the app"
            outcome.failed = True
            self._tracebacks.append(short_traceback(exc))
        else:
            outcome.status, outcome.code = response.status, response.status_code
            outcome.location = response.headers.get("Location")
            outcome.failed = response.status_code >= 500 and response.status_code not in self.allow_status
            response.close()
        outcome.tracebacks = list(self._tracebacks)
        return outcome

    def send(self, request: HostileRequest) -> Outcome:
        """Send a hostile request, its database changes rolled back after it."""
        headers = {"Content-Type": request.content_type} if request.content_type is not None else {}
        with self.rolled_back():
            return self.open(request.path, method=request.method, headers=headers, query_string=request.query,
                             data=request.body)

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """A savepoint of the test's transaction, rolled back after the block (when there is one)."""
        if self.shared is None:
            yield
        else:
            with self.shared.savepoint():
                yield


def short_traceback(exception: BaseException, library_frames: int = 5) -> str:
    """The traceback without the frames of installed libraries, except the last few (where it broke)."""
    frames = traceback.extract_tb(exception.__traceback__)
    kept = [frame for index, frame in enumerate(frames)
            if "site-packages" not in frame.filename or index >= len(frames) - library_frames]
    skipped = len(frames) - len(kept)
    lines = ["Traceback (most recent call last):" + (f" ({skipped} library frames left out)" if skipped else "")]
    lines += [line.rstrip("\n") for line in traceback.format_list(kept)]
    lines += [line.rstrip("\n") for line in traceback.format_exception_only(exception)]
    return "\n".join(lines)


def _route_seed(seed: int, route: Route) -> int:
    digest = hashlib.sha256(f"{seed}:{route.method}:{route.rule}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def sweep_route(sender: Sender, route: Route, budget: int, seed: int) -> Finding | None:
    """Search one route for a failing request; shrink it, replay it, and describe it."""
    from random import Random

    from hypothesis import HealthCheck, Phase, errors, find, settings

    def fails(request: HostileRequest) -> bool:
        return sender.send(request).failed

    search = settings(database=None, max_examples=budget, deadline=None, suppress_health_check=list(HealthCheck),
                      phases=[Phase.generate, Phase.shrink], print_blob=False)
    try:
        minimal = find(request_strategy(route), fails, settings=search, random=Random(_route_seed(seed, route)))
    except errors.NoSuchExample:
        return None
    outcome = sender.send(minimal)
    if not outcome.failed:
        return Finding(route, minimal, "no longer fails when replayed (flaky: depends on earlier requests)",
                       "")
    return Finding(route, minimal, outcome.status, "\n".join(outcome.tracebacks))


@contextmanager
def serving_errors(app: Flask, sender: Sender) -> Iterator[None]:
    """Let exceptions become 500s (tracebacks kept through ``got_request_exception``), app logger quiet."""
    from flask import got_request_exception

    saved = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    # Shrinking replays a failure hundreds of times; the report holds its traceback once.
    logger_was_disabled = app.logger.disabled
    app.logger.disabled = True
    try:
        with got_request_exception.connected_to(sender.record, app):
            yield
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = saved
        app.logger.disabled = logger_was_disabled


def run(app: Flask, *, who: str, headers: Mapping[str, str], budget: int, seed: int,
        skip: Collection[str] = (), methods: Collection[str] | None = None,
        allow_status: Collection[int] = (503,), shared: SharedConnection | None = None) -> SweepResult:
    """Sweep every route; with ``shared``, each request's changes are rolled back after it.

    Without ``shared`` (a ``live_commit`` test), requests share state within the sweep.
    """
    result = SweepResult(who, seed, budget, routes(app, skip=skip, methods=methods))
    sender = Sender(app, headers, allow_status, shared)
    started = time.perf_counter()
    with serving_errors(app, sender):
        for route in result.routes:
            finding = sweep_route(sender, route, budget, seed)
            if finding is not None:
                result.findings.append(finding)
    result.requests = sender.count
    result.seconds = time.perf_counter() - started
    return result


def cookie_header(client: FlaskClient) -> str | None:
    """The Cookie header the client sends now (its login), read from one OPTIONS request."""
    from flask import request_started

    seen: list[str | None] = []

    def capture(sender: Flask, **_extra: Any) -> None:
        from flask import request

        seen.append(request.headers.get("Cookie"))

    with request_started.connected_to(capture, client.application):
        client.open("/", method="OPTIONS").close()
    return seen[0] if seen else None
