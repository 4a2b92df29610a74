"""Site-wide protections that no package provides in the shape we need."""

import base64
import functools
import hashlib
import logging

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from bookings.forms import photo_size_limits

security_log = logging.getLogger("restoration.security")

# Features a clinic website never uses; turned off so an injected frame or script cannot ask.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the largest legitimate form (three photos and the
    fields) before Django reads it, with a 413 page.

    The page is the site's own (header, footer, the clinic's phone number), rendered with the
    request for them: the context processors read settings only, and nothing reads the body.
    It says how to get back to the answers: the browser's Back button keeps what was typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            security_log.warning("request_too_large bytes=%s path=%s", length, request.path)
            context = {
                "max_photos": settings.MAX_ENQUIRY_PHOTOS,
                "photo_size_limits": photo_size_limits(),
            }
            # No "Connection: close": a WSGI application may not send hop-by-hop headers (PEP
            # 3333). gunicorn drops it (its sync workers close every connection anyway) and
            # wsgiref-based servers (runserver, the browser tests' live server) answer 500.
            return HttpResponse(render_to_string("413.html", context, request=request), status=413)
        return self.get_response(request)


class HeadWithoutBodyMiddleware:
    """Answer HEAD with a GET's headers and no body (RFC 9110, section 9.3.2).

    Django's views render the body for HEAD as for GET and leave it to the server to drop;
    gunicorn 27 drops it but logs a warning each time, and uptime monitors send HEAD all day.
    Content-Length stays the GET's, as the RFC allows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # A file being streamed stays registered for closing at the end of the request.
                response.streaming_content = []
            else:
                response.content = b""
        return response


@functools.cache
def _prose_editor_importmap_hash() -> str:
    """The CSP hash of the rich-text editor's inline import map (the admin's only inline
    script); its text depends on the hashed static file names, so it is computed once per
    process, after static files are collected."""
    from django_prose_editor.widgets import importmap

    rendered = str(importmap)
    body = rendered[rendered.index(">") + 1 : rendered.rindex("</script>")]
    digest = hashlib.sha256(body.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; on admin pages, the editor's import map allowed by
    its hash (never 'unsafe-inline' for scripts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            # Read by django-csp's middleware, which runs after this one on the way out. The
            # editor (Tiptap) also injects a <style> element; inline CSS cannot run code, so
            # staff pages allow it while public pages stay strict.
            response._csp_update = {
                "script-src": [_prose_editor_importmap_hash()],
                "style-src": [UNSAFE_INLINE],
            }
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
