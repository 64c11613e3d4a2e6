"""Error answers: JSON ``{"error", "message"}`` under /api, friendly HTML pages elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from webapp.extensions import db

FRIENDLY = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Unauthorized", "You need to log in to do that."),
    403: ("Forbidden", "You do not have permission to do that."),
    404: ("Page Not Found", "We could not find the page you asked for."),
    405: ("Method not allowed", "That action is not supported here."),
    413: ("File too large", "That file is larger than the upload limit."),
    429: ("Too many requests", "You are doing that too often. Please wait a minute and try again."),
    500: ("Something went wrong", "An unexpected error occurred. It has been logged."),
}

CSRF_MESSAGE = (
    "This form was refused because its security token is missing, expired or invalid. "
    "Go back, reload the page and submit it again."
)


def wants_json() -> bool:
    """API paths always answer JSON; other paths answer HTML."""
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, message: str | None = None) -> ResponseReturnValue:
    """One JSON error answer: ``{"error": <reason phrase>, "message": <sentence>}``."""
    payload = {
        "error": HTTP_STATUS_CODES.get(status, "Unknown error"),
        "message": message or FRIENDLY.get(status, ("", "Error."))[1],
    }
    return jsonify(payload), status


def _message_for(error: HTTPException) -> str:
    if error.code == 429:
        return f"Rate limit exceeded: {error.description}. Try again later."
    if isinstance(error, CSRFError):
        return CSRF_MESSAGE
    if error.code == 413:
        return "The upload is larger than the limit."
    return error.description or FRIENDLY.get(error.code or 500, ("", "Error."))[1]


def handle_http_exception(error: HTTPException) -> ResponseReturnValue:
    """Answer any HTTP error in the client's language (JSON or HTML)."""
    status = error.code or 500
    if status >= 500 or not db.session.is_active:
        # A failed write leaves the session unusable; the page below may need it (the navbar's user).
        db.session.rollback()
    if wants_json():
        response = error_response(status, _message_for(error))
    else:
        title, text = FRIENDLY.get(status, (HTTP_STATUS_CODES.get(status, "Error"), ""))
        detail = text
        if isinstance(error, CSRFError):
            title, detail = "Form expired", CSRF_MESSAGE
        elif status in (400, 403) and error.description != type(error).description:
            detail = error.description  # a view's own explanation, not werkzeug's generic text
        response = render_template(
            "errors/error.html", status=status, title=title, message=detail
        ), status
    if status == 405 and getattr(error, "valid_methods", None):
        body, code = response
        return body, code, {"Allow": ", ".join(error.valid_methods)}
    return response


def register(app: Flask) -> None:
    """Install the handlers on the app."""
    # Unhandled exceptions reach the 500 handler through Flask (which logs them), or propagate
    # to the caller when TESTING is on.
    app.register_error_handler(HTTPException, handle_http_exception)
