"""Finding a browser binary: Playwright's own download first, else a system Chromium.

Run ``python -m flask_harness install-browser`` to install one when none is found (and the ffmpeg
that video recording needs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV_VAR = "FLASK_HARNESS_BROWSER_PATH"
SYSTEM_CHROMIUMS = (
    "/usr/lib/chromium/chromium",  # Debian's chromium package (the real binary, not the wrapper)
    "/usr/lib/chromium-browser/chromium-browser",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
INSTALL_HELP = (
    "No browser found for the e2e tests. Install one either way:\n"
    "  python -m playwright install chromium      (Playwright's own build; needs its download site)\n"
    "  sudo apt-get install chromium              (Debian/Ubuntu system Chromium)\n"
    f"or point {ENV_VAR} (or executable_path in playwright.config.py) at a Chromium binary."
)


class BrowserNotFound(RuntimeError):
    """No usable browser binary on this machine."""


def find_executable(configured: str | None, playwright_path: str | None,
                    system_candidates: tuple[str, ...] = SYSTEM_CHROMIUMS) -> str | None:
    """The binary to launch: None means Playwright's own download, which is present.

    Order: an explicit path (environment, then config file); Playwright's downloaded browser;
    the first system Chromium found. Raises BrowserNotFound with install instructions otherwise.
    """
    explicit = os.environ.get(ENV_VAR) or configured
    if explicit:
        if not Path(explicit).is_file():
            raise BrowserNotFound(f"Browser binary {explicit!r} does not exist.\n{INSTALL_HELP}")
        return explicit
    if playwright_path and Path(playwright_path).is_file():
        return None
    for candidate in system_candidates:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BrowserNotFound(INSTALL_HELP)


def playwright_chromium_path() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


# Screenshot baselines are stable only where pages render with the same fonts; on Debian and
# Ubuntu the sans-serif fallback is DejaVu Sans.
FONT_PACKAGE = "fonts-dejavu-core"
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def install() -> int:
    """Install a browser if none is found, the ffmpeg that video recording needs, and fonts."""
    status = _install_browser()
    if status == 0 and sys.platform.startswith("linux"):
        status = _install_ffmpeg()
    if status == 0 and sys.platform.startswith("linux"):
        install_fonts()
    return status


def install_fonts() -> None:
    """Debian's DejaVu fonts, so screenshots match the baselines made on another machine."""
    if FONT_FILE.exists() or not shutil.which("apt-get"):
        return
    print(f"Installing Debian's {FONT_PACKAGE} package (the fonts screenshot baselines are made with)…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    if subprocess.call(["apt-get", "install", "-y", "-qq", "--no-install-recommends", FONT_PACKAGE], env=env):
        print(f"Could not install {FONT_PACKAGE}: screenshots may differ from the baselines.", file=sys.stderr)


def _install_browser() -> int:
    try:
        found = find_executable(None, playwright_chromium_path())
        print(f"Browser found: {found or 'Playwright chromium'}")
        return 0
    except BrowserNotFound:
        pass
    print("Installing Playwright's Chromium…")
    if subprocess.call([sys.executable, "-m", "playwright", "install", "chromium"]) == 0:
        return 0
    if _apt_install("chromium"):
        return 0
    print(INSTALL_HELP, file=sys.stderr)
    return 1


def playwright_ffmpeg_path() -> Path:
    """Where Playwright looks for its ffmpeg build (revision from its browsers.json)."""
    import playwright

    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"]
                    if b["name"] == "ffmpeg")
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    return Path(root) / f"ffmpeg-{revision}" / "ffmpeg-linux"


def _install_ffmpeg() -> int:
    """Playwright's ffmpeg, else a system ffmpeg linked where Playwright looks for it."""
    target = playwright_ffmpeg_path()
    if target.exists():
        return 0
    if subprocess.call([sys.executable, "-m", "playwright", "install", "ffmpeg"]) == 0:
        return 0
    system = shutil.which("ffmpeg")
    if system is None and _apt_install("ffmpeg"):
        system = shutil.which("ffmpeg")
    if system is None:
        print("No ffmpeg: video recording (--video) will not work.", file=sys.stderr)
        return 0  # everything but video works
    print(f"Playwright's ffmpeg download failed; linking {system} at {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():  # left dangling by an ffmpeg since removed: exists() is False for it
        target.unlink()
    target.symlink_to(system)
    return 0


def _apt_install(package: str) -> bool:
    if not shutil.which("apt-get"):
        return False
    print(f"Playwright's download failed; installing Debian's {package} package…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.check_call(["apt-get", "update", "-qq"], env=env)
    subprocess.check_call(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], env=env)
    return True

