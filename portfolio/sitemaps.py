import datetime

from django.urls import reverse

from portfolio import selectors
from portfolio.models import BeforeAfterCase
from restoration_site.common.site_url import SiteSitemap


class ClientReviewsSitemap(SiteSitemap):
    """The client reviews page, listed once it shows a review, with the time it last changed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[datetime.datetime]:
        changed = selectors.reviews_page_last_change()
        return [changed] if changed else []

    def location(self, item: datetime.datetime) -> str:
        return reverse("portfolio:reviews")

    def lastmod(self, item: datetime.datetime) -> datetime.datetime:
        return item


class BeforeAfterCaseSitemap(SiteSitemap):
    """Each published case (its client's consent recorded), with the time it last changed; a
    draft or withdrawn case is never listed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return BeforeAfterCase.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: BeforeAfterCase) -> datetime.datetime:
        return item.updated_at
