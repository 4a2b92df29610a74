"""Who is asking, and how often: the client's address and a per-address limit.

One rule for the client's address serves the consultation form's rate limit and the admin's
sign-in lockout alike, so both count the visitor behind a proxy, never the proxy itself.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address.

    Behind a trusted proxy (DJANGO_TRUST_X_FORWARDED_FOR=1), the address the proxy appended last
    to X-Forwarded-For: anything before it was written by the client and proves nothing. A value
    that is not an address falls back to the connection's own.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return remote


def address_block(ip: str) -> str:
    """What one visitor controls: an IPv4 address, or an IPv6 /64 (a single home or phone is
    given a whole /64, so counting each IPv6 address alone would be no limit at all)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _slot_prefix(*, scope: str, ip: str) -> str:
    window = settings.CONSULTATION_RATE_WINDOW_SECONDS
    return f"ratelimit:{scope}:{address_block(ip)}:{int(time.time() // window)}"


def reserve_attempt(
    *, ip: str, scope: str = "consultation", limit: int | None = None
) -> str | None:
    """Take one of this address's attempts for the current window; None when all are taken.
    Each `scope` counts on its own, up to `limit` (CONSULTATION_RATE_LIMIT by default) per
    CONSULTATION_RATE_WINDOW_SECONDS.

    Attempts are numbered slots taken with `cache.add`, which is atomic in every cache backend
    (a unique key in the database cache, SET NX in Redis): the count is exact across processes
    and machines, even for simultaneous requests, with no read-modify-write to race. Returns the
    slot's key, to give back with `release_attempt` if the attempt turns out not to count.
    """
    prefix = _slot_prefix(scope=scope, ip=ip)
    window = settings.CONSULTATION_RATE_WINDOW_SECONDS
    allowed = settings.CONSULTATION_RATE_LIMIT if limit is None else limit
    for slot in range(1, allowed + 1):
        key = f"{prefix}:{slot}"
        if cache.add(key, 1, timeout=window):
            return key
    return None


def release_attempt(key: str) -> None:
    """Give an attempt back: a form sent with mistakes is not abuse, and a visitor who corrects
    five mistakes must not be refused on the sixth try."""
    cache.delete(key)
