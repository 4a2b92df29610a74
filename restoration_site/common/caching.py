"""Whole-page caching for the public pages that every visitor sees the same.

A client chooses the address it asks for, so nothing it sends may add cache entries without
limit. The key holds only what a page depends on: the view, the scheme, host and path, the
query parameters the view reads (in canonical form, see `query`), and the content version.
Any other parameter (`utm_source`, `fbclid`, a random one) finds the same copy.

Pages live in a cache of their own (`CACHES["pages"]`, local memory in each process, bounded
by its MAX_ENTRIES), never in the default cache, which holds the form's rate-limit counters
and the health check, nor in the sessions' store: no run of requests can push those out or
fill the Redis they share.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

PAGE_CACHE = "pages"
PAGE_TIMEOUT = 600
# A larger page is served but never kept, so the pages cache holds at most MAX_ENTRIES times
# this (plus about 1 KiB of headers per page) whatever staff write. The site's pages are
# 7 to 22 KB.
PAGE_MAX_BYTES = 64 * 1024

QueryKey = Callable[[HttpRequest], str | None]


def cached_public_page(
    *versions: Callable[[], str], query: QueryKey | None = None, timeout: int = PAGE_TIMEOUT
):
    """Cache a GET view's response per page, keyed on the version of the content it shows.

    Each `versions` function returns a string that changes when the content does (see
    `blog.selectors.content_version`), so an edit shows at once in every process. `query`
    turns the query parameters the view reads into their canonical form for the key (see
    `restoration_site.common.pagination.page_query`), or returns None when they are invalid: that
    response (a 404) is never cached. Without `query` the query string is ignored. Visitors
    with a session (staff previewing drafts) always get a fresh page, and so do error
    responses.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or (
                settings.SESSION_COOKIE_NAME in request.COOKIES
            ):
                return view(request, *args, **kwargs)
            parameters = query(request) if query else ""
            if parameters is None:
                return view(request, *args, **kwargs)
            key = page_key(view, request, parameters, "|".join(v() for v in versions))
            pages = caches[PAGE_CACHE]
            response = pages.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                if is_shareable(request, response):
                    pages.set(key, response, timeout)
            return response

        return wrapped

    return decorator


def page_key(view: Callable, request: HttpRequest, parameters: str, version: str) -> str:
    # Scheme and host too: pages build their links from SITE_URL, never the request, but a
    # copy made for one Host is never handed to a request naming another.
    identity = "|".join(
        [
            f"{view.__module__}.{view.__qualname__}",
            request.scheme,
            request.get_host(),
            request.path,
            parameters,
            version,
        ]
    )
    return "page:" + hashlib.sha256(identity.encode()).hexdigest()


def is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    # A page that set a cookie, used a CSRF token or asked not to be stored is someone's own:
    # never shared.
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= PAGE_MAX_BYTES
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in response.get("Cache-Control", "")
    )
