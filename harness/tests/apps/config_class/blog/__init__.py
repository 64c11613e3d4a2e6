"""Microblog shape: ``create_app(config_class=Config)`` with ``from_object``; logs to a folder unless testing."""

import logging
import os
from logging.handlers import RotatingFileHandler

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

from blog.config import Config

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def create_app(config_class=Config):
    app = Flask(__name__)
    app.config.from_object(config_class)
    db.init_app(app)

    @app.get("/items")
    def list_items():
        return jsonify(sorted(item.name for item in db.session.scalars(db.select(Item))))

    @app.post("/items")
    def add_item():
        db.session.add(Item(name=request.form["name"]))
        db.session.commit()
        return "", 201

    if not app.debug and not app.testing:
        os.makedirs("logs", exist_ok=True)
        handler = RotatingFileHandler("logs/blog.log", maxBytes=10240, backupCount=10)
        handler.setLevel(logging.INFO)
        app.logger.addHandler(handler)
    return app
