"""``python -m flask_harness install-browser``: find a browser for the e2e tests, or install one."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flask_harness")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install-browser", help="install a browser (and ffmpeg for video) if none is found")
    commands.add_parser("find-browser", help="print the browser binary the harness will use")
    args = parser.parse_args(argv)
    from flask_harness import browser_binary

    if args.command == "install-browser":
        return browser_binary.install()
    try:
        print(browser_binary.find_executable(None, browser_binary.playwright_chromium_path())
              or "Playwright's own chromium")
    except browser_binary.BrowserNotFound as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
