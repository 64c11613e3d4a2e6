"""A tiny app for the harness's live-server and browser tests, copied into each pytester project.

Pages: a home page listing notes, a note by id, a failing view with the app's own 500 page, a 503
answered without an exception, a page loading CDN assets with SRI hashes and an avatar from another
host, a page whose inline script needs a library from another host, a Flask-WTF form, a JSON post
under CSRFProtect, a page behind Flask-Login, a held write that tells the test when it has
started and writes when the test lets it, a view that writes a note and never returns, and for
load: a JSON API that adds a note and an upload that answers with the file's size and hash.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from flask import Flask, abort, render_template, request
from flask_login import LoginManager, UserMixin, current_user, login_required
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from jinja2 import DictLoader
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import StringField
from wtforms.validators import DataRequired

db = SQLAlchemy()
csrf = CSRFProtect()
login_manager = LoginManager()
# POST /slow-note sets the first once its request runs, then waits for the test to set the second.
slow_note_started = threading.Event()
slow_note_release = threading.Event()
HELD_AT_MOST_SECONDS = 30  # a test that never releases the request does not hang the run
# GET /hang waits for this, which nothing sets: a view that never returns.
never_set = threading.Event()

TEMPLATES = {
    "home.html": "<!doctype html><title>Home</title><h1>Welcome</h1>"
                 "<ul>{% for note in notes %}<li>{{ note.text }}</li>{% endfor %}</ul>",
    "note.html": "<!doctype html><title>Note</title><h1>{{ note.text }}</h1>",
    "500.html": "<!doctype html><title>Oops</title><h1>Something went wrong on our side</h1>",
    # Real CDN assets with their real integrity hashes, and an avatar from another host: on a
    # closed network each request fails and the browser reports it on the console.
    "cdn.html": """<!doctype html><title>Styled</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css"
      integrity="sha384-QWTKZyjpPEjISv5WaRU9OFeRpok6YctnYmDr5pNlyT2bRjXh0JMhjY6hW+ALEwIH" crossorigin="anonymous">
<h1>Styled page</h1>
<img alt="avatar" src="https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=40">
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"
        integrity="sha384-YvpcrYf0tY3lHB60NNkmXc5s9fDVZLESaAA55NDzOxhy9GkcIdslK1eN7N6jIeHz"
        crossorigin="anonymous"></script>""",
    # An inline script that needs a library from another host (microblog's moment.js, bootstrap).
    "library.html": """<!doctype html><title>Library</title>
<link rel="stylesheet" href="https://cdn.example.com/npm/lib@1/lib.css">
<script src="https://cdn.example.com/npm/lib@1/lib.js" crossorigin="anonymous"></script>
<h1>Library page</h1><p id="greeting"></p>
<script>document.getElementById("greeting").textContent = lib.greet("Ada");</script>""",
    "register.html": "<!doctype html><title>Register</title><h1>Register</h1>"
                     "{% for field, errors in form.errors.items() %}<p>{{ field }}: {{ errors|join }}</p>"
                     "{% endfor %}<form method=post>{{ form.hidden_tag() }}{{ form.name() }}</form>",
}


class Note(db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))  # a length: MariaDB's VARCHAR needs one


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class RegisterForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` overrides the defaults."""
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite://")
    app.config.from_mapping(test_config or {})
    app.jinja_loader = DictLoader(TEMPLATES)
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    @app.get("/")
    def home() -> str:
        return render_template("home.html", notes=db.session.scalars(db.select(Note)).all())

    @app.get("/notes/<int:note_id>")
    def note(note_id: int) -> str:
        return render_template("note.html", note=db.session.get(Note, note_id) or abort(404))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom from the view")

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int]:
        return render_template("500.html"), 500

    @app.get("/down")
    def down() -> tuple[str, int]:
        return "<!doctype html><title>Down</title><h1>Down for maintenance</h1>", 503

    @app.post("/slow-note")
    @csrf.exempt
    def slow_note() -> dict[str, int]:
        """Wait for the test's release, then write a note: a request still running while the test goes on."""
        slow_note_started.set()
        if not slow_note_release.wait(HELD_AT_MOST_SECONDS):
            abort(504)
        db.session.add(Note(text="written late"))
        db.session.commit()
        return {"notes": db.session.query(Note).count()}

    @app.get("/hang")
    def hang_forever() -> str:
        """Write a note, then wait for ever: a request stuck in the server."""
        db.session.add(Note(text="written before hanging"))
        db.session.commit()
        never_set.wait()
        return "never"

    @app.post("/api/notes")
    @csrf.exempt
    def add_note() -> tuple[dict[str, int], int]:
        """Add the posted note; answer its id and how many notes this request sees."""
        note = Note(text=request.get_json()["text"])
        db.session.add(note)
        db.session.commit()
        return {"id": note.id, "notes": db.session.query(Note).count()}, 201

    @app.post("/upload")
    @csrf.exempt
    def upload() -> dict[str, Any]:
        """Answer the uploaded file's size and SHA-256, to prove it arrived whole."""
        data = request.files["file"].read()
        return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    @app.get("/cdn")
    def cdn() -> str:
        return render_template("cdn.html")

    @app.get("/library")
    def library() -> str:
        return render_template("library.html")

    @app.route("/register", methods=["GET", "POST"])
    @csrf.exempt  # the form checks its own token and re-renders; CSRFProtect answers 400 elsewhere
    def register() -> str:
        form = RegisterForm()
        if form.validate_on_submit():
            return f"Registered {form.name.data}"
        return render_template("register.html", form=form)

    @app.post("/api/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    @app.get("/dashboard")
    @login_required
    def dashboard() -> str:
        return f"<!doctype html><title>Dashboard</title><h1>Hello, {current_user.name}!</h1>"

    return app
