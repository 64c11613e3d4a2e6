"""Site data, weather and greetings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from webapp.api import bp
from webapp.errors import error_response
from webapp.extensions import db
from webapp.models import Post, Upload, User
from webapp.services import weather_service

WEATHER_UNAVAILABLE = "The weather service is unavailable. Try again later."

HOLIDAYS = {
    (1, 1): "Happy New Year!",
    (2, 14): "Happy Valentine's Day!",
    (10, 31): "Happy Halloween!",
    (12, 24): "Merry Christmas Eve!",
    (12, 25): "Merry Christmas!",
    (12, 31): "Happy New Year's Eve!",
}


def greeting_for(moment: date | datetime) -> str:
    """The greeting for a day: a holiday's own, else one for the time of day (or 'Hello!')."""
    holiday = HOLIDAYS.get((moment.month, moment.day))
    if holiday:
        return holiday
    if not isinstance(moment, datetime):
        return "Hello!"
    if moment.hour < 12:
        return "Good morning!"
    if moment.hour < 18:
        return "Good afternoon!"
    return "Good evening!"


@bp.get("/data")
def site_data() -> ResponseReturnValue:
    """Counts of users, published posts and uploads."""
    return jsonify(
        users=db.session.scalar(select(func.count(User.id))) or 0,
        posts=db.session.scalar(select(func.count(Post.id)).where(Post.is_published.is_(True)))
        or 0,
        uploads=db.session.scalar(select(func.count(Upload.id))) or 0,
    )


@bp.get("/weather")
def weather() -> ResponseReturnValue:
    """Current weather for ``?city=``, from the outside weather service."""
    city = (request.args.get("city") or "").strip()
    if not city:
        return error_response(400, "Query parameter 'city' is required.")
    try:
        return jsonify(weather_service.get_weather(city))
    except weather_service.WeatherUnavailable as exc:
        # The details (upstream host, exception text) go to the log, never to the client.
        current_app.logger.warning("%s", exc)
        return error_response(503, WEATHER_UNAVAILABLE)


@bp.get("/greeting")
def greeting() -> ResponseReturnValue:
    """Today's greeting (UTC)."""
    now = datetime.now(UTC)
    return jsonify(message=greeting_for(now), date=now.date().isoformat())
