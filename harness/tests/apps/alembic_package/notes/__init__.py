"""Flask-Alembic: its migrations in the package (``notes/migrations``), no ``env.py``."""

from flask import Flask, jsonify, request
from flask_alembic import Alembic
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
alembic = Alembic()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///notes.sqlite")
    if test_config is not None:
        app.config.from_mapping(test_config)
    db.init_app(app)
    alembic.init_app(app)

    @app.get("/notes")
    def list_notes():
        return jsonify([note.body for note in db.session.scalars(db.select(Note))])

    @app.post("/notes")
    def add_note():
        db.session.add(Note(body=request.form["body"]))
        db.session.commit()
        return "", 201

    return app
