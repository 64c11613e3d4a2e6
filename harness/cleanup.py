"""Cleaning up after tests: rows of a test that really committed, files of an upload folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from harness.appfactory import sqlalchemy_of


def empty_tables(app: Flask) -> None:
    """Delete every row, children first: the cleanup after a test that really committed."""
    ext = sqlalchemy_of(app)
    with app.app_context(), ext.engine.begin() as connection:
        for table in reversed(ext.metadata.sorted_tables):
            connection.execute(table.delete())


def empty_folder(folder: Path) -> None:
    """Remove everything inside a folder, keeping the folder."""
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
