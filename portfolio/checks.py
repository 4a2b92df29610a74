"""System checks for the portfolio's links into the blog."""

from django.core import checks
from django.db import DatabaseError

from blog import selectors as blog_selectors
from portfolio.models import TREATMENT_ARTICLE_TAG, BeforeAfterCase


@checks.register(checks.Tags.database)
def treatment_article_tags_exist(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Each treatment's case pages list the articles carrying its tag; a missing tag would
    leave a published case's page without them, with nothing to say why. It reads the
    database, so it runs with `manage.py check --database default` (make check, CI) and
    `migrate`."""
    try:
        existing = blog_selectors.tag_slugs()
        # Only treatments with cases to show matter: a new site has neither tags nor cases.
        shown = set(BeforeAfterCase.objects.published().values_list("treatment", flat=True))
    except DatabaseError:
        # Before the first migrate there are no tables to read; migrating is the fix.
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
        if treatment in shown and slug not in existing
    ]
