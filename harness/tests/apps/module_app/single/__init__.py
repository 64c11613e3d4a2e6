"""A module-level app: ``app = Flask(__name__)``, ``db = SQLAlchemy(app)``."""

import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("SINGLE_DATABASE_URL", "sqlite:///single.sqlite")
db = SQLAlchemy(app)


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


@app.get("/items")
def list_items():
    return jsonify(sorted(item.name for item in db.session.scalars(db.select(Item))))


@app.post("/items")
def add_item():
    db.session.add(Item(name=request.form["name"]))
    db.session.commit()
    return "", 201
