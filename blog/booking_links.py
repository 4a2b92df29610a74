"""Links to the booking pages inside an article's body (the times page, where booking starts,
or the request form) carry what the boxed call to action carries: the article's enquiry type
(unless the link names one) and the article as the source.

Done when the page is rendered, not when the article is saved. The stored body stays what the
editor wrote, so the editor shows staff their own links; a later change of the article's call
to action or its slug is reflected at once, and a type added by an earlier save could never be
told apart from one staff chose. It costs one pass over the body per rendering, and article
pages are cached whole, so a few times per content change.
"""

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse

# The body is stored as nh3 writes it (blog.models.Article.save): every attribute in double
# quotes, with & and " escaped, so a link's address is exactly what sits between them.
_LINK_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)(")')


def _is_booking_page(parts, booking_paths: set[str]) -> bool:
    site = urlsplit(settings.SITE_URL)
    on_this_site = (not parts.scheme and not parts.netloc) or (
        parts.scheme in ("http", "https") and parts.netloc == site.netloc
    )
    return on_this_site and parts.path in booking_paths


def with_booking_details(body: str, *, enquiry_type: str, source: str) -> str:
    """`body` with each link to the times page or the consultation form given
    `type=<enquiry_type>` when it has no type of its own, and `from=<source>` (the article's
    path), other parameters kept."""
    booking_paths = {reverse("bookings:times"), reverse("bookings:consultation")}

    def rewrite(match: re.Match) -> str:
        address = html.unescape(match.group(2))
        parts = urlsplit(address)
        if not _is_booking_page(parts, booking_paths):
            return match.group(0)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if enquiry_type and not query.get("type"):
            query["type"] = enquiry_type
        query["from"] = source
        address = urlunsplit(parts._replace(query=urlencode(query, safe="/")))
        return f"{match.group(1)}{html.escape(address)}{match.group(3)}"

    return _LINK_HREF.sub(rewrite, body)
