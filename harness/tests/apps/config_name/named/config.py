import os


class Config:
    SECRET_KEY = "dev"


class DevelopmentConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DEV_DATABASE_URL") or "sqlite:///named-dev.sqlite"


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"


config = {"development": DevelopmentConfig, "testing": TestingConfig, "default": DevelopmentConfig}
