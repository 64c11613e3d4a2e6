"""Upload rules: allowed names, what the bytes really are, and where they are stored."""

from __future__ import annotations

import secrets
from pathlib import PurePath

from werkzeug.utils import secure_filename

# Leading bytes of the image formats we accept, and their content types.
IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
CONTENT_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}


def extension_of(filename: str) -> str:
    """Lower-case extension without the dot, or '' when there is none."""
    suffix = PurePath(filename).suffix
    return suffix[1:].lower() if suffix else ""


def is_allowed(filename: str, allowed: frozenset[str] | set[str]) -> bool:
    """Tell whether the file's extension is on the allow-list."""
    return extension_of(filename) in allowed


def sniff_image_type(head: bytes) -> str | None:
    """Return the image content type that the leading bytes prove, or None."""
    for signature, content_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def clean_filename(filename: str) -> str:
    """A display name safe to send back in headers and pages; never empty."""
    ext = extension_of(filename)
    suffix = f".{ext}" if ext else ""
    cleaned = secure_filename(filename)
    # secure_filename drops non-ASCII letters: "日本語.txt" becomes "txt", a name without its extension.
    if not cleaned or cleaned.startswith(".") or extension_of(cleaned) != ext:
        cleaned = "file" + suffix
    if len(cleaned) > 255:  # shorten the stem, keep the extension
        cleaned = cleaned[: 255 - len(suffix)] + suffix
    return cleaned


def stored_name_for(filename: str) -> str:
    """A random, unguessable name for the bytes on disk, keeping the extension."""
    ext = extension_of(filename)
    token = secrets.token_hex(16)
    return f"{token}.{ext}" if ext else token


def content_type_for(filename: str) -> str:
    """Content type by extension for non-image files."""
    return CONTENT_TYPES.get(extension_of(filename), "application/octet-stream")


def human_size(size: int) -> str:
    """Format a byte count the way people read it: '512 B', '1.5 KB', '2.0 MB'."""
    if size < 1024:
        return f"{size} B"
    if round(size / 1024, 1) < 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
