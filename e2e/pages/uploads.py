"""The Files page (/upload): upload a file or an image, list, download and delete your files."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import FilePayload, Locator, Response

from e2e.pages.nav import BasePage


def payload(name: str, content: bytes, mime_type: str = "application/octet-stream") -> FilePayload:
    """A file to choose in a file input, without writing it to disk."""
    return {"name": name, "mimeType": mime_type, "buffer": content}


class UploadsPage(BasePage):
    """/upload: the logged-in user's files, and the two upload forms."""

    path = "/upload"
    last_download_name: str | None = None

    @property
    def upload_section(self) -> Locator:
        return self.main.get_by_role("region", name="Upload a file")

    @property
    def image_section(self) -> Locator:
        return self.main.get_by_role("region", name="Upload an image")

    @property
    def files_section(self) -> Locator:
        return self.main.get_by_role("region", name="Your files")

    @property
    def file_input(self) -> Locator:
        return self.upload_section.get_by_label("File", exact=True)

    @property
    def description_input(self) -> Locator:
        return self.upload_section.get_by_label("Description", exact=True)

    @property
    def upload_button(self) -> Locator:
        return self.upload_section.get_by_role("button", name="Upload", exact=True)

    @property
    def image_input(self) -> Locator:
        return self.image_section.get_by_label("Image", exact=True)

    @property
    def upload_image_button(self) -> Locator:
        return self.image_section.get_by_role("button", name="Upload image", exact=True)

    @property
    def limits(self) -> Locator:
        """The sentence stating the allowed types and the size limit."""
        return self.upload_section.get_by_text("Allowed:")

    @property
    def no_files(self) -> Locator:
        return self.files_section.get_by_text("No files yet.", exact=True)

    def row(self, filename: str) -> Locator:
        """The table row of one file, found by its exact name."""
        return self.files_section.get_by_role("row").filter(
            has=self.page.get_by_role("cell", name=filename, exact=True)
        )

    def cells(self, filename: str) -> Locator:
        """The cells of a file's row: name, size, description, actions."""
        return self.row(filename).get_by_role("cell")

    def download_link(self, filename: str) -> Locator:
        return self.files_section.get_by_role("link", name=f"Download {filename}", exact=True)

    def delete_button(self, filename: str) -> Locator:
        return self.files_section.get_by_role("button", name=f"Delete {filename}", exact=True)

    def upload(self, file: str | Path | FilePayload, description: str = "") -> None:
        """Choose a file (a path or a ``payload(...)``), describe it and press Upload."""
        self.file_input.set_input_files(file)
        self.description_input.fill(description)
        self.upload_button.click()

    def upload_image(self, file: str | Path | FilePayload) -> None:
        """Choose an image under "Upload an image" and press Upload image."""
        self.image_input.set_input_files(file)
        self.upload_image_button.click()

    def download(self, filename: str) -> bytes:
        """Click the file's Download link; return the bytes the browser saved.

        The name the browser saved it under is kept in ``last_download_name``.
        """
        with self.page.expect_download() as info:
            self.download_link(filename).click()
        download = info.value
        self.last_download_name = download.suggested_filename
        return Path(download.path()).read_bytes()

    def delete(self, filename: str) -> None:
        """Press the file's Delete button."""
        self.delete_button(filename).click()

    def open_download_url(self, upload_id: int) -> Response | None:
        """Type a file's download address in the address bar, as someone guessing ids would."""
        return self.page.goto(f"/uploads/{upload_id}/download")
