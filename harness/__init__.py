"""A pytest plugin for testing a Flask + SQLAlchemy application at every layer.

It knows the application through one ini setting, ``flask_app = "package:create_app"``: a factory
that accepts a mapping of config overrides. From it the plugin builds, per pytest-xdist worker, one
app bound to its own database and upload folder; isolates each test in a rolled-back transaction;
and, for browser tests, serves the same app from a live server thread.
"""

from harness.isolation import SharedConnection
from harness.settings import HarnessSettings

__all__ = ["HarnessSettings", "SharedConnection"]
