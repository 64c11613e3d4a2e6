"""A config-name factory whose testing config names its own database file."""

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


class TestingConfig:
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite:///legacy-test.sqlite"


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object({"testing": TestingConfig}[config_name])
    db.init_app(app)

    @app.get("/items")
    def list_items():
        return jsonify([item.name for item in db.session.scalars(db.select(Item))])

    return app
