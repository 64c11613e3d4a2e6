"""Views for uploading, downloading and deleting files; a file is visible to its owner only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from webapp.extensions import db
from webapp.forms import ConfirmForm, ImageUploadForm, UploadForm
from webapp.models import Upload
from webapp.uploads import bp
from webapp.uploads.storage import UploadRejected, path_of, remove, store


def own_upload_or_404(upload_id: int) -> Upload:
    """The upload if it belongs to the current user; anyone else's is not found."""
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.owner_id != current_user.id:
        abort(404)
    return upload


def error_messages(form: FlaskForm) -> str:
    """A form's validation errors as one sentence for a flash message."""
    return " ".join(error for errors in form.errors.values() for error in errors)


def _render_upload_page(form: UploadForm, image_form: ImageUploadForm, status: int = 200):
    uploads = db.session.scalars(
        select(Upload).filter_by(owner_id=current_user.id)
        .order_by(Upload.created_at.desc(), Upload.id.desc())
    ).all()
    return render_template("uploads/upload.html", form=form, image_form=image_form,
                           uploads=uploads, delete_form=ConfirmForm()), status


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload() -> ResponseReturnValue:
    """Upload any allowed file with an optional description."""
    form = UploadForm()
    image_form = ImageUploadForm(formdata=None)
    if not form.is_submitted():
        return _render_upload_page(form, image_form)
    try:
        if not form.validate():
            raise UploadRejected(error_messages(form))
        saved = store(form.file.data, current_user.id, form.description.data or "")
    except UploadRejected as exc:
        flash(str(exc), "danger")
        return _render_upload_page(form, image_form, 400)
    flash(f"File uploaded successfully: {saved.original_filename}", "success")
    return _render_upload_page(UploadForm(formdata=None), image_form)


@bp.route("/upload/image", methods=["POST"])
@login_required
def upload_image() -> ResponseReturnValue:
    """Upload an image; its bytes must really be PNG, JPEG or GIF."""
    image_form = ImageUploadForm()
    form = UploadForm(formdata=None)
    try:
        if not image_form.validate():
            raise UploadRejected(error_messages(image_form))
        saved = store(image_form.image.data, current_user.id, images_only=True)
    except UploadRejected as exc:
        flash(str(exc), "danger")
        return _render_upload_page(form, image_form, 400)
    flash(f"Image uploaded successfully: {saved.original_filename}", "success")
    return _render_upload_page(form, ImageUploadForm(formdata=None))


@bp.route("/uploads/<int:upload_id>/download")
@login_required
def download(upload_id: int) -> ResponseReturnValue:
    """Send the file back as an attachment under its original name."""
    upload = own_upload_or_404(upload_id)
    path = path_of(upload)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=upload.content_type, as_attachment=True,
                     download_name=upload.original_filename)


@bp.route("/uploads/<int:upload_id>/delete", methods=["POST"])
@login_required
def delete(upload_id: int) -> ResponseReturnValue:
    """Delete one of the user's files."""
    upload = own_upload_or_404(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form has expired; please try again.")
    name = upload.original_filename
    remove(upload)
    flash(f"Deleted {name}.", "success")
    return redirect(url_for("uploads.upload"))
