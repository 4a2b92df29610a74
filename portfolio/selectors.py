"""Read-only queries for the gallery, the case pages, the client reviews and the home page."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Avg, Count, Exists, Max, QuerySet

from blog import selectors as blog_selectors
from portfolio.models import BeforeAfterCase, ClientReview
from restoration_site.common import sql

if TYPE_CHECKING:
    from blog.models import Article


def content_version() -> str:
    """Changes whenever any case or client review changes, is added or removed (a withdrawn
    consent is an edit, so the review leaves every cached page at once); one query written in
    SQL because it runs on every cached page view (see blog.selectors.content_version)."""
    parts = ", ".join(
        f"(SELECT MAX(updated_at) FROM {table}), (SELECT COUNT(*) FROM {table})"
        for table in (sql.table(BeforeAfterCase), sql.table(ClientReview))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return "-".join(str(value) for value in cursor.fetchone())


def featured_cases(*, limit: int = 3) -> list[BeforeAfterCase]:
    return list(BeforeAfterCase.objects.featured()[:limit])


def related_articles(*, case: BeforeAfterCase, limit: int = 3) -> list["Article"]:
    """Public articles about the same treatment (by the article tag the treatment maps to)."""
    return blog_selectors.articles_tagged(tag_slug=case.article_tag, limit=limit)


def shown_reviews() -> QuerySet[ClientReview]:
    """Every review visitors may see, with the case each may be shown beside."""
    return ClientReview.objects.published().select_related("case")


def latest_reviews(*, limit: int = 3) -> list[ClientReview]:
    return list(shown_reviews()[:limit])


def has_reviews() -> bool:
    return ClientReview.objects.published().exists()


def case_reviews(*, case: BeforeAfterCase) -> list[ClientReview]:
    """The reviews its clients agreed to show beside this case's photos."""
    return list(ClientReview.objects.published().filter(case=case, show_case_photo=True))


@dataclass(frozen=True)
class RatingSummary:
    """Reviews by real clients (never examples), and the average of the star ratings given."""

    review_count: int
    rating_count: int
    average_rating: float | None


def real_rating_summary() -> RatingSummary:
    figures = ClientReview.objects.real().aggregate(
        reviews=Count("pk"), ratings=Count("rating"), average=Avg("rating")
    )
    average = figures["average"]
    return RatingSummary(
        review_count=figures["reviews"],
        rating_count=figures["ratings"],
        average_rating=None if average is None else round(float(average), 1),
    )


def reviews_page_last_change() -> datetime.datetime | None:
    """When the reviews page last changed: the latest edit of any review (a withdrawal takes one
    off it), or None when the page shows none."""
    shown = ClientReview.objects.published()
    return ClientReview.objects.filter(Exists(shown)).aggregate(changed=Max("updated_at"))[
        "changed"
    ]
