"""Flask-WTF forms and CSRF protection, uploads into ``UPLOAD_FOLDER``, and a ``flask`` command."""

import os

import click
from flask import Flask, current_app, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from wtforms import StringField

db = SQLAlchemy()
csrf = CSRFProtect()


class NoteForm(FlaskForm):
    body = StringField("Body")


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///notes.sqlite",
                            UPLOAD_FOLDER="uploads")
    app.config.from_mapping(test_config or {})
    db.init_app(app)
    csrf.init_app(app)

    @app.route("/notes", methods=["GET", "POST"])
    @csrf.exempt  # the form checks its own token, and re-renders with the error
    def notes():
        form = NoteForm()
        if form.validate_on_submit():
            return "", 201
        return render_template_string("{{ form.body }} {{ form.errors }}", form=form)

    @app.post("/upload")
    def upload():
        request.files["file"].save(os.path.join(current_app.config["UPLOAD_FOLDER"], "upload.txt"))
        return "", 201

    @app.cli.command("count-uploads")
    def count_uploads():
        click.echo(len(os.listdir(current_app.config["UPLOAD_FOLDER"])))

    return app
