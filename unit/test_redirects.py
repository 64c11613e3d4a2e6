"""Open-redirect protection in webapp.web.redirects.safe_next_url."""

from __future__ import annotations

import pytest

from webapp.web.redirects import safe_next_url

pytestmark = pytest.mark.unit

DEFAULT = "/dashboard"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com",
        "/\\evil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "//[evil.com",
    ],
    ids=["scheme-relative", "absolute", "backslash", "javascript", "control-char",
         "malformed-host"],
)
def test_off_site_or_malformed_target_falls_back_to_default(target: str) -> None:
    assert safe_next_url(target, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", ["", None], ids=["empty", "missing"])
def test_absent_target_falls_back_to_default(target: str | None) -> None:
    assert safe_next_url(target, DEFAULT) == DEFAULT


def test_local_path_with_query_is_kept() -> None:
    assert safe_next_url("/dashboard?x=1", "/") == "/dashboard?x=1"


def test_surrounding_whitespace_is_trimmed_from_local_path() -> None:
    assert safe_next_url("  /posts/3  ", DEFAULT) == "/posts/3"
