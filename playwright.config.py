"""Settings of the browser layer (e2e/), read by the harness.

pytest-playwright's flags override them for one run: --headed, --browser, --slowmo, --tracing,
--video, --screenshot, --output. Environment: FLASK_HARNESS_BROWSER_PATH points at a browser binary.
"""

# Which browser engine, and how it runs.
browser = "chromium"
headless = True
slow_mo_ms = 0
# A browser binary to use instead of Playwright's own download (None: discover one, see README).
executable_path = None
# Extra flags for Chromium; these keep it quiet on a machine with a closed network.
chromium_args = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The page every test gets.
viewport = {"width": 1280, "height": 800}
locale = "en-US"
timezone_id = "UTC"
# Rendering that the screenshot baselines (e2e/*.py-snapshots/) were made with.
color_scheme = "light"
device_scale_factor = 1

# Timeouts, in milliseconds.
action_timeout_ms = 5_000
navigation_timeout_ms = 10_000
expect_timeout_ms = 5_000

# Artifacts: "on" | "off" | "retain-on-failure" (video); the same, "on-first-retry" or
# "rerun-on-failure" (trace: a failing journey is run again, recording its trace, and stays failed;
# a passing one records nothing); "on" | "off" | "only-on-failure" (screenshot). Kept files go under
# output_dir/<test id>/ (attempt-N/ when a test ran more than once).
trace = "rerun-on-failure"
# Screencast frames in the trace (DOM snapshots are always in it); costs ~150 ms a test.
trace_screenshots = False
screenshot = "only-on-failure"
video = "off"
output_dir = "test-results"

# Reuse one browser page per worker, its cookies, storage and routes cleared after every test.
# Set to False to give every test a new context and page (pytest-playwright's default).
reuse_page = True
