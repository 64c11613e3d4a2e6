"""Plain Alembic: ``alembic.ini`` at the project root, the stock ``env.py`` reading ``sqlalchemy.url``."""

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Line(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///ledger.sqlite")
    if test_config is not None:
        app.config.from_mapping(test_config)
    db.init_app(app)

    @app.get("/lines")
    def list_lines():
        return jsonify([line.body for line in db.session.scalars(db.select(Line))])

    @app.post("/lines")
    def add_line():
        db.session.add(Line(body=request.form["body"]))
        db.session.commit()
        return "", 201

    return app
