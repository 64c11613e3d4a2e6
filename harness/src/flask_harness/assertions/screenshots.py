"""Screenshot assertions against baseline PNGs: the ``expect_screenshot`` and ``frozen_clock`` fixtures.

A baseline is ``<test file>-snapshots/<name>-<browser>-<platform>.png``. Screenshots are taken
with animations stopped and the caret hidden, and compared with pixelmatch; on a difference the
expected, actual and diff images are kept in the test's artifact folder and listed in the report.
Needs the ``visual`` extra (pixelmatch, Pillow).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from flask_harness.assertions.baselines import (
    baseline_lock,
    describe_path,
    platform_name,
    project_name,
    safe_name,
    snapshot_folder,
    updating,
    write_atomic,
)
from flask_harness.run.artifacts import keep, record_of

if TYPE_CHECKING:
    from PIL.Image import Image
    from playwright.sync_api import Locator, Page

# Playwright Test's defaults for toHaveScreenshot.
DEFAULT_THRESHOLD = 0.2
STABLE_TIMEOUT_SECONDS = 5.0
VISUAL_EXTRA_HINT = "Screenshot assertions need the visual extra: pip install 'pytest-flask-harness[visual]'."


class ExpectScreenshot(Protocol):
    """``expect_screenshot(page_or_locator, "name", mask=[...], threshold=0.2, max_diff_pixels=0, ...)``."""

    def __call__(self, target: Page | Locator, name: str, *, mask: Sequence[Locator] = (),
                 threshold: float = DEFAULT_THRESHOLD, max_diff_pixels: int | None = None,
                 max_diff_pixel_ratio: float | None = None, full_page: bool = False) -> None: ...


@dataclass(frozen=True)
class Comparison:
    """How a screenshot differs from its baseline: nothing (``None`` message) or why not."""

    message: str | None
    diff_png: bytes | None = None


def compare(expected_png: bytes, actual_png: bytes, threshold: float, max_diff_pixels: int | None,
            max_diff_pixel_ratio: float | None) -> Comparison:
    """Compare two PNGs with pixelmatch; the allowance is the stricter of the two limits given."""
    if expected_png == actual_png:
        return Comparison(None)
    try:
        from PIL import Image
        from pixelmatch.contrib.PIL import pixelmatch
    except ImportError as exc:
        raise pytest.UsageError(f"{VISUAL_EXTRA_HINT} ({exc})") from None

    expected = Image.open(io.BytesIO(expected_png)).convert("RGBA")
    actual = Image.open(io.BytesIO(actual_png)).convert("RGBA")
    if expected.size != actual.size:
        return Comparison(f"size differs: expected {expected.size[0]}x{expected.size[1]}, "
                          f"got {actual.size[0]}x{actual.size[1]}")
    box = changed_box(expected, actual)
    if box is None:
        return Comparison(None)
    # pixelmatch is pure Python (~10 s for 1280x800): give it only the part that changed, with
    # a margin for its anti-aliasing check, which looks two pixels around each pixel.
    diff_part = Image.new("RGBA", (box[2] - box[0], box[3] - box[1]))
    different = pixelmatch(expected.crop(box), actual.crop(box), output=diff_part, threshold=threshold)
    total = expected.size[0] * expected.size[1]
    allowed = allowed_pixels(total, max_diff_pixels, max_diff_pixel_ratio)
    if different <= allowed:
        return Comparison(None)
    diff = faded(expected)
    diff.paste(diff_part, box[:2])
    return Comparison(f"{different} pixels differ ({different / total:.2%} of {total}); "
                      f"{allowed} allowed", png_bytes(diff))


def changed_box(expected: Image, actual: Image, margin: int = 3) -> tuple[int, int, int, int] | None:
    """The rectangle holding every changed pixel, widened by ``margin``; None when none changed."""
    from PIL import ImageChops

    box = ImageChops.difference(expected, actual).getbbox(alpha_only=False)
    if box is None:
        return None
    width, height = expected.size
    return max(box[0] - margin, 0), max(box[1] - margin, 0), min(box[2] + margin, width), min(box[3] + margin, height)


def faded(image: Image) -> Image:
    """The expected image in faint grey, as pixelmatch draws the unchanged pixels of a diff."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    grey = ImageOps.grayscale(image.convert("RGB")).convert("RGBA")
    return PILImage.blend(PILImage.new("RGBA", image.size, "white"), grey, 0.1)


def allowed_pixels(total: int, max_diff_pixels: int | None, max_diff_pixel_ratio: float | None) -> int:
    """How many pixels may differ: the stricter limit when both are given, none when neither is."""
    limits = [max_diff_pixels] if max_diff_pixels is not None else []
    if max_diff_pixel_ratio is not None:
        limits.append(int(total * max_diff_pixel_ratio))
    return min(limits) if limits else 0


def png_bytes(image: Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def stable_screenshot(take: Callable[[], bytes], first: bytes | None = None) -> bytes:
    """Screenshots until two in a row are identical (Playwright Test waits for the page the same way)."""
    previous = first if first is not None else take()
    deadline = time.monotonic() + STABLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        current = take()
        if current == previous:
            return current
        previous = current
    raise AssertionError(f"The page kept changing for {STABLE_TIMEOUT_SECONDS}s; mask the moving parts "
                         "(mask=[locator]) or freeze them (frozen_clock).")


def keep_failure(item: pytest.Item, name: str, expected: bytes, actual: bytes, diff: bytes | None) -> list[Path]:
    """Save the expected, actual and diff images in the test's artifact folder; list them in the report."""
    if not record_of(item).has_artifacts:  # a page that is not the harness's: no artifact folder
        return []
    images = {"expected": expected, "actual": actual, "diff": diff}
    saved = [keep(item, f"{name}-{kind}.png", data) for kind, data in images.items() if data is not None]
    return saved


@pytest.fixture
def expect_screenshot(request: pytest.FixtureRequest, browser_name: str) -> ExpectScreenshot:
    """Assert that a page or locator looks like its baseline PNG (``--update-snapshots`` rewrites it).

    A missing baseline is written and the test fails, saying so; a baseline is per browser and
    platform, so one made elsewhere is never silently reused.
    """
    item = request.node
    config = request.config

    def _expect_screenshot(target: Page | Locator, name: str, *, mask: Sequence[Locator] = (),
                           threshold: float = DEFAULT_THRESHOLD, max_diff_pixels: int | None = None,
                           max_diff_pixel_ratio: float | None = None, full_page: bool = False) -> None:
        __tracebackhide__ = True
        # Playwright Test's name: <name>-<project>-<platform>.png, the browser's name without projects.
        file_name = f"{safe_name(name)}-{safe_name(project_name(item) or browser_name)}-{platform_name()}.png"
        baseline = snapshot_folder(item) / file_name
        shown = describe_path(config, baseline)

        def take() -> bytes:
            options: dict[str, Any] = {"animations": "disabled", "caret": "hide", "mask": list(mask),
                                       "scale": "css"}
            if full_page and hasattr(target, "goto"):
                options["full_page"] = True
            return target.screenshot(**options)

        def check(expected: bytes, actual: bytes) -> Comparison:
            return compare(expected, actual, threshold, max_diff_pixels, max_diff_pixel_ratio)

        actual = take()
        if baseline.exists():
            expected = baseline.read_bytes()
            result = check(expected, actual)
            if result.message is None:
                return
            actual = stable_screenshot(take, actual)
            result = check(expected, actual)
            if result.message is None:
                return
            if not updating(config):
                saved = keep_failure(item, safe_name(name), expected, actual, result.diff_png)
                raise AssertionError(f"Screenshot {name!r} does not match {shown}: {result.message}.\n"
                                     f"Kept: {', '.join(str(path) for path in saved)}\n"
                                     "If the change is intended, run pytest --update-snapshots.")
        else:
            actual = stable_screenshot(take, actual)
        with baseline_lock(config, baseline):
            # Another worker may have written it meanwhile: a matching baseline is left as it is.
            if baseline.exists() and check(baseline.read_bytes(), actual).message is None:
                return
            existed = baseline.exists()
            write_atomic(baseline, actual)
        note_written(item, shown, existed)
        if not existed and not updating(config):
            raise AssertionError(f"No baseline for screenshot {name!r}: wrote {shown}{others_note(baseline)}. "
                                 "Check it, commit it, and run the test again.")

    return _expect_screenshot


def others_note(baseline: Path) -> str:
    """Name baselines of other platforms or browsers: they exist but are not used here."""
    stem = baseline.name.rsplit("-", 2)[0]
    others = sorted(p.name for p in baseline.parent.glob(f"{stem}-*.png")
                    if p.name != baseline.name and p.name.count("-") == baseline.name.count("-"))
    if not others:
        return ""
    return (f" (baselines for other browsers or platforms exist, {', '.join(others)}, and are not used: "
            "rendering differs between them)")


BASELINES_WRITTEN = pytest.StashKey[list[str]]()


def note_written(item: pytest.Item, shown: str, replaced: bool) -> None:
    item.stash.setdefault(BASELINES_WRITTEN, []).append(f"{'replaced' if replaced else 'wrote'} baseline {shown}")


def pytest_flask_harness_report(item: pytest.Item, report: Any) -> None:
    """List the baselines a test wrote in its report (``-rP`` shows them for passing tests)."""
    written = item.stash.get(BASELINES_WRITTEN, None)
    if report.when == "call" and written:
        report.sections.append(("flask-harness baselines", "\n".join(written)))


class FrozenClock(Protocol):
    """``frozen_clock(when)``: the page's ``Date`` shows ``when`` and does not move."""

    def __call__(self, when: datetime | str | int) -> None: ...


@pytest.fixture
def frozen_clock(page: Page) -> Iterator[FrozenClock]:
    """Freeze the time the page's scripts see (Playwright's ``page.clock``), for pages that show times.

    A clock cannot be uninstalled from a browser context, so a reused page is closed after the
    test; the next test then gets a new context.
    """
    used = False

    def _freeze(when: datetime | str | int) -> None:
        nonlocal used
        used = True
        page.clock.set_fixed_time(when)

    yield _freeze
    if used and not page.is_closed():
        page.close()
