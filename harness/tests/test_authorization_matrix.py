"""The authorization matrix, seen from outside: a small notes app run by pytester.

The app lets only a note's owner or an admin edit it; its DELETE has a deliberate hole (any
logged-in user may delete). One table declares what every role should get on every route.
"""

from __future__ import annotations

import json

import pytest

ADDOPTS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:playwright",
           "--strict-markers", "-W", "error"]

APP = '''
from flask import Flask, abort, redirect, request, session
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(20), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", **(test_config or {}))
    db.init_app(app)

    @app.post("/login/<name>")
    def login(name):
        session["user"] = name
        return "", 204

    def note_for_change(note_id, *, owner_only):
        if "user" not in session:
            abort(redirect("/login"))
        note = db.session.get(Note, note_id) or abort(404)
        if owner_only and session["user"] not in (note.owner, "admin"):
            abort(403)
        return note

    @app.get("/notes/<int:note_id>/edit")
    def edit(note_id):
        note_for_change(note_id, owner_only=True)
        return "edit form"

    @app.delete("/notes/<int:note_id>")
    def delete(note_id):
        db.session.delete(note_for_change(note_id, owner_only=False))  # the hole: no owner check
        db.session.commit()
        return "", 204

    @app.get("/api/token-check")
    def token_check():
        return ("", 204) if request.headers.get("Authorization") == "Bearer admin-token" else ("", 401)

    with app.app_context():
        db.create_all()
    return app
'''

MATRIX_TEST = '''
import pytest

from notes_app import Note, db


def log_in(name):
    def login(client):
        assert client.post(f"/login/{{name}}").status_code == 204
    return login


def admin_login(client):
    log_in("admin")(client)
    return {{"Authorization": "Bearer admin-token"}}


def make_note():
    note = Note(owner="owner")
    db.session.add(note)
    db.session.commit()
    return note.id


ROLES = {{"anonymous": None, "user": log_in("user"), "owner": log_in("owner"), "admin": admin_login}}
TABLE = {{
    ("GET", "/notes/{{note}}/edit"): {{"anonymous": 302, "user": 403, "owner": 200, "admin": 200}},
    ("DELETE", "/notes/{{note}}"): {{"anonymous": 302, "user": {user_delete}, "owner": 204, "admin": 204}},
    ("GET", "/api/token-check"): {{"anonymous": 401, "user": 401, "owner": {owner_token}, "admin": 204}},
}}


def test_matrix(db, authorization_matrix):
    result = authorization_matrix(TABLE, roles=ROLES, params={{"note": make_note}})

    assert len(result.cells) == 12
    assert Note.query.count() == 0  # every cell's note was rolled back with it
'''


def write_project(pytester: pytest.Pytester, *, user_delete: str, owner_token: str = "401") -> None:
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "notes_app:create_app"\n'
        f"addopts = {json.dumps(ADDOPTS)}\n"
    )
    pytester.makepyfile(notes_app=APP,
                        test_matrix=MATRIX_TEST.format(user_delete=user_delete, owner_token=owner_token))


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP"):
        monkeypatch.delenv(name, raising=False)
    return pytester.runpytest_subprocess()


def test_a_table_that_matches_the_app_passes_and_each_cell_is_rolled_back(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # The owner deletes its note, then the admin deletes a fresh one: 204 both times.
    write_project(pytester, user_delete="204")

    result = run(pytester, monkeypatch)

    result.assert_outcomes(passed=1)


def test_every_mismatch_is_reported_at_once_in_one_table(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, user_delete="403", owner_token="204")

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "authorization matrix: 2 of 12 cells differ from the table",
        "",
        "route                   anonymous  user           owner          admin",
        "GET /notes/{note}/edit  302        403            200            200",
        "DELETE /notes/{note}    302        403 ✗ got 204  204            204",
        "GET /api/token-check    401        401            204 ✗ got 401  204",
        "",
        "DELETE /notes/* as user: expected 403, got 204 NO CONTENT",
        "GET /api/token-check as owner: expected 204, got 401 UNAUTHORIZED",
    ])


def test_a_row_naming_an_unknown_role_or_param_is_a_usage_error(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, user_delete="204")
    pytester.makepyfile(test_matrix="""
def test_matrix(authorization_matrix):
    authorization_matrix({("GET", "/notes/{note}/edit"): {"visitor": 302}}, roles={"anonymous": None})
""")

    result = run(pytester, monkeypatch)

    result.assert_outcomes(errors=0, failed=1)
    assert ("authorization matrix row ('GET', '/notes/{note}/edit'): roles ['visitor'] have no login in roles=; "
            "params ['note'] have no factory in params=;") in result.stdout.str()
