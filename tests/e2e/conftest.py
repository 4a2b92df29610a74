"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests are skipped with one line, unless E2E_REQUIRED=1 (CI sets
it), which turns the skip into a failure.
"""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# The narrowest screen WCAG's Reflow asks for: small phones, or a desktop browser at 400% zoom.
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "small-phone": SMALL_PHONE, "desktop": DESKTOP}

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if "tests/e2e/" in item.nodeid]
    if not browser_tests or chromium_available():
        return
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.exit(f"browser tests are required but there is no Chromium at {CHROMIUM}", 1)
    reason = f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def static_files_through_whitenoise():
    """Let the live server's static requests reach WhiteNoise and the hashed, collected files
    (as in production) instead of Django's finder-based handler, which knows no hashed names."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    original = StaticFilesHandler._should_handle
    StaticFilesHandler._should_handle = lambda self, path: False
    yield
    StaticFilesHandler._should_handle = original


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(params=["phone", "desktop"])
def viewport(request) -> dict:
    """Phone and desktop; a test chooses others with
    `@pytest.mark.parametrize("viewport", ["phone", "small-phone"], indirect=True)`."""
    return VIEWPORTS[request.param]


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    return {**browser_context_args, "viewport": viewport, "locale": "en-GB"}


@pytest.fixture
def site(reference_data, live_server, transactional_db) -> str:
    """The live server's address, with the reference data in place: each browser test's flush
    removes it, so it is loaded again for every test.

    Not Django's serialized rollback: once Playwright has started, the test sees a new database
    connection (Django keeps one per context), without the copy Django made when it set up the
    database for tests that ran before the browser tests."""
    call_command("loaddata", str(reference_data), verbosity=0)
    return live_server.url
