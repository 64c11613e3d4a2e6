"""The JSON API, authenticated with JWTs and exempt from CSRF (no cookies are used)."""

from flask import Blueprint, current_app

from webapp.extensions import csrf, limiter

bp = Blueprint("api", __name__)
csrf.exempt(bp)
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)

from webapp.api import auth, misc, posts, reports, users  # noqa: E402,F401
