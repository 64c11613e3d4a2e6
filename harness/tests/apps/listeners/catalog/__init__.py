"""Search indexing on ``after_commit`` of ``db.session``, a custom session class and a custom query class."""

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query
from flask_sqlalchemy.session import Session


class CatalogQuery(Query):
    def named(self, name):
        return self.filter_by(name=name)


class AuditedSession(Session):
    """The app's session class: every session it opens says so."""

    audited = True


db = SQLAlchemy(query_class=CatalogQuery, session_options={"class_": AuditedSession})

# The search index: names of the items whose creation was committed.
INDEXED = []


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


def _remember_new_items(session, _context, _instances):
    session.info.setdefault("to_index", []).extend(o.name for o in session.new if isinstance(o, Item))


def _index_committed_items(session):
    INDEXED.extend(session.info.pop("to_index", []))


db.event.listen(db.session, "before_flush", _remember_new_items)
db.event.listen(db.session, "after_commit", _index_committed_items)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///catalog.sqlite")
    app.config.from_mapping(test_config or {})
    db.init_app(app)

    @app.post("/items")
    def add_item():
        db.session.add(Item(name=request.form["name"]))
        db.session.commit()
        return "", 201

    @app.get("/items/<name>")
    def find_item(name):
        item = Item.query.named(name).first_or_404()
        return jsonify(name=item.name, indexed=item.name in INDEXED)

    return app
