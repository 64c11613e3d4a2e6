"""The app's JSON parsing refuses what it could neither store nor answer."""

from __future__ import annotations

import flask
import pytest

from webapp.web.json_provider import StrictJSONProvider, UnacceptableJSON, text_problem

pytestmark = pytest.mark.unit


@pytest.fixture
def provider() -> StrictJSONProvider:
    return StrictJSONProvider(flask.Flask(__name__))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("plain text, ünïcödé, 日本語", None),
        ("a\x00b", "Text must not contain NUL characters."),
        ("\ud800", "Text must be valid Unicode (no lone surrogates)."),
    ],
    ids=["valid", "nul", "lone-surrogate"],
)
def test_text_problem(text: str, problem: str | None) -> None:
    assert text_problem(text) == problem


def test_loads_returns_valid_json(provider: StrictJSONProvider) -> None:
    assert provider.loads('{"a": ["b", 1, {"c": null}]}') == {"a": ["b", 1, {"c": None}]}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[" * 100_000, "JSON is nested too deeply."),
        ('{"a": [["\\u0000"]]}', "Text must not contain NUL characters."),
        ('{"\\ud800": 1}', "Text must be valid Unicode (no lone surrogates)."),
    ],
    ids=["deep", "nul-in-nested-value", "surrogate-in-key"],
)
def test_loads_refuses_unacceptable_json_as_a_value_error(
    provider: StrictJSONProvider, document: str, message: str
) -> None:
    with pytest.raises(UnacceptableJSON) as excinfo:
        provider.loads(document)

    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, ValueError)
