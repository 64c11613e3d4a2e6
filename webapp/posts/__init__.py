"""Posts: list, read, write, edit and delete."""

from flask import Blueprint

bp = Blueprint("posts", __name__)

from webapp.posts import views  # noqa: E402,F401
