"""The live server under the worst a page does: 50 parallel fetches that write, a 20 MB upload,
and slow clients holding connections, while the page's own requests are answered; isolation holds.

Figures (requests per second, upload MB/s): ``python -m bench.live_load`` in the repository.
"""

from __future__ import annotations

import pytest

from apps_live import make_project

LOAD = """
import socket
import threading
from urllib.parse import urlsplit

from playwright.sync_api import expect

from liveapp import Note, db

FETCHES = 50
UPLOAD_BYTES = 20 * 1024 * 1024
# Every fetch gives up after 10 s: a server that stopped answering fails the test instead of hanging it.
PARALLEL_NOTES = '''n => Promise.all(Array.from({length: n}, (_, i) =>
  fetch("/api/notes", {method: "POST", headers: {"Content-Type": "application/json"},
                       body: JSON.stringify({text: `note ${i}`}), signal: AbortSignal.timeout(10000)})
    .then(response => response.status)))'''
PARALLEL_PAGES = '''n => Promise.all(Array.from({length: n}, () =>
  fetch("/", {signal: AbortSignal.timeout(10000)}).then(response => response.status)))'''
UPLOAD = '''async size => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, b => b.toString(16).padStart(2, "0")).join("");
  const form = new FormData();
  form.append("file", new Blob([bytes]), "big.bin");
  const response = await fetch("/upload", {method: "POST", body: form, signal: AbortSignal.timeout(60000)});
  return {status: response.status, sent: {size, sha256}, received: await response.json()};
}'''


def notes():
    return db.session.scalars(db.select(Note.text)).all()


def test_1_fifty_parallel_fetches_all_answer_and_write(page, db):
    page.goto("/")

    statuses = page.evaluate(PARALLEL_NOTES, FETCHES)

    assert statuses == [201] * FETCHES
    assert sorted(notes()) == sorted(f"note {i}" for i in range(FETCHES))


def test_2_the_next_test_sees_none_of_their_notes(page, db):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_role("listitem")).to_have_count(0)
    assert notes() == []


def test_3_a_20_mb_upload_from_the_page_arrives_whole(page):
    page.goto("/")

    upload = page.evaluate(UPLOAD, UPLOAD_BYTES)

    assert upload["status"] == 200
    assert upload["received"] == upload["sent"]


BODY = b"--b\\r\\nContent-Disposition: form-data; name=file; filename=x\\r\\n\\r\\nhello\\r\\n--b--\\r\\n"
SLOW_REQUESTS = {
    "headers": b"GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n",
    "body": b"POST /upload HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n"
            b"Content-Type: multipart/form-data; boundary=b\\r\\n"
            + f"Content-Length: {len(BODY)}\\r\\n\\r\\n".encode() + BODY,
}


def slow_client(address, request, finish, answers):
    # Sends its request byte by byte, and its last byte only once the page is done.
    with socket.create_connection(address, timeout=30) as slow:
        for byte in request[:-1]:
            slow.sendall(bytes([byte]))
        finish.wait(30)
        slow.sendall(request[-1:])
        answers.append(slow.makefile("rb").readline())


def test_4_slow_clients_hold_connections_while_the_page_is_answered(page, live):
    parts = urlsplit(live.url)
    address = (parts.hostname, parts.port)
    finish, answers = threading.Event(), []
    slow = [threading.Thread(target=slow_client, args=(address, request, finish, answers))
            for request in SLOW_REQUESTS.values()]
    with socket.create_connection(address, timeout=30):  # and one that connects and sends nothing
        for client in slow:
            client.start()

        page.goto("/")
        expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
        statuses = page.evaluate(PARALLEL_PAGES, 20)

        finish.set()
        for client in slow:
            client.join(30)
    assert statuses == [200] * 20
    assert answers == [b"HTTP/1.1 200 OK\\r\\n"] * 2  # the slow clients are answered too, once done
"""
OUTER_BOUND_SECONDS = 120  # a run takes about 10 s here; a server that stops answering fails instead


def test_the_live_server_answers_parallel_fetches_a_large_upload_and_slow_clients_in_isolation(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_load=LOAD)

    result = pytester.runpytest_subprocess(timeout=OUTER_BOUND_SECONDS)

    result.assert_outcomes(passed=4)
