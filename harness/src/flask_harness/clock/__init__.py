"""One clock for the server and the browser: the ``clock`` fixture."""
