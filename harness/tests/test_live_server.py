"""The live server on its own: serving, its log file, a busy port, and the request tracker."""

from __future__ import annotations

import gc
import logging
import socket
import struct
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

from flask_harness.live.server import LiveServer, LiveServerError, PlainFormatter, RequestTracker


def hello_app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def failing_app(_environ: dict[str, Any], _start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise RuntimeError("boom in the app")


def fetch(url: str) -> bytes:
    with urlopen(url, timeout=5) as response:
        return bytes(response.read())


def status_of(url: str) -> int:
    try:
        with urlopen(url, timeout=5) as response:
            return int(response.status)
    except HTTPError as error:
        error.close()
        return error.code


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Callable[[Any], LiveServer]]:
    """Start a live server on an app; it is stopped after the test."""
    servers: list[LiveServer] = []

    def start(app: Any) -> LiveServer:
        server = LiveServer(app, log_path=tmp_path / "server.log")
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def werkzeug_handlers_writing_to(path: Path) -> list[logging.Handler]:
    return [h for h in logging.getLogger("werkzeug").handlers if getattr(h, "baseFilename", None) == str(path)]


# --- LiveServer -------------------------------------------------------------------------------------


def test_live_server_started_twice_on_port_0_serves_both_times(tmp_path: Path) -> None:
    server = LiveServer(hello_app, log_path=tmp_path / "server.log")
    bodies = []

    for _ in range(2):
        server.start()
        try:
            bodies.append(fetch(server.url))
        finally:
            server.stop()

    assert bodies == [b"hello", b"hello"]


def test_stopped_live_server_refuses_connections_and_leaves_no_log_handler(tmp_path: Path) -> None:
    server = LiveServer(hello_app, log_path=tmp_path / "server.log")
    server.start()
    url = server.url

    server.stop()

    with pytest.raises(URLError, match="Connection refused"):
        fetch(url)
    assert werkzeug_handlers_writing_to(tmp_path / "server.log") == []


def test_live_server_logs_this_tests_requests_without_colour_codes(
    serving: Callable[[Any], LiveServer]
) -> None:
    server = serving(failing_app)
    before = server.log_offset()

    status = status_of(f"{server.url}/broken")
    logged = server.log_since(before)

    assert status == 500
    assert '"GET /broken HTTP/1.1" 500' in logged  # werkzeug colours a 500 on a terminal
    assert "\x1b[" not in logged


def test_log_since_leaves_out_earlier_requests(serving: Callable[[Any], LiveServer]) -> None:
    server = serving(hello_app)
    fetch(f"{server.url}/earlier")
    offset = server.log_offset()

    fetch(f"{server.url}/later")

    assert "/earlier" not in server.log_since(offset)
    assert '"GET /later HTTP/1.1" 200' in server.log_since(offset)


def test_server_threads_log_to_the_file_only_not_to_pytests_capture(
    serving: Callable[[Any], LiveServer]
) -> None:
    # pytest's capture is a handler on the loggers; one of our own on werkzeug's logger stands for it
    # (whether pytest already listens on werkzeug's depends on which test of the process ran first).
    server = serving(hello_app)
    offset = server.log_offset()
    seen: list[str] = []
    listener = logging.Handler()
    listener.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(listener)
    try:
        fetch(f"{server.url}/served")
        werkzeug.info("said by the test thread")
    finally:
        werkzeug.removeHandler(listener)

    assert '"GET /served HTTP/1.1" 200' in server.log_since(offset)
    assert seen == ["said by the test thread"]


def test_live_server_has_no_port_when_not_running() -> None:
    with pytest.raises(LiveServerError, match="not running"):
        _ = LiveServer(hello_app).port


def test_live_server_on_a_port_in_use_raises_naming_it(tmp_path: Path, taken_port: int) -> None:
    server = LiveServer(hello_app, port=taken_port, log_path=tmp_path / "server.log")

    with pytest.raises(LiveServerError, match=f"could not bind 127.0.0.1:{taken_port}"):
        server.start()


def test_live_server_that_failed_to_start_leaves_no_log_handler(tmp_path: Path, taken_port: int) -> None:
    server = LiveServer(hello_app, port=taken_port, log_path=tmp_path / "server.log")
    with pytest.raises(LiveServerError):
        server.start()

    assert werkzeug_handlers_writing_to(tmp_path / "server.log") == []


def test_plain_formatter_strips_terminal_colours() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '"\x1b[35m\x1b[1mGET /boom HTTP/1.1\x1b[0m" 500 -', None, None)

    assert PlainFormatter("%(message)s").format(record) == '"GET /boom HTTP/1.1" 500 -'


# --- RequestTracker ---------------------------------------------------------------------------------


def test_tracker_records_an_escaping_exception_once_and_reraises_it(serving: Callable[[Any], LiveServer]) -> None:
    tracker = RequestTracker(failing_app)
    server = serving(tracker)

    assert status_of(f"{server.url}/broken?x=1") == 500

    assert [(e.method, e.path) for e in tracker.errors] == [("GET", "/broken")]
    assert tracker.errors[0].traceback.rstrip().endswith("RuntimeError: boom in the app")


def test_tracker_records_an_exception_the_app_reported_itself_only_once() -> None:
    def app_reporting_then_raising(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        error = RuntimeError("handled, then re-raised")
        tracker.record(error)  # what got_request_exception does for a Flask app
        raise error

    tracker = RequestTracker(app_reporting_then_raising)

    with pytest.raises(RuntimeError):
        tracker({"REQUEST_METHOD": "POST", "PATH_INFO": "/save"}, lambda *_: None)

    assert [(e.method, e.path) for e in tracker.errors] == [("POST", "/save")]


def test_tracker_holds_the_lock_for_the_whole_request() -> None:
    lock = threading.Lock()
    held: list[bool] = []

    def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        held.append(lock.locked())
        start_response("200 OK", [])
        return [b""]

    tracker = RequestTracker(app, lock=lock)
    tracker({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda *_: None)

    assert held == [True]
    assert not lock.locked()


def test_tracker_knows_a_serving_thread_from_the_test_thread() -> None:
    seen: list[bool] = []

    def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(tracker.serving())
        return [b""]

    tracker = RequestTracker(app)
    tracker({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda *_: None)

    assert seen == [True]
    assert tracker.serving() is False


def test_wait_idle_names_a_request_still_running_after_the_timeout() -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_app(_environ: dict[str, Any], _start_response: Callable[..., Any]) -> Iterable[bytes]:
        started.set()
        release.wait(5)
        return [b""]

    tracker = RequestTracker(slow_app)
    thread = threading.Thread(target=tracker, args=({"REQUEST_METHOD": "GET", "PATH_INFO": "/slow"}, None))
    thread.start()
    started.wait(5)

    stragglers = tracker.wait_idle(timeout=0.05)
    described = stragglers[0].describe() if stragglers else ""
    release.set()
    thread.join(5)

    assert [request.label for request in stragglers] == ["GET /slow"]
    assert described.startswith("GET /slow, running for 0.")
    assert ", in slow_app\n    release.wait(5)\n" in described  # its thread's stack, where it waits
    assert tracker.wait_idle(timeout=1) == []


def test_an_abandoned_request_is_not_waited_for_again_and_its_errors_are_not_recorded() -> None:
    release = threading.Event()
    started = threading.Event()

    def stuck_app(_environ: dict[str, Any], _start_response: Callable[..., Any]) -> Iterable[bytes]:
        started.set()
        release.wait(5)
        raise RuntimeError("raised after the harness gave up on it")

    tracker = RequestTracker(stuck_app)

    def serve() -> None:
        with pytest.raises(RuntimeError):
            tracker({"REQUEST_METHOD": "GET", "PATH_INFO": "/stuck"}, None)

    thread = threading.Thread(target=serve)
    thread.start()
    started.wait(5)

    tracker.abandon(tracker.wait_idle(timeout=0.05))
    drained = tracker.wait_idle(timeout=0)
    release.set()
    thread.join(5)

    assert drained == []
    assert tracker.errors == []
    assert tracker.abandoned == set()  # forgotten once it ended


# --- request bodies: received before the lock, always closed -------------------------------------


def post_then_reset(port: int, arrived: threading.Event, body: bytes, *, content_length: int | None = None,
                    read_answer: bool = True) -> None:
    """Send a POST and reset the connection (SO_LINGER 0), as a browser does when a tab goes away.

    With ``read_answer`` the reset comes once the whole answer is in, while werkzeug still drains
    the bytes sent after the body; without, it comes in the middle of the body, once the request
    has ``arrived`` at the tracker.
    """
    length = len(body) if content_length is None else content_length
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"POST /form HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       b"Content-Length: %d\r\n\r\n%s" % (length, body))
        if read_answer:
            client.sendall(b"bytes after the body, which werkzeug reads and drops")
            answer = b""
            while not answer.endswith(b"\r\n\r\nreceived"):
                answer += client.recv(4096)
        else:
            assert arrived.wait(timeout=5), "the request never reached the tracker"
            arrived.clear()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def unclosed_body_files(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(warning.message) for warning in caught
            if issubclass(warning.category, ResourceWarning) and "SpooledTemporaryFile" in str(warning.message)]


@pytest.mark.parametrize("read_answer", [True, False], ids=["reset-during-the-answer", "reset-during-the-body"])
def test_a_request_body_is_closed_even_when_the_client_resets_the_connection(
        serving: Callable[[Any], LiveServer], read_answer: bool) -> None:
    # werkzeug skips the answer's close() when reading what is left of a reset connection raises
    # (found in CI as a ResourceWarning in the next test); the received body must be closed all the same
    def form_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "8")])
        return [b"received"]

    tracker = RequestTracker(form_app, lock=threading.RLock())
    arrived = threading.Event()

    def arriving(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        arrived.set()  # the tracker is about to receive the body
        return tracker(environ, start_response)

    server = serving(arriving)
    threads_before = set(threading.enumerate())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(20):
            post_then_reset(server.port, arrived, b"to=ann%40example.com",
                            content_length=None if read_answer else 100_000, read_answer=read_answer)
        for request_thread in set(threading.enumerate()) - threads_before:  # every request has ended
            request_thread.join(timeout=5)
        gc.collect()

    assert unclosed_body_files(caught) == []
