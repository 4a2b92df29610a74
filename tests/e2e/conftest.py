"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests are skipped with one line, unless E2E_REQUIRED=1 (CI sets
it), which turns the skip into a failure.
"""

import os
import shutil
import threading

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer

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


def one_request_at_a_time(application):
    """The application, running one request at a time: each holds the lock from the call until
    its response is closed (its body written), so two never use the database together."""
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            response = application(environ, start_response)
            try:
                yield from response
            finally:
                if hasattr(response, "close"):
                    response.close()

    return serialised


class SharedConnectionServer(ThreadedWSGIServer):
    """The live server, for a database every request shares.

    With SQLite in memory, Django hands the test's own connection to every request thread, and
    one sqlite3 connection used by two threads at once can hang both for good (seen when an
    admin page and the requests its scripts make arrived together). The server still accepts
    connections in threads, as the browser opens several; only the application runs one
    request at a time. Other databases give each thread its own connection and are unchanged."""

    def set_app(self, application):
        if self.connections_override:
            application = one_request_at_a_time(application)
        super().set_app(application)


@pytest.fixture(scope="session", autouse=True)
def live_server_one_request_at_a_time_on_a_shared_connection():
    from django.test.testcases import LiveServerThread

    original = LiveServerThread.server_class
    LiveServerThread.server_class = SharedConnectionServer
    yield
    LiveServerThread.server_class = original


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
