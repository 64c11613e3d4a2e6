"""Flask tutorial shape with a second database: each item added is logged in the ``audit`` bind."""

import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


class AuditEntry(db.Model):
    __bind_key__ = "audit"
    id = db.Column(db.Integer, primary_key=True)
    message = db.Column(db.String(120), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    audit_url = os.environ.get("AUDIT_DATABASE_URL") or "sqlite:///" + os.path.join(app.instance_path, "audit.sqlite")
    app.config.from_mapping(
        SECRET_KEY="dev",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "audited.sqlite"),
        SQLALCHEMY_BINDS={"audit": {"url": audit_url, "pool_pre_ping": True}},
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    db.init_app(app)

    @app.get("/items")
    def list_items():
        return jsonify(sorted(item.name for item in db.session.scalars(db.select(Item))))

    @app.get("/audit")
    def list_audit():
        return jsonify([entry.message for entry in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))])

    @app.post("/items")
    def add_item():
        db.session.add(Item(name=request.form["name"]))
        db.session.add(AuditEntry(message=f"added {request.form['name']}"))
        db.session.commit()
        return "", 201

    return app
