"""System checks for the portfolio's links into the blog."""

from django.core import checks
from django.db import DatabaseError

from blog import selectors as blog_selectors
from portfolio.models import TREATMENT_ARTICLE_TAG


@checks.register(checks.Tags.database)
def treatment_article_tags_exist(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Each treatment's case pages list the articles carrying its tag; a missing tag would
    leave them empty with nothing to say why. Runs with `manage.py check --database default`
    (make check, CI), since it reads the database."""
    try:
        existing = blog_selectors.tag_slugs()
    except DatabaseError:
        # Before the first migrate there is no tag table to read; migrating is the fix.
        return []
    return [
        checks.Warning(
            f"No article tag has the slug “{slug}”, so {treatment.label} case pages show no "
            "related articles.",
            hint=f"Add a tag with the slug “{slug}” in the admin and tag the articles about "
            f"{treatment.label}.",
            obj=f"portfolio.Treatment.{treatment.name}",
            id="portfolio.W001",
        )
        for treatment, slug in TREATMENT_ARTICLE_TAG.items()
        if slug not in existing
    ]
