"""Upload helpers in webapp.files: extensions, content sniffing, safe names and sizes."""

from __future__ import annotations

import re

import pytest

from webapp.files import (
    clean_filename,
    content_type_for,
    extension_of,
    human_size,
    is_allowed,
    sniff_image_type,
    stored_name_for,
)

pytestmark = pytest.mark.unit

ALLOWED = frozenset({"txt", "pdf", "png"})


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("photo.PNG", "png"), (".bashrc", "")],
    ids=["upper-case", "hidden-file"],
)
def test_extension_is_last_suffix_lower_cased(filename: str, expected: str) -> None:
    assert extension_of(filename) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("Report.PDF", True), ("payload.exe", False)],
    ids=["listed-any-case", "unlisted"],
)
def test_is_allowed_checks_extension_against_allow_list(filename: str, expected: bool) -> None:
    assert is_allowed(filename, ALLOWED) is expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF87a\x01\x00\x01\x00", "image/gif"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"just some plain text", None),
        (b"", None),
    ],
    ids=["png", "jpeg", "gif87a", "gif89a", "plain-text", "empty"],
)
def test_sniff_image_type_recognises_signatures(head: bytes, expected: str | None) -> None:
    assert sniff_image_type(head) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("", "file"),
        (".bashrc", "bashrc"),
        ("日本語.txt", "file.txt"),
    ],
    ids=["path-traversal", "empty", "dotfile", "non-latin-stem"],
)
def test_clean_filename_returns_safe_display_name(filename: str, expected: str) -> None:
    assert clean_filename(filename) == expected


def test_clean_filename_truncates_long_name_but_keeps_extension() -> None:
    assert clean_filename("a" * 300 + ".txt") == "a" * 251 + ".txt"


def test_stored_name_is_random_hex_with_lower_cased_extension() -> None:
    assert re.fullmatch(r"[0-9a-f]{32}\.png", stored_name_for("Holiday Photo.PNG"))


def test_stored_names_for_same_file_differ() -> None:
    assert stored_name_for("notes.txt") != stored_name_for("notes.txt")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("notes.TXT", "text/plain"), ("archive.zip", "application/octet-stream")],
    ids=["known", "unknown"],
)
def test_content_type_follows_extension(filename: str, expected: str) -> None:
    assert content_type_for(filename) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"), (1536, "1.5 KB"), (1048576, "1.0 MB")],
)
def test_human_size_picks_unit_and_one_decimal(size: int, expected: str) -> None:
    assert human_size(size) == expected
