"""Many people send the form at the same moment to gunicorn (four workers) on the default
SQLite database, with no Redis."""

import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import (
    book_consultation,
    loopback_site_environment,
    manage,
    served_by_gunicorn,
)

SUBMISSIONS = 50

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="exercises the embedded SQLite default; runs in the SQLite pass",
)


@pytest.fixture
def gunicorn_on_sqlite(request, tmp_path, collected_static):
    """gunicorn with four workers on a migrated SQLite file; the rate limit is the test's
    parameter (`indirect`), or out of the way."""
    rate_limit = getattr(request, "param", 10000)
    env = loopback_site_environment(
        var_dir=tmp_path,
        static_root=collected_static,
        CONSULTATION_RATE_LIMIT=str(rate_limit),
    )
    manage("migrate", "-v0", env=env)
    options = ("--workers", "4", "--no-control-socket", "--log-level", "warning")
    with served_by_gunicorn(*options, env=env, logs=tmp_path / "logs") as server:
        yield server.url, tmp_path / "db.sqlite3"


def submit(base: str, number: int) -> int:
    """One visitor sends the form."""
    return book_consultation(base, email=f"visitor{number}@client.example")


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
