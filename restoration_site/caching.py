"""Whole-page caching for the public pages that every visitor sees the same."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

PAGE_TIMEOUT = 600


def cached_public_page(*versions: Callable[[], str], timeout: int = PAGE_TIMEOUT):
    """Cache a GET view's response per URL, keyed on the version of the content it shows.

    Each `versions` function returns a string that changes when the content does (see
    `blog.selectors.content_version`), so an edit shows at once in every process. Visitors with a
    session (staff previewing drafts) always get a fresh page, and so do error responses.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or (
                settings.SESSION_COOKIE_NAME in request.COOKIES
            ):
                return view(request, *args, **kwargs)
            version = "|".join(get_version() for get_version in versions)
            identity = f"{view.__module__}.{view.__name__}|{request.get_full_path()}|{version}"
            key = "page:" + hashlib.sha256(identity.encode()).hexdigest()
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                # A page that set a cookie or used a CSRF token is someone's own: never shared.
                if (
                    response.status_code == 200
                    and not response.cookies
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                ):
                    cache.set(key, response, timeout)
            return response

        return wrapped

    return decorator
