"""Health checks for the reverse proxy, the load balancer and monitoring.

`/healthz` checks everything a deployment needs (database, cache, email outbox);
`/healthz/web` only what a web process needs to serve pages (database and cache). The proxy's
active health check uses the second: a backlog of unsent email is the workers' problem, and
taking every web process out of rotation for it would take the whole site down with it.

Both answer one line of text and never anything about an enquiry or a person.
"""

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from bookings.services.outbox import oldest_pending_age_seconds

logger = logging.getLogger("restoration.health")

# A key of this process's own, so concurrent checks from other processes sharing the cache
# never read each other's value and mistake it for a round trip.
_CACHE_KEY = f"healthz:{secrets.token_hex(8)}"


class CheckFailed(Exception):
    """A check's one-line reason, safe to show to anyone who asks."""


def check_database() -> str:
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # The class name only: a driver's message can quote the connection string or a query.
        raise CheckFailed(f"database unavailable ({type(error).__name__})") from error
    return f"database={_milliseconds_since(started)}ms"


def check_cache() -> str:
    token = secrets.token_hex(8)
    try:
        started = time.perf_counter()
        cache.set(_CACHE_KEY, token, timeout=60)
        answered = cache.get(_CACHE_KEY)
    except Exception as error:
        raise CheckFailed(f"cache unavailable ({type(error).__name__})") from error
    if answered != token:
        # Local memory or Redis that silently drops writes (full, read-only replica).
        raise CheckFailed("cache unavailable (value not stored)")
    return f"cache={_milliseconds_since(started)}ms"


def check_outbox() -> str:
    limit = settings.HEALTHZ_MAX_OUTBOX_AGE_SECONDS
    try:
        age = oldest_pending_age_seconds() or 0
    except Exception as error:
        raise CheckFailed(f"outbox unavailable ({type(error).__name__})") from error
    if age > limit:
        raise CheckFailed(f"outbox: oldest unsent email is {int(age)} s old (limit {limit} s)")
    return f"outbox={int(age)}s"


CHECKS: dict[str, list[Callable[[], str]]] = {
    "/healthz": [check_database, check_cache, check_outbox],
    "/healthz/web": [check_database, check_cache],
}


def run_checks(checks: list[Callable[[], str]]) -> tuple[bool, str]:
    """Run every check; the outbox is not asked about when the database is away (it lives
    there). Returns whether all passed and the line to answer."""
    passed, failed = [], []
    for check in checks:
        if check is check_outbox and failed:
            continue
        try:
            passed.append(check())
        except CheckFailed as failure:
            failed.append(str(failure))
    if failed:
        return False, "; ".join(failed)
    return True, " ".join(["ok", *passed])


def _milliseconds_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


class HealthCheckMiddleware:
    """Answer the health check addresses before the rest of the site's middleware.

    Ahead of SecurityMiddleware on purpose: the proxy and the load balancer probe each process
    over plain http at its own address (`Host: 10.0.0.7:8000`), so SecurityMiddleware would
    redirect them to https and `ALLOWED_HOSTS` would refuse them; neither is ill health. Nothing
    here reads the Host header, a cookie or the session, and the answer is never cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        checks = CHECKS.get(request.path_info)
        if checks is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = self.plain_response("method not allowed", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        healthy, line = run_checks(checks)
        if not healthy:
            logger.warning("healthz_failed path=%s reason=%s", request.path_info, line)
        # HEAD loses its body in HeadWithoutBodyMiddleware, outside this one.
        return self.plain_response(line, status=200 if healthy else 503)

    @staticmethod
    def plain_response(line: str, *, status: int) -> HttpResponse:
        response = HttpResponse(
            f"{line}\n", status=status, content_type="text/plain; charset=utf-8"
        )
        # A cached "ok" would hide an outage; SecurityMiddleware, which would add nosniff,
        # never sees this response.
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
