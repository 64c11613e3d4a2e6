"""Security headers added to every response."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
TOKEN_ENDPOINTS = frozenset({"api.login", "api.refresh"})


def is_personal() -> bool:
    """Whether the answer was made for one user: a logged-in session, a bearer token, or tokens."""
    return (
        request.endpoint in TOKEN_ENDPOINTS
        or "Authorization" in request.headers
        or current_user.is_authenticated
    )


def add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own value."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_personal():
        # Shared caches and the browser's back button must not keep another user's page or tokens.
        response.headers["Cache-Control"] = "no-store"
    if (hsts := current_app.config.get("STRICT_TRANSPORT_SECURITY")) and request.is_secure:
        # RFC 6797 7.2: sent over a secure transport only (behind a TLS proxy, PROXY_FIX_X_PROTO).
        response.headers.setdefault("Strict-Transport-Security", hsts)
    if request.environ.get("SERVER_SOFTWARE", "").lower().startswith("werkzeug"):
        # Werkzeug's server announces its and Python's versions unless the app names itself
        # (gunicorn says only "gunicorn" and would repeat a second Server header, so not there).
        response.headers["Server"] = "webapp"
    return response


def register(app: Flask) -> None:
    """Install the header hook on the app."""
    app.after_request(add_security_headers)
