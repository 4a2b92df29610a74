"""Many people send the form at the same moment to gunicorn (four workers) on the default
SQLite database, with no Redis."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.bookings.helpers import valid_form_data

SUBMISSIONS = 50

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="exercises the embedded SQLite default; runs in the SQLite pass",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_on_sqlite(request, tmp_path, collected_static):
    """gunicorn with four workers on a migrated SQLite file; the rate limit is the test's
    parameter (`indirect`), or out of the way."""
    rate_limit = getattr(request, "param", 10000)
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "concurrency-test-" + "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_STATIC_ROOT": str(collected_static),
        "CONSULTATION_RATE_LIMIT": str(rate_limit),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    base = Path(settings.BASE_DIR)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=base, env=env, check=True)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "restoration_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=base,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url, tmp_path / "db.sqlite3"
    server.terminate()
    server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report the redirect to the thank-you page instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def submit(base: str, number: int) -> int:
    """One visitor: open the form (for the CSRF cookie and token), then send it."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    page = opener.open(base + "/book/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = valid_form_data(email=f"visitor{number}@client.example") | {"csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        base + "/book/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": base + "/book/"},
    )
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def test_fifty_simultaneous_requests_on_sqlite_lose_none(gunicorn_on_sqlite):
    base, database = gunicorn_on_sqlite
    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        statuses = list(pool.map(lambda n: submit(base, n), range(SUBMISSIONS)))
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT COUNT(*) FROM bookings_consultationrequest").fetchone()[0]
        emails = db.execute("SELECT COUNT(*) FROM bookings_notification").fetchone()[0]
    assert statuses.count(302) == SUBMISSIONS, statuses
    assert stored == SUBMISSIONS
    assert emails == 2 * SUBMISSIONS


@pytest.mark.parametrize("gunicorn_on_sqlite", [5], indirect=True)
def test_the_rate_limit_is_one_count_across_every_worker_without_redis(gunicorn_on_sqlite):
    base, database = gunicorn_on_sqlite
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda n: submit(base, n), range(12)))
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT COUNT(*) FROM bookings_consultationrequest").fetchone()[0]
    assert sorted(statuses) == [302] * 5 + [429] * 7
    assert stored == 5
