"""Site pages: home, about, dashboard, profile, settings and public user pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from webapp.main import views  # noqa: E402,F401
