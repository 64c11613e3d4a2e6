"""File uploads: store, list, download and delete a user's files."""

from flask import Blueprint

bp = Blueprint("uploads", __name__)

from webapp.uploads import views  # noqa: E402,F401
