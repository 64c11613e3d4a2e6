"""Refuse NUL characters in URLs, query strings and forms before any view stores or looks them up."""

from __future__ import annotations

from flask import Flask, abort, request


def reject_nul_characters() -> None:
    """A NUL in the path names no page (404); in a query or form field it is a bad request (400)."""
    if any("\x00" in value for value in (request.view_args or {}).values() if isinstance(value, str)):
        abort(404)
    for source in (request.args, request.form):
        for key, values in source.lists():
            if key is None:  # a multipart part whose header werkzeug could not read
                abort(400, "A form field has no readable name.")
            if "\x00" in key or any("\x00" in value for value in values):
                abort(400, "Text must not contain NUL characters.")


def register(app: Flask) -> None:
    """Install the guard on the app."""
    app.before_request(reject_nul_characters)
