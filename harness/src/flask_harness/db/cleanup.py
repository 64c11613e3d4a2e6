"""Cleaning up after tests: rows of a test that really committed, files of a per-worker folder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def empty_tables(app: Flask) -> None:
    """Delete every row of every bind's tables, children first: the cleanup after a test that really committed."""
    from flask_harness.db.extension import sqlalchemy_of

    ext = sqlalchemy_of(app)
    with app.app_context():
        for key, metadata in ext.metadatas.items():
            if key not in ext.engines:  # models of a bind the config does not name
                continue
            with ext.engines[key].begin() as connection:
                for table in reversed(metadata.sorted_tables):
                    connection.execute(table.delete())


def empty_folder(folder: Path) -> None:
    """Remove everything inside a folder, keeping the folder."""
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
