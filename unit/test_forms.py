"""webapp.forms.rule: turning a ``value -> error or None`` check into a WTForms validator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from wtforms.validators import ValidationError

from webapp.forms import rule
from webapp.validation import username_error

pytestmark = pytest.mark.unit


def test_rule_passes_acceptable_value() -> None:
    validator = rule(username_error)

    assert validator(None, SimpleNamespace(data="alice")) is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [("admin", "That username is reserved."), (None, "Username is required.")],
    ids=["failing-check", "missing-data"],
)
def test_rule_raises_validation_error_with_check_message(data: str | None, expected: str) -> None:
    validator = rule(username_error)

    with pytest.raises(ValidationError) as excinfo:
        validator(None, SimpleNamespace(data=data))

    assert str(excinfo.value) == expected
