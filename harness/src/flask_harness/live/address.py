"""Where the live server listens and the URL a browser uses to reach it (another container, say).

ini ``live_server_host`` (env ``FLASK_HARNESS_LIVE_SERVER_HOST``, default 127.0.0.1) is the bind
address; ini ``live_server_public_url`` (env ``FLASK_HARNESS_LIVE_SERVER_PUBLIC_URL``) is the URL
pages open, for example ``http://tests`` when the browser runs in a ``browser`` service of the same
Compose project; without a port in it, the live server's own (free) port is added. ini
``live_server_scheme = "https"`` (env ``FLASK_HARNESS_LIVE_SERVER_SCHEME``) serves it over TLS
(``live.tls``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from flask_harness.config.options import DEFAULT_HOST

SCHEMES = ("http", "https")


@dataclass(frozen=True)
class LiveAddress:
    host: str
    public_url: str | None
    scheme: str = "http"

    def url_for(self, port: int) -> str:
        """The URL a browser opens for a live server on ``port``."""
        if not self.public_url:
            return f"{self.scheme}://{self.host}:{port}"
        parts = urlsplit(self.public_url.rstrip("/"))
        if parts.port:
            return self.public_url.rstrip("/")
        return f"{parts.scheme}://{parts.hostname}:{port}{parts.path}"


def of(config: pytest.Config) -> LiveAddress:
    """Environment, then ini, then 127.0.0.1 and no public URL."""
    host = os.environ.get("FLASK_HARNESS_LIVE_SERVER_HOST") or config.getini("live_server_host") or DEFAULT_HOST
    public = os.environ.get("FLASK_HARNESS_LIVE_SERVER_PUBLIC_URL") or config.getini("live_server_public_url")
    if public and urlsplit(public).scheme not in SCHEMES:
        raise pytest.UsageError(f"live_server_public_url must be an http(s) URL, got {public!r}")
    scheme = os.environ.get("FLASK_HARNESS_LIVE_SERVER_SCHEME") or config.getini("live_server_scheme") or "http"
    if scheme not in SCHEMES:
        raise pytest.UsageError(f"live_server_scheme must be http or https, got {scheme!r}")
    return LiveAddress(host, public or None, scheme)
