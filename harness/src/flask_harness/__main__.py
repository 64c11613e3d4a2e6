"""``python -m flask_harness install-browser``: find a browser for the e2e tests, or install one;
``merge``: one report and one JUnit file from the result bundles of N shards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flask_harness")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install-browser", help="install a browser (and ffmpeg for video) if none is found")
    commands.add_parser("find-browser", help="print the browser binary the harness will use")
    merging = commands.add_parser("merge", help="merge shards' result bundles into one report and JUnit file")
    merging.add_argument("bundles", nargs="+", type=Path, help="bundle folders (pytest --harness-bundle)")
    merging.add_argument("--html", type=Path, help="write the merged HTML report here")
    merging.add_argument("--junit", type=Path, help="write the merged JUnit XML here")
    merging.add_argument("--durations", type=Path, help="write the merged test durations here (for --shard)")
    merging.add_argument("--fail-on-flaky", action="store_true", help="exit 7 when a test passed only on a retry")
    args = parser.parse_args(argv)
    if args.command == "merge":
        from flask_harness.run.report import merge_command

        return merge_command(args.bundles, args.html, args.junit, args.durations, args.fail_on_flaky)
    from flask_harness.browser import binary as browser_binary

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
