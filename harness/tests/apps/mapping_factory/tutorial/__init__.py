"""Flask tutorial shape: ``create_app(test_config=None)``."""

import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev",
                            SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "tutorial.sqlite"))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
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
