"""A live HTTP server for browser tests: werkzeug's threaded server in a thread of this process."""

from __future__ import annotations

import logging
import re
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # werkzeug's server is imported when a live server starts, not with the plugin
    from werkzeug.serving import BaseWSGIServer

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")
LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
HARNESS_LOGGER = "flask_harness.live"  # the name on the harness's own notes in the server's log
BODY_IN_MEMORY_BYTES = 8 * 1024 * 1024  # a larger request body is received into a temporary file


class PlainFormatter(logging.Formatter):
    """The log file's format, without the terminal colours werkzeug adds to status codes."""

    def format(self, record: logging.LogRecord) -> str:
        return ANSI_CODES.sub("", super().format(record))


_server_thread = threading.local()


def in_server_thread() -> bool:
    """Whether this thread is serving a live server request."""
    return getattr(_server_thread, "serving", False)


class ServerThreadLogs(logging.Filter):
    """On a logger: records of live-server threads go to the server's log file, and nowhere else.

    pytest's log capture listens on the root logger and on non-propagating ones like werkzeug's;
    without this filter a failing test's report repeats every request line (with its colour
    codes) and every server traceback in its "Captured log" section.
    """

    def __init__(self, handler: logging.Handler) -> None:
        super().__init__()
        self.handler = handler

    def filter(self, record: logging.LogRecord) -> bool:
        if not in_server_thread():
            return True
        if record.levelno >= self.handler.level:
            self.handler.handle(record)
        return False


class ServerURL(str):
    """The server's URL; called, as pytest-flask's ``live_server.url(path)``, it is that URL with ``path``."""

    __slots__ = ()

    def __call__(self, path: str = "") -> str:
        return str(self) + path


class LiveServerError(RuntimeError):
    """The live server could not start, or stopped with an error."""


@dataclass
class ServerError:
    """An exception raised by the app while serving a request."""

    method: str
    path: str
    traceback: str
    exception: BaseException | None = field(default=None, repr=False, compare=False)


@dataclass
class RunningRequest:
    """A request the live server is serving: what it is, since when, and in which thread."""

    label: str
    thread: threading.Thread
    started: float = field(default_factory=time.monotonic)

    def age(self) -> float:
        """Seconds since the request started."""
        return time.monotonic() - self.started

    def describe(self) -> str:
        """The request, its age and its thread's current stack (file, line and function of each frame)."""
        frame = sys._current_frames().get(self.thread.ident or 0)
        stack = "".join(traceback.format_stack(frame)) if frame is not None else "  (its thread has ended)\n"
        return f"{self.label}, running for {self.age():.1f}s (thread {self.thread.name}):\n{stack}"


@dataclass
class RequestTracker:
    """WSGI middleware: serialises requests on the shared connection and records what happens.

    ``lock`` (when set) is held for the whole of each request, so the test thread never uses the
    shared database connection in the middle of a request; the request's body is received before
    that, so a client that sends it slowly holds up no other request. Exceptions are recorded with their
    traceback, once: ``record`` takes those the app handles itself (Flask's
    ``got_request_exception``), and the ones that escape are recorded and re-raised, so werkzeug
    still answers 500. A request the harness gave up on (``abandon``) is no longer waited for,
    and what it raises later is no later test's error.
    """

    app: WSGIApp
    lock: Any = None
    errors: list[ServerError] = field(default_factory=list)
    running: dict[threading.Thread, RunningRequest] = field(default_factory=dict)
    abandoned: set[threading.Thread] = field(default_factory=set)
    _idle: threading.Condition = field(default_factory=threading.Condition)
    _current: threading.local = field(default_factory=threading.local)

    def serving(self) -> bool:
        """Whether this thread is serving a live server request (not a test-client one)."""
        return getattr(self._current, "environ", None) is not None

    def record(self, exception: BaseException) -> None:
        """Record an exception raised while serving the current request."""
        environ = getattr(self._current, "environ", None) or {}
        if threading.current_thread() in self.abandoned:
            return
        if any(error.exception is exception for error in self.errors):
            return
        self.errors.append(ServerError(
            environ.get("REQUEST_METHOD", "?"), environ.get("PATH_INFO", "?"),
            "".join(traceback.format_exception(exception)), exception,
        ))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        thread = threading.current_thread()
        with self._idle:
            self.running[thread] = RunningRequest(f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}",
                                                  thread)
        self._current.environ = environ
        body = None
        try:
            if self.lock is not None:
                body = receive_body(environ)
            with self.lock if self.lock is not None else nullcontext():
                try:
                    answer = self.app(environ, start_response)
                except Exception as exc:
                    self.record(exc)
                    raise
        except BaseException:
            if body is not None:
                body.close()
            raise
        finally:
            self._current.environ = None
            with self._idle:
                self.running.pop(thread, None)
                self.abandoned.discard(thread)
                self._idle.notify_all()
        if body is None:
            return answer
        return answer_then_close(answer, body)  # a streamed answer may still read the body

    def wait_idle(self, timeout: float) -> list[RunningRequest]:
        """Wait until no request is running; return the ones still running after ``timeout``."""
        with self._idle:
            self._idle.wait_for(lambda: not self.running, timeout)
            return sorted(self.running.values(), key=lambda request: request.started)

    def now_running(self) -> list[RunningRequest]:
        """The requests running now, oldest first."""
        return self.wait_idle(0)

    def abandon(self, requests: list[RunningRequest]) -> None:
        """Stop waiting for these requests: later drains skip them, and their errors are not recorded."""
        with self._idle:
            for request in requests:
                if self.running.pop(request.thread, None) is not None:
                    self.abandoned.add(request.thread)


def receive_body(environ: dict[str, Any]) -> IO[bytes] | None:
    """Read the whole request body now; the app reads it from memory or a temporary file (returned)."""
    from werkzeug.wsgi import get_input_stream

    if not environ.get("wsgi.input_terminated") and environ.get("CONTENT_LENGTH", "0") in ("", "0"):
        return None  # no body
    body = tempfile.SpooledTemporaryFile(max_size=BODY_IN_MEMORY_BYTES)  # noqa: SIM115 (closed with the answer)
    try:
        shutil.copyfileobj(get_input_stream(environ, max_content_length=None), body)
    except BaseException:  # the client went away in the middle of it
        body.close()
        raise
    environ["CONTENT_LENGTH"] = str(body.tell())
    body.seek(0)
    environ["wsgi.input"] = body
    return body


def answer_then_close(answer: Iterable[bytes], body: IO[bytes]) -> Iterator[bytes]:
    """The app's answer, then its ``close()`` and the body's, whether werkzeug closes it or not.

    werkzeug skips ``close()`` when draining a connection the client reset raises; this generator's
    ``finally`` runs all the same when werkzeug lets go of it.
    """
    try:
        yield from answer
    finally:
        try:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        finally:
            body.close()


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 and a free port, from a background thread.

    ``start`` returns once the server accepts connections, or raises the server's own error;
    ``stop`` shuts it down and joins the thread. Request logs go to ``log_path``.
    """

    def __init__(self, app: WSGIApp, host: str = "127.0.0.1", port: int = 0,
                 log_path: Path | None = None, public_url: Callable[[int], str] | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.app = app
        self.host = host
        self.ssl_context = ssl_context  # HTTPS: live_server_scheme = "https" (see live.tls)
        self.ca_file: Path | None = None  # the authority that signed its certificate, for Python clients
        self.public_url = public_url  # port -> the URL browsers open, when they are elsewhere
        self.requested_port = port
        self.log_path = log_path
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._serving = threading.Event()
        self._log_handler: logging.Handler | None = None
        self._log_filter: ServerThreadLogs | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise LiveServerError("The live server is not running.")
        return self._server.server_port

    @property
    def url(self) -> ServerURL:
        scheme = "https" if self.ssl_context is not None else "http"
        return ServerURL(self.public_url(self.port) if self.public_url else f"{scheme}://{self.host}:{self.port}")

    def start(self, timeout: float = 5.0) -> None:
        """Bind, start serving, and wait (at most ``timeout`` s) until a connection succeeds."""
        from werkzeug.serving import make_server

        self._route_logs()
        try:
            self._server = make_server(self.host, self.requested_port, self._marked_app, threaded=True,
                                       ssl_context=self.ssl_context)
        except (OSError, SystemExit) as exc:  # werkzeug calls sys.exit(1) when the port is taken
            self.stop()  # detach the log handler added above
            raise LiveServerError(f"Live server could not bind {self.host}:{self.requested_port}: {exc}") from exc
        self._thread = threading.Thread(target=self._serve, name="live-server", daemon=True)
        self._thread.start()
        if not self._serving.wait(timeout) or self._failure is not None:
            failure = self._failure
            self.stop()
            raise LiveServerError(
                f"Live server did not start within {timeout}s: {failure!r}"
            ) from failure
        try:  # the socket listens since make_server; prove a client gets through
            with socket.create_connection((self.host, self.port), timeout=timeout):
                pass
        except OSError as exc:
            self.stop()
            raise LiveServerError(f"Live server does not accept connections: {exc}") from exc

    def _marked_app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # werkzeug serves each request in a thread of its own: mark it as the server's
        _server_thread.serving = True
        return self.app(environ, start_response)

    def _serve(self) -> None:
        try:
            assert self._server is not None
            self._serving.set()
            self._server.serve_forever(poll_interval=0.05)
        except BaseException as exc:  # reported by start()
            self._failure = exc
            self._serving.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close the socket and join the thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise LiveServerError(f"Live server thread did not stop within {timeout}s.")
        self._server = None
        self._thread = None
        if self._log_handler is not None:
            logger = logging.getLogger("werkzeug")
            logger.removeHandler(self._log_handler)
            if self._log_filter is not None:
                logger.removeFilter(self._log_filter)
            self._log_handler.close()
            self._log_handler = None
            self._log_filter = None

    def _route_logs(self) -> None:
        """Send werkzeug's request log to the log file instead of the terminal."""
        logger = logging.getLogger("werkzeug")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        if self.log_path is None:
            self._log_handler = logging.NullHandler()
        else:
            handler = logging.FileHandler(self.log_path, encoding="utf-8")
            handler.setFormatter(PlainFormatter(LOG_FORMAT))
            self._log_handler = handler
        logger.addHandler(self._log_handler)
        self._log_filter = ServerThreadLogs(self._log_handler)
        logger.addFilter(self._log_filter)

    def note(self, message: str) -> None:
        """Write a warning of the harness's own to the server's log (``flask_harness.live``)."""
        if self._log_handler is not None:
            self._log_handler.handle(logging.LogRecord(
                HARNESS_LOGGER, logging.WARNING, __file__, 0, message, None, None))

    def log_offset(self) -> int:
        """Current size of the log file, to read one test's lines later."""
        if self.log_path is None or not self.log_path.exists():
            return 0
        if self._log_handler is not None:
            self._log_handler.flush()
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        """Log lines written since ``offset``."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        if self._log_handler is not None:
            self._log_handler.flush()
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")
