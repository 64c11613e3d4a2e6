"""Account rules in webapp.validation: usernames, emails, passwords and email normalisation."""

from __future__ import annotations

import pytest

from webapp.validation import email_error, normalize_email, password_error, username_error

pytestmark = pytest.mark.unit

BAD_CHARACTERS = "Username may contain only letters, digits, '.', '_' and '-'."


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("", "Username is required."),
        ("a", "Username must be at least 3 characters."),
        ("ab", "Username must be at least 3 characters."),
        ("a" * 33, "Username must be at most 32 characters."),
        ("a" * 256, "Username must be at most 32 characters."),
        ("user name", BAD_CHARACTERS),
        ("user@name", BAD_CHARACTERS),
        ("<script>alert(1)</script>", BAD_CHARACTERS),
        ("alice\n", BAD_CHARACTERS),
        ("admin", "That username is reserved."),
    ],
    ids=["empty", "one-char", "two-chars", "33-chars", "256-chars", "space", "at-sign",
         "script-tag", "trailing-newline", "reserved"],
)
def test_invalid_username_is_rejected_with_reason(username: str, expected: str) -> None:
    assert username_error(username) == expected


@pytest.mark.parametrize("username", ["abc", "a" * 32], ids=["3-chars", "32-chars"])
def test_valid_username_is_accepted(username: str) -> None:
    assert username_error(username) is None


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("", "Email is required."),
        ("not-an-email", "Enter a valid email address."),
        ("a" * 64 + "@" + "b" * 52 + ".com", "Email must be at most 120 characters."),
    ],
    ids=["empty", "no-at-sign", "121-chars"],
)
def test_invalid_email_is_rejected_with_reason(email: str, expected: str) -> None:
    assert email_error(email) == expected


def test_email_of_exactly_120_characters_is_accepted() -> None:
    email = "a" * 64 + "@" + "b" * 51 + ".com"

    assert email_error(email) is None


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", "Password is required."),
        ("Abcde12", "Password must be at least 8 characters."),
        ("Abcdefgh", "Password must contain a digit."),
        ("12345678", "Password must contain a lowercase letter, an uppercase letter."),
    ],
    ids=["empty", "7-chars", "without-digit", "digits-only"],
)
def test_weak_password_is_rejected_with_reason(password: str, expected: str) -> None:
    assert password_error(password) == expected


def test_password_of_exactly_8_characters_with_all_classes_is_accepted() -> None:
    assert password_error("Abcdefg1") is None


def test_normalize_email_trims_and_lowercases() -> None:
    assert normalize_email("  Alice@Example.COM \n") == "alice@example.com"
