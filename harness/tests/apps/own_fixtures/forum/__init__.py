"""FlaskBB's shape: ``create_app(config=None)`` taking a class, an object or an import string.

Its plugin blueprint gets its routes while the app is built, so a second app in one process raises
(``The setup method 'add_url_rule' can no longer be called``): the app can be built only once.
"""

from flask import Blueprint, Flask, jsonify, request, url_for
from flask_sqlalchemy import SQLAlchemy
from werkzeug.utils import import_string

from forum.config import DefaultConfig

db = SQLAlchemy()
plugins = Blueprint("plugins", __name__)


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False, unique=True)

    @property
    def url(self):
        return url_for("topic", topic_id=self.id)


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_object(DefaultConfig)
    if isinstance(config, str):
        config = import_string(config)
    if config is not None:
        app.config.from_object(config)
        app.config["CONFIG_NAME"] = config.__name__
    db.init_app(app)

    plugins.add_url_rule("/plugins", "listed", lambda: jsonify(["portal"]))
    app.register_blueprint(plugins)

    @app.get("/topics")
    def topics():
        return jsonify(sorted(topic.title for topic in db.session.scalars(db.select(Topic))))

    @app.post("/topics")
    def new_topic():
        topic = Topic(title=request.form["title"])
        db.session.add(topic)
        db.session.commit()
        return topic.url, 201

    @app.get("/topic/<int:topic_id>")
    def topic(topic_id):
        return db.get_or_404(Topic, topic_id).title

    return app
