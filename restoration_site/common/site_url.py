"""Absolute addresses of the site's own pages, always from the configured public address.

Never from the request: Django checks only the host name in the Host header against
ALLOWED_HOSTS, not the port, so a client can send `Host: localhost:6666`. Links built from the
request would then name that address in canonical links, Open Graph tags, structured data,
robots.txt, the sitemap and the feeds, and the whole-page cache would hand the page on to
every later visitor. `settings.SITE_URL` (env `DJANGO_SITE_URL`) is the one source.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


def absolute_url(path: str) -> str:
    """`path` (such as `/articles/`) on the public site, e.g. `https://www.clinic.example/articles/`.

    An address that is already absolute (an image in object storage or on a CDN) is returned as
    it is; a scheme-relative one (`//cdn.example/...`) gets the site's scheme.
    """
    parts = urlsplit(path)
    if parts.scheme:
        return path
    if parts.netloc:
        return f"{urlsplit(settings.SITE_URL).scheme}:{path}"
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


def site_host() -> str:
    """The public site's host name (`www.clinic.example`), for identifiers the site writes as
    its own: email Message-IDs and calendar invite UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL.

    Django's sitemap view passes the request's host and scheme to `get_urls`; they are replaced
    here so that what a client puts in Host never reaches the sitemap.
    """

    def get_urls(self, page=1, site=None, protocol=None):
        public = urlsplit(settings.SITE_URL)
        return super().get_urls(
            page=page, site=SimpleNamespace(domain=public.netloc), protocol=public.scheme
        )
