"""Read-only queries the blog's pages and the home page share."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Replace
from django.utils import timezone

from blog.models import Article, Author, Tag, Topic
from restoration_site.common import sql

MAX_QUERY_LENGTH = 200


def latest_articles(*, limit: int = 3) -> QuerySet[Article]:
    return Article.objects.published().for_cards()[:limit]


def related_articles(*, article: Article, limit: int = 3) -> list[Article]:
    """Other public articles, those on the same topic first, newest first within each group."""
    return list(
        Article.objects.published()
        .for_cards()
        .exclude(pk=article.pk)
        .annotate(
            same_topic=Case(
                When(topic_id=article.topic_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-same_topic", "-published_at")[:limit]
    )


def articles_tagged(*, tag_slug: str, limit: int = 3) -> list[Article]:
    """Public articles carrying a tag, newest first: what other apps show beside their own
    content (the portfolio's case pages)."""
    return list(
        Article.objects.published().for_cards().filter(tags__slug=tag_slug).distinct()[:limit]
    )


def tag_slugs() -> set[str]:
    """The slugs of every tag, for checks that other apps' references still point somewhere."""
    return set(Tag.objects.values_list("slug", flat=True))


def content_version() -> str:
    """Changes whenever any article changes or a scheduled one goes live, and whenever a topic,
    tag or author the pages name is added, edited or removed.

    Cached pages are keyed on it, so every process sees an edit at once without a shared cache
    or an invalidation step. It runs on every cached page view, so it is one indexed query
    written once in SQL rather than compiled by the ORM each time (a third of the request).
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    named = ", ".join(
        f"(SELECT MAX(updated_at) FROM {table}), (SELECT COUNT(*) FROM {table})"
        for table in map(sql.table, (Topic, Tag, Author))
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(updated_at), COUNT(CASE WHEN status = %s AND published_at <= %s "
            f"THEN 1 END), {named} FROM {sql.table(Article)}",
            [Article.Status.PUBLISHED.value, now],
        )
        row = cursor.fetchone()
    return "-".join(str(value) for value in row)


def clean_search_query(raw: str) -> str:
    """What is searched for: printable text, folded white space, a bounded length."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return re.sub(r"\s+", " ", printable).strip()[:MAX_QUERY_LENGTH]


def search_articles(*, query: str) -> QuerySet[Article]:
    """Public articles matching the query: ranked full-text search on PostgreSQL, a plain
    match of every word on other databases. The body is searched without the word "image" of
    its image placeholders (`[image 2]`, as the admin gives them): readers never see it."""
    articles = Article.objects.published().for_cards()
    if not query:
        return articles.none()
    readable_body = Replace("body", Value("[image "), Value("["), output_field=TextField())
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector(readable_body, weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            articles.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "-published_at")
        )
    articles = articles.alias(readable_body=readable_body)
    for word in query.split()[:10]:
        articles = articles.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(readable_body__icontains=word)
        )
    return articles
