"""Finding a browser binary: Playwright's own download first, else a system Chromium.

Run ``python -m harness.browsers --install`` to install one when none is found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV_VAR = "HARNESS_BROWSER_PATH"
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


def _playwright_chromium_path() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def install() -> int:
    """Install a browser if none is found: Playwright's download, else Debian's chromium."""
    try:
        found = find_executable(None, _playwright_chromium_path())
        print(f"Browser found: {found or 'Playwright chromium'}")
        return 0
    except BrowserNotFound:
        pass
    print("Installing Playwright's Chromium…")
    if subprocess.call([sys.executable, "-m", "playwright", "install", "chromium"]) == 0:
        return 0
    if shutil.which("apt-get"):
        print("Playwright's download failed; installing Debian's chromium package…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.check_call(["apt-get", "update", "-qq"], env=env)
        subprocess.check_call(["apt-get", "install", "-y", "-qq", "chromium"], env=env)
        return 0
    print(INSTALL_HELP, file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--install"]:
        sys.exit(install())
    try:
        print(find_executable(None, _playwright_chromium_path()) or "Playwright chromium")
    except BrowserNotFound as exc:
        sys.exit(str(exc))
