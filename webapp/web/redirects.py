"""Keeping ``?next=`` redirects inside the site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None, default: str) -> str:
    """Return ``target`` when it is a path on this site, else ``default``.

    Absolute URLs, scheme-relative ``//host`` URLs and backslash tricks are all refused.
    """
    if not target:
        return default
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "//[evil" is not even a URL
        return default
    if parts.scheme or parts.netloc:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    return target
