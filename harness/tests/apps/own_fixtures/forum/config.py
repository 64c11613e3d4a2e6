import os


class DefaultConfig:
    SECRET_KEY = "dev"
    SQLALCHEMY_DATABASE_URI = "sqlite:///forum.sqlite"
    PLUGINS_ENABLED = False


class TestConfig(DefaultConfig):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class EnvConfig(TestConfig):
    """The suite's config when its database URL comes from the environment."""

    SQLALCHEMY_DATABASE_URI = os.environ.get("FORUM_DATABASE_URL", "sqlite://")
