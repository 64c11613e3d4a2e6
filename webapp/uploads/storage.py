"""Saving uploaded bytes under generated names in the upload folder, outside static/."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from webapp.extensions import db
from webapp.files import (
    clean_filename,
    content_type_for,
    is_allowed,
    sniff_image_type,
    stored_name_for,
)
from webapp.models import Upload

SNIFF_BYTES = 16


class UploadRejected(ValueError):
    """The file may not be stored; the message says why, for the user."""


def upload_folder() -> Path:
    """The folder holding uploaded files, created on first use."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_of(upload: Upload) -> Path:
    """Where an upload's bytes live on disk."""
    return upload_folder() / upload.stored_name


def check_file(file: FileStorage | None, *, images_only: bool = False) -> str:
    """Validate name and bytes; return the content type to store, or raise UploadRejected."""
    if file is None or not file.filename:
        raise UploadRejected("No file selected.")
    config = current_app.config
    allowed = config["IMAGE_EXTENSIONS"] if images_only else config["ALLOWED_EXTENSIONS"]
    if not is_allowed(file.filename, allowed):
        raise UploadRejected("File type not allowed.")
    head = file.stream.read(SNIFF_BYTES)
    file.stream.seek(0)
    if not head:
        raise UploadRejected("The file is empty.")
    if is_allowed(file.filename, config["IMAGE_EXTENSIONS"]):
        sniffed = sniff_image_type(head)
        if sniffed is None or sniffed != content_type_for(file.filename):
            raise UploadRejected("File content does not match its type.")
        return sniffed
    return content_type_for(file.filename)


def store(file: FileStorage, owner_id: int, description: str = "", *,
          images_only: bool = False) -> Upload:
    """Check, save and record one uploaded file; nothing is left behind if any step fails."""
    content_type = check_file(file, images_only=images_only)
    original = clean_filename(file.filename or "")
    stored_name = stored_name_for(original)
    target = upload_folder() / stored_name
    file.save(target)
    upload = Upload(
        owner_id=owner_id,
        original_filename=original,
        stored_name=stored_name,
        size=target.stat().st_size,
        content_type=content_type,
        description=description.strip(),
    )
    try:
        db.session.add(upload)
        db.session.commit()
    except Exception:
        db.session.rollback()
        target.unlink(missing_ok=True)
        raise
    return upload


def remove(upload: Upload) -> None:
    """Delete the record, then the bytes."""
    target = path_of(upload)
    db.session.delete(upload)
    db.session.commit()
    target.unlink(missing_ok=True)
