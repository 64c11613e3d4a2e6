"""Deterministic rendering: colour scheme and scale from playwright.config.py, fonts from install-browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_harness.browser import binary as browser_binary
from flask_harness.config.playwright_config import load_settings


def test_color_scheme_and_device_scale_factor_reach_the_context_args(tmp_path: Path) -> None:
    (tmp_path / "playwright.config.py").write_text('color_scheme = "dark"\ndevice_scale_factor = 2\n')

    args = load_settings(tmp_path).context_args()

    assert args["color_scheme"] == "dark"
    assert args["device_scale_factor"] == 2


def test_defaults_render_light_at_scale_one(tmp_path: Path) -> None:
    args = load_settings(tmp_path).context_args()

    assert (args["color_scheme"], args["device_scale_factor"]) == ("light", 1.0)


@pytest.mark.parametrize(("line", "message"), [
    ('color_scheme = "sepia"', "color_scheme must be one of"),
    ('device_scale_factor = "2"', "device_scale_factor must be like 1.0"),
])
def test_a_wrong_rendering_setting_is_a_usage_error(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "playwright.config.py").write_text(line + "\n")

    with pytest.raises(pytest.UsageError, match=message):
        load_settings(tmp_path)


def test_install_adds_debians_fonts_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(browser_binary, "FONT_FILE", tmp_path / "DejaVuSans.ttf")
    monkeypatch.setattr(browser_binary.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda command, **_: calls.append(command) or 0)

    browser_binary.install_fonts()

    assert calls[-1][:2] == ["apt-get", "install"]
    assert calls[-1][-1] == "fonts-dejavu-core"


def test_install_leaves_fonts_alone_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "DejaVuSans.ttf"
    font.write_bytes(b"")
    monkeypatch.setattr(browser_binary, "FONT_FILE", font)
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda *_a, **_k: pytest.fail("nothing to install"))

    browser_binary.install_fonts()
