"""Flasky shape: ``create_app(config_name)`` picking a config class whose URL was read at import time."""

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

from named.config import config

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    db.init_app(app)

    @app.get("/items")
    def list_items():
        return jsonify(sorted(item.name for item in db.session.scalars(db.select(Item))))

    @app.post("/items")
    def add_item():
        db.session.add(Item(name=request.form["name"]))
        db.session.commit()
        return "", 201

    return app
