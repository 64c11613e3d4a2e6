"""Flask-Migrate with its stock ``env.py``; a view logs through ``app.logger``."""

import logging

from flask import Flask, current_app, jsonify, request
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
migrate = Migrate()


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///journal.sqlite")
    if test_config is not None:
        app.config.from_mapping(test_config)
    db.init_app(app)
    migrate.init_app(app, db)
    app.logger.setLevel(logging.INFO)  # the app's logger exists before any migration runs

    @app.get("/entries")
    def list_entries():
        return jsonify([entry.body for entry in db.session.scalars(db.select(Entry))])

    @app.post("/entries")
    def add_entry():
        db.session.add(Entry(body=request.form["body"]))
        db.session.commit()
        current_app.logger.info("journal entry written: %s", request.form["body"])
        return "", 201

    return app
