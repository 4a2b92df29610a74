"""Pages for one person's eyes, opened with a secret in the address (a client's link to their
appointment): never stored, never indexed, never named to another site.

`Referrer-Policy: no-referrer` keeps the secret out of the `Referer` header of anything the
page links to or loads. Under that policy browsers send the page's own forms with `Origin:
null` and no `Referer` (the Fetch standard), which Django's CSRF check refuses as it stands:
`csrf_protect_without_referrer` keeps the check of the CSRF token (cookie and form) and refuses
an `Origin` naming another site, but accepts `null` and a missing `Referer`. What the strict
`Referer` check adds on https (a network attacker planting a CSRF cookie) HSTS already stops,
and these forms also need the secret in their address.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer of the view, error pages included: `Cache-Control: no-store` (and the rest
    of Django's never-cache headers), `X-Robots-Tag: noindex`, `Referrer-Policy: no-referrer`.
    The site's page cache never keeps a `no-store` page either (`caching.is_shareable`)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


class _CsrfWithoutReferrer(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        return request.META["HTTP_ORIGIN"] == "null" or super()._origin_verified(request)

    def _check_referer(self, request: HttpRequest) -> None:
        if request.META.get("HTTP_REFERER"):
            super()._check_referer(request)


def csrf_protect_without_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CSRF protection for the forms of a `private_page` (see the module's docstring)."""
    return csrf_exempt(decorator_from_middleware(_CsrfWithoutReferrer)(view))
