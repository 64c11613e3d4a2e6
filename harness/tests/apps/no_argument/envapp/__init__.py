"""``create_app()`` with no argument: configuration from ``FLASK_*`` environment variables."""

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()
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
