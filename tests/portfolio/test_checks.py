import pytest
from django.core.management import call_command

from portfolio.checks import treatment_article_tags_exist
from portfolio.models import TREATMENT_ARTICLE_TAG, BeforeAfterCase, Treatment
from tests.factories import BeforeAfterCaseFactory, TagFactory

pytestmark = pytest.mark.django_db


def make_tags(slugs) -> None:
    for slug in slugs:
        TagFactory(name=slug, slug=slug)


def test_no_warning_when_every_treatment_shown_has_its_article_tag():
    BeforeAfterCaseFactory(treatment=Treatment.SCAR)
    make_tags(TREATMENT_ARTICLE_TAG.values())
    assert treatment_article_tags_exist() == []


def test_a_missing_tag_for_a_treatment_with_published_cases_is_named_in_a_warning():
    BeforeAfterCaseFactory(treatment=Treatment.SCAR)
    make_tags(slug for slug in TREATMENT_ARTICLE_TAG.values() if slug != "scars")

    warnings = treatment_article_tags_exist()

    assert [warning.id for warning in warnings] == ["portfolio.W001"]
    assert "“scars”" in warnings[0].msg
    assert Treatment.SCAR.label in warnings[0].msg


def test_a_new_site_without_cases_or_tags_has_nothing_to_warn_about():
    BeforeAfterCaseFactory(treatment=Treatment.SCAR, status=BeforeAfterCase.Status.DRAFT)
    assert treatment_article_tags_exist() == []


def test_the_check_runs_with_the_database_checks(capsys):
    BeforeAfterCaseFactory(treatment=Treatment.LASER_REMOVAL)

    call_command("check", "--database", "default")

    assert "portfolio.W001" in capsys.readouterr().err
