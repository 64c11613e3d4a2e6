"""Journeys through the Files page: upload, list, download, delete, refusals and privacy."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import ErrorPage
from e2e.pages.uploads import UploadsPage, payload
from factories import UploadFactory, UserFactory
from factories.files import PNG_1X1 as PNG_DATA

pytestmark = pytest.mark.e2e

# 1536 bytes that are not all alike, so a truncated or reordered download cannot pass.
NOTES = bytes(range(256)) * 6


@pytest.fixture
def uploads(page: Page, db, login_as) -> UploadsPage:
    """The Files page of a freshly logged-in user."""
    login_as(UserFactory())
    uploads = UploadsPage(page)
    uploads.goto()
    return uploads


def test_uploading_a_file_lists_it_with_its_human_size_and_description(uploads: UploadsPage) -> None:
    uploads.upload(payload("notes.txt", NOTES, "text/plain"), "Meeting notes")

    expect(uploads.status_flash).to_have_text("File uploaded successfully: notes.txt")
    expect(uploads.cells("notes.txt")).to_have_text(["notes.txt", "1.5 KB", "Meeting notes", "Download Delete"])
    expect(uploads.no_files).to_be_hidden()


def test_downloading_an_uploaded_file_returns_the_same_bytes(uploads: UploadsPage) -> None:
    uploads.upload(payload("notes.txt", NOTES, "text/plain"), "Meeting notes")
    expect(uploads.row("notes.txt")).to_be_visible()

    downloaded = uploads.download("notes.txt")

    assert downloaded == NOTES
    assert uploads.last_download_name == "notes.txt"


def test_deleting_a_file_removes_it_from_the_list_and_the_disk(
    uploads: UploadsPage, upload_root: Path
) -> None:
    uploads.upload(payload("notes.txt", NOTES, "text/plain"))
    expect(uploads.row("notes.txt")).to_be_visible()
    assert [path.read_bytes() for path in upload_root.iterdir()] == [NOTES]

    uploads.delete("notes.txt")

    expect(uploads.status_flash).to_have_text("Deleted notes.txt.")
    expect(uploads.row("notes.txt")).to_have_count(0)
    expect(uploads.no_files).to_be_visible()
    assert list(upload_root.iterdir()) == []


def test_uploading_a_real_png_through_upload_an_image_lists_it(uploads: UploadsPage) -> None:
    uploads.upload_image(payload("photo.png", PNG_DATA, "image/png"))

    expect(uploads.status_flash).to_have_text("Image uploaded successfully: photo.png")
    expect(uploads.cells("photo.png")).to_have_text(["photo.png", f"{len(PNG_DATA)} B", "", "Download Delete"])
    assert uploads.download("photo.png") == PNG_DATA


def test_uploading_a_forbidden_file_type_is_refused(uploads: UploadsPage, upload_root: Path) -> None:
    uploads.upload(payload("setup.exe", b"MZ\x90\x00 not really a program", "application/x-msdownload"))

    expect(uploads.error_flash).to_have_text("File type not allowed.")
    expect(uploads.no_files).to_be_visible()
    assert list(upload_root.iterdir()) == []


def test_uploading_text_named_png_is_refused_as_a_content_mismatch(
    uploads: UploadsPage, upload_root: Path
) -> None:
    uploads.upload_image(payload("photo.png", b"just some text, not an image", "image/png"))

    expect(uploads.error_flash).to_have_text("File content does not match its type.")
    expect(uploads.no_files).to_be_visible()
    assert list(upload_root.iterdir()) == []


def test_uploading_a_file_over_the_size_limit_shows_the_file_too_large_page(
    uploads: UploadsPage, app: Flask, monkeypatch: pytest.MonkeyPatch, upload_root: Path
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    uploads.goto()
    expect(uploads.limits).to_contain_text("at most 1.0 KB.")

    uploads.upload(payload("big.txt", b"x" * 64 * 1024, "text/plain"))

    expect(ErrorPage(uploads.page).heading).to_have_text("File too large")
    assert list(upload_root.iterdir()) == []


def test_another_user_neither_sees_nor_downloads_someone_elses_file(
    page: Page, db, login_as
) -> None:
    owner, intruder = UserFactory(), UserFactory()
    secret = UploadFactory(owner=owner, original_filename="secret.txt", content=b"owner only\n")
    uploads, dashboard = UploadsPage(page), DashboardPage(page)
    login_as(owner)
    uploads.goto()
    expect(uploads.row("secret.txt")).to_be_visible()

    login_as(intruder)

    uploads.goto()
    expect(uploads.no_files).to_be_visible()
    expect(uploads.row("secret.txt")).to_have_count(0)
    dashboard.goto()
    expect(dashboard.greeting(intruder.username)).to_be_visible()
    expect(dashboard.no_files).to_be_visible()
    expect(dashboard.file_row("secret.txt")).to_have_count(0)
    response = uploads.open_download_url(secret.id)
    assert response is not None
    assert response.status == 404
    expect(ErrorPage(page).heading).to_have_text("Page Not Found")
