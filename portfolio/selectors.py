"""Read-only queries for the gallery, the case pages and the home page."""

from typing import TYPE_CHECKING

from django.db import connection

from blog import selectors as blog_selectors
from portfolio.models import BeforeAfterCase
from restoration_site.common import sql

if TYPE_CHECKING:
    from blog.models import Article


def content_version() -> str:
    """Changes whenever any case changes, is added or removed; one query written in SQL
    because it runs on every cached page view (see blog.selectors.content_version)."""
    table = sql.table(BeforeAfterCase)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(updated_at), COUNT(*) FROM {table}")
        changed, count = cursor.fetchone()
    return f"{changed}-{count}"


def featured_cases(*, limit: int = 3) -> list[BeforeAfterCase]:
    return list(BeforeAfterCase.objects.featured()[:limit])


def related_articles(*, case: BeforeAfterCase, limit: int = 3) -> list["Article"]:
    """Public articles about the same treatment (by the article tag the treatment maps to)."""
    return blog_selectors.articles_tagged(tag_slug=case.article_tag, limit=limit)
