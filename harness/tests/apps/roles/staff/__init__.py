"""Reference data (roles every user needs); Flask-Migrate is registered outside the factory, in manage.py."""

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///staff.sqlite")
    app.config.from_mapping(test_config or {})
    db.init_app(app)

    @app.get("/roles")
    def list_roles():
        return jsonify(sorted(role.name for role in db.session.scalars(db.select(Role))))

    return app
