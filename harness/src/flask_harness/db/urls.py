"""URLs built outside a request, as a request would build them (issue 13, finding 8).

Flask builds URLs outside a request only with ``SERVER_NAME`` set; a model's ``.url`` property made
by ``url_for`` then fails in a test ("Unable to build URLs outside an active request"). The app
context the ``db`` fixture pushes is given the adapter a request to ``localhost`` would have, with
the app's ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``; an app with a ``SERVER_NAME`` keeps its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask.ctx import AppContext


def build_urls_as_localhost(context: AppContext) -> None:
    """Let ``url_for`` build URLs in this app context as in a request to ``http://localhost``."""
    if context.url_adapter is None:
        app = context.app
        context.url_adapter = app.url_map.bind("localhost", script_name=app.config["APPLICATION_ROOT"],
                                               url_scheme=app.config["PREFERRED_URL_SCHEME"])

