"""HTTPS live server (issue 16, item 3): ``live_server_scheme = "https"``.

The live server serves TLS with a certificate made for the worker, which the browser trusts (and
no other): the app sees ``request.is_secure`` and ``https`` URLs, and ``Secure`` cookies are kept
and sent back. (Chromium also keeps ``Secure`` cookies on plain http to 127.0.0.1, a loopback
address it counts as trustworthy; what http cannot give is the request's scheme.)
"""

from __future__ import annotations

import pytest

from apps_live import make_project

HTTPS_CONFTEST = """
import pytest
from flask import request, session, url_for


@pytest.fixture(scope="session")
def flask_app_config():
    return {"SESSION_COOKIE_SECURE": True}


@pytest.fixture(scope="session", autouse=True)
def _cookie_routes(app):
    @app.get("/remember")
    def remember():
        session["seen"] = "yes"
        return "remembered"

    @app.get("/recall")
    def recall():
        return session.get("seen", "forgotten")

    @app.get("/scheme")
    def scheme():
        return f"{request.scheme} {request.is_secure} {url_for('recall', _external=True)}"
"""

JOURNEYS = """
import ssl
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect


def test_1_the_app_is_served_over_https_and_knows_it(page, live):
    page.goto("/scheme")
    expect(page.locator("body")).to_have_text(f"https True {live.url}/recall")
    assert page.evaluate("() => window.isSecureContext") is True


def test_2_a_secure_session_cookie_comes_back(page):
    page.goto("/remember")
    page.goto("/recall")
    expect(page.locator("body")).to_have_text("yes")


def test_3_python_clients_verify_the_certificate_with_the_runs_authority(live):
    trusting = ssl.create_default_context(cafile=live.ca_file)
    with urllib.request.urlopen(live.url + "/recall", context=trusting) as answer:
        assert answer.read() == b"forgotten"
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        urllib.request.urlopen(live.url + "/recall", context=ssl.create_default_context())
"""


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "n2"])
def test_an_https_live_server_is_trusted_by_the_browser_and_keeps_secure_cookies(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: tuple[str, ...],
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)
    pytester.makeconftest(HTTPS_CONFTEST)
    monkeypatch.setenv("FLASK_HARNESS_LIVE_SERVER_SCHEME", "https")

    result = pytester.runpytest_subprocess(*workers)

    result.assert_outcomes(passed=3)


def test_the_same_journey_over_http_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)
    pytester.makeconftest(HTTPS_CONFTEST)

    result = pytester.runpytest_subprocess("-k", "served_over_https")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*http False http://127.0.0.1:*/recall*"])


def test_another_certificate_is_still_refused(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_other=OTHER_CERTIFICATE)
    monkeypatch.setenv("FLASK_HARNESS_LIVE_SERVER_SCHEME", "https")

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=1)


OTHER_CERTIFICATE = """
import ssl
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest
import trustme


def test_a_server_with_a_certificate_the_run_did_not_make_is_refused(page, live):
    page.goto("/")
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    other = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    other.socket = context.wrap_socket(other.socket, server_side=True)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        with pytest.raises(Exception, match="ERR_CERT"):
            page.goto(f"https://127.0.0.1:{other.server_port}/")
    finally:
        other.shutdown()
        other.server_close()
"""
