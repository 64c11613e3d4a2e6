"""A natural but wrong adapter: the engines exist before the overrides arrive."""

import pytest
from legacy import create_app


@pytest.fixture(scope="session")
def flask_app_factory():
    def make(overrides):
        app = create_app("testing")
        app.config.update(overrides)
        return app

    return make
