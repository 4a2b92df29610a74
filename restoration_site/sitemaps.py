from django.urls import reverse

from bookings.models import Clinic
from bookings.selectors import clinics
from restoration_site.common.site_url import SiteSitemap


class StaticPagesSitemap(SiteSitemap):
    """The clinic's own pages, one address each: their content changes with a deployment, or
    (the team page, the prices page, the gallery) with what staff keep in the admin."""

    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "home",
            "smp",
            "laser_removal",
            "prices",
            "portfolio:gallery",
            "about",
            "team",
            "privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def priority(self, item: str) -> float:
        return 1.0 if item == "home" else 0.7


class VisitPagesSitemap(SiteSitemap):
    """Each clinic's "Visit us" page, changed when staff edit the clinic."""

    changefreq = "monthly"
    priority = 0.7

    def items(self) -> list[Clinic]:
        return clinics()

    def lastmod(self, item: Clinic):
        return item.updated_at
