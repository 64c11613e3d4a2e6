"""Login rate limits: per client address, and per account whatever the address (HTML and API share it)."""

from __future__ import annotations

from flask import Response, current_app, request

from webapp.extensions import limiter
from webapp.users.queries import user_by_login
from webapp.web.json_provider import text_problem


def submitted_login_name() -> str:
    """The username or email a login request names, from its form or its JSON body."""
    if request.is_json:
        data = request.get_json(silent=True)
        name = data.get("username") if isinstance(data, dict) else None
    else:
        name = request.form.get("username")
    return name.strip() if isinstance(name, str) else ""


def account_key() -> str:
    """The account attempted: its id when it exists (its username and email share one count)."""
    name = submitted_login_name()
    user = user_by_login(name) if name and text_problem(name) is None else None
    return f"user:{user.id}" if user is not None else f"name:{name.lower()}"


def is_refusal(response: Response) -> bool:
    """Only wrong credentials count against an account, so its owner's own logins never lock it."""
    return response.status_code == 401


def _per_address() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


per_address = limiter.limit(_per_address, methods=["POST"])
# Without it, a guesser spreading attempts over many addresses (or behind a proxy without
# PROXY_FIX_X_FOR, where everyone shares one address) would face no limit per account.
per_account = limiter.shared_limit(
    _per_account, scope="login-account", key_func=account_key, methods=["POST"], deduct_when=is_refusal
)
