"""What pytest-flask gives a suite that the harness's fixtures do not already: the ``config`` fixture.

pytest-flask's ``app`` (the suite returns the harness's from it), ``client`` and ``live_server``
(``live_server.url()`` works, as ``live_server.url`` does) are the harness's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from flask import Config, Flask


@pytest.fixture
def config(app: Flask) -> Config:
    """The app's config, as pytest-flask's ``config`` fixture."""
    return app.config
