"""File uploads: what is accepted, where it is stored, and who may download or delete it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factories import DEFAULT_PASSWORD, UploadFactory, UserFactory
from factories.files import PNG_1X1 as PNG_DATA
from webapp.models import Upload, User

pytestmark = pytest.mark.integration

TEXT_DATA = b"file content here"


def upload_file(client: FlaskClient, data: bytes, filename: str, **fields: str):
    """POST one file to /upload the way the browser form does."""
    return client.post(
        "/upload",
        data={"file": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )


def upload_image(client: FlaskClient, data: bytes, filename: str):
    """POST one file to /upload/image the way the browser form does."""
    return client.post(
        "/upload/image",
        data={"image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def own_upload(db, sample_user: User) -> Upload:
    """A text file uploaded by sample_user, its bytes on disk."""
    return UploadFactory(owner=sample_user, original_filename="notes.txt", content=b"my private notes\n")


@pytest.fixture
def other_client(app: Flask, db) -> FlaskClient:
    """A second test client, logged in as a user other than sample_user."""
    UserFactory(username="intruder")
    second = app.test_client()
    response = second.post("/login", data={"username": "intruder", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, "logging in the second user failed"
    return second


class TestSeedUploads:
    """The seed's upload tests, one to one."""

    def test_file_upload_succeeds(self, auth_client: FlaskClient) -> None:
        response = upload_file(auth_client, TEXT_DATA, "test.txt", description="A test file")

        assert response.status_code == 200
        assert b"File uploaded successfully" in response.data

    def test_upload_image_succeeds(self, auth_client: FlaskClient) -> None:
        response = upload_image(auth_client, PNG_DATA, "photo.png")

        assert response.status_code == 200
        assert b"Image uploaded successfully" in response.data

    def test_upload_rejects_invalid_extension(self, auth_client: FlaskClient) -> None:
        response = upload_file(auth_client, b"malicious content", "hack.exe")

        assert response.status_code == 400
        assert b"File type not allowed" in response.data


class TestStorage:
    """Where and how an accepted file is kept."""

    def test_upload_is_saved_in_upload_folder_under_generated_name(
        self, auth_client: FlaskClient, upload_root: Path
    ) -> None:
        upload_file(auth_client, TEXT_DATA, "test.txt")

        stored_name = Upload.query.one().stored_name
        assert stored_name != "test.txt"
        assert [path.name for path in upload_root.iterdir()] == [stored_name]
        assert (upload_root / stored_name).read_bytes() == TEXT_DATA

    def test_upload_row_records_name_size_and_content_type(
        self, auth_client: FlaskClient, sample_user: User
    ) -> None:
        upload_file(auth_client, TEXT_DATA, "test.txt", description="A test file")

        upload = Upload.query.filter_by(owner_id=sample_user.id).one()
        assert upload.original_filename == "test.txt"
        assert upload.size == len(TEXT_DATA)
        assert upload.content_type == "text/plain"
        assert upload.description == "A test file"

    def test_path_traversal_filename_is_stored_safely(
        self, auth_client: FlaskClient, upload_root: Path
    ) -> None:
        upload_file(auth_client, b"escape attempt", "../../evil.txt")

        upload = Upload.query.one()
        assert upload.original_filename == "evil.txt"
        assert (upload_root / upload.stored_name).read_bytes() == b"escape attempt"
        assert not (upload_root.parent.parent / "evil.txt").exists()


class TestRejectedUploads:
    """Files that are refused answer 400 and leave nothing behind."""

    @pytest.mark.parametrize(
        ("endpoint", "data", "filename", "message"),
        [
            ("/upload", b"just some text", "fake.png", "File content does not match its type."),
            ("/upload/image", b"just some text", "fake.png", "File content does not match its type."),
            ("/upload/image", TEXT_DATA, "notes.txt", "File type not allowed."),
            ("/upload", b"", "empty.txt", "The file is empty."),
        ],
        ids=["text-as-png", "text-as-png-image", "txt-as-image", "empty"],
    )
    def test_bad_file_returns_400_with_reason(
        self, auth_client: FlaskClient, endpoint: str, data: bytes, filename: str, message: str
    ) -> None:
        field = "image" if endpoint == "/upload/image" else "file"

        response = auth_client.post(
            endpoint, data={field: (io.BytesIO(data), filename)}, content_type="multipart/form-data"
        )

        assert response.status_code == 400
        assert message in response.get_data(as_text=True)

    @pytest.mark.parametrize("endpoint", ["/upload", "/upload/image"])
    def test_post_without_file_returns_400(self, auth_client: FlaskClient, endpoint: str) -> None:
        response = auth_client.post(endpoint, data={}, content_type="multipart/form-data")

        assert response.status_code == 400

    def test_rejected_upload_stores_no_row_and_no_file(
        self, auth_client: FlaskClient, upload_root: Path
    ) -> None:
        upload_file(auth_client, b"just some text", "fake.png")

        assert Upload.query.count() == 0
        assert list(upload_root.iterdir()) == []

    def test_file_over_size_limit_returns_413_friendly_page(
        self, app: Flask, auth_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)

        response = upload_file(auth_client, b"x" * 4096, "big.txt")

        assert response.status_code == 413
        assert "File too large" in response.get_data(as_text=True)


class TestOwnFiles:
    """Listing, downloading and deleting one's files."""

    def test_dashboard_lists_upload_with_human_size(
        self, auth_client: FlaskClient, sample_user: User
    ) -> None:
        UploadFactory(owner=sample_user, original_filename="report.csv", content=b"a" * 1536)

        response = auth_client.get("/dashboard")

        html = response.get_data(as_text=True)
        assert "report.csv" in html
        assert "1.5 KB" in html

    def test_owner_downloads_attachment_with_original_name_and_bytes(
        self, auth_client: FlaskClient, own_upload: Upload
    ) -> None:
        # The download streams from an open file: the with-block closes it.
        with auth_client.get(f"/uploads/{own_upload.id}/download") as response:
            assert response.status_code == 200
            assert response.headers["Content-Disposition"] == "attachment; filename=notes.txt"
            assert response.data == b"my private notes\n"

    def test_other_user_cannot_download(self, other_client: FlaskClient, own_upload: Upload) -> None:
        response = other_client.get(f"/uploads/{own_upload.id}/download")

        assert response.status_code == 404

    def test_owner_delete_removes_row_and_file(
        self, auth_client: FlaskClient, own_upload: Upload, upload_root: Path, db
    ) -> None:
        upload_id, stored = own_upload.id, upload_root / own_upload.stored_name

        response = auth_client.post(f"/uploads/{upload_id}/delete")

        assert response.status_code == 302
        assert db.session.get(Upload, upload_id) is None
        assert not stored.exists()

    def test_other_user_delete_returns_404_and_keeps_file_and_row(
        self, other_client: FlaskClient, own_upload: Upload, upload_root: Path
    ) -> None:
        stored = upload_root / own_upload.stored_name

        response = other_client.post(f"/uploads/{own_upload.id}/delete")

        assert response.status_code == 404
        assert stored.read_bytes() == b"my private notes\n"
        assert Upload.query.filter_by(id=own_upload.id).count() == 1
