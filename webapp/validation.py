"""Rules for user-supplied account data, shared by the HTML forms and the JSON API."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

USERNAME_MIN, USERNAME_MAX = 3, 32
PASSWORD_MIN, PASSWORD_MAX = 8, 128
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
RESERVED_USERNAMES = frozenset(
    {"admin", "administrator", "root", "system", "support", "api", "login", "logout",
     "register", "null", "none", "webapp", "moderator", "staff"}
)


def username_error(username: str) -> str | None:
    """Return why a username is not acceptable, or None if it is."""
    if not username:
        return "Username is required."
    if len(username) < USERNAME_MIN:
        return f"Username must be at least {USERNAME_MIN} characters."
    if len(username) > USERNAME_MAX:
        return f"Username must be at most {USERNAME_MAX} characters."
    if not USERNAME_PATTERN.fullmatch(username):
        return "Username may contain only letters, digits, '.', '_' and '-'."
    if username.lower() in RESERVED_USERNAMES:
        return "That username is reserved."
    return None


def email_error(email: str) -> str | None:
    """Return why an email address is not acceptable, or None if it is."""
    if not email:
        return "Email is required."
    if len(email) > 120:
        return "Email must be at most 120 characters."
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "Enter a valid email address."
    return None


def password_error(password: str) -> str | None:
    """Return why a password is too weak, or None if it is strong enough."""
    if not password:
        return "Password is required."
    if len(password) < PASSWORD_MIN:
        return f"Password must be at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Password must be at most {PASSWORD_MAX} characters."
    missing = [
        label
        for label, test in (
            ("a lowercase letter", str.islower),
            ("an uppercase letter", str.isupper),
            ("a digit", str.isdigit),
        )
        if not any(test(ch) for ch in password)
    ]
    if missing:
        return "Password must contain " + ", ".join(missing) + "."
    return None


def normalize_email(email: str) -> str:
    """Trim and lower-case an address so that duplicates are found whatever their case."""
    return email.strip().lower()
