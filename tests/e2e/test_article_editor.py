"""An editor writes an article in the admin, in a real browser: the summary's length as they
type, publishing stopped until they have reviewed wording with a claim, and the article list
filtered to what is scheduled."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from blog.models import Article
from tests.e2e.axe import WCAG_22_AA, assert_no_violations
from tests.e2e.pages import sign_in
from tests.factories import STAFF_PASSWORD, ArticleFactory

CLAIM_BODY = "<p>Take your time. SMP gives permanent results.</p>"
SUMMARY = "How a soft hairline is drawn at the consultation, and why it is never"
MORE = " the same twice."
# What axe finds on the article form that comes with Django's admin and the rich-text editor,
# not with this form's own fields: the editor's text box has no accessible name, the tags
# chooser's search icons carry an aria-label on a plain span, and the publish date's two inputs
# have no label each. Anything else found on the form fails the test.
STOCK_ADMIN_FINDINGS = {
    ("aria-input-field-name", ".tiptap"),
    ("aria-prohibited-attr", 'label[for="id_tags_input"] > .help-tooltip.search-label-icon'),
    (
        "aria-prohibited-attr",
        'label[for="id_tags_selected_input"] > .help-tooltip.search-label-icon',
    ),
    ("label", "#id_published_at_0"),
    ("label", "#id_published_at_1"),
}


def assert_form_has_no_violations_of_its_own(page: Page, where: str) -> None:
    results = Axe().run(page, options=WCAG_22_AA)
    found = {
        (violation["id"], node["target"][0])
        for violation in results.response["violations"]
        for node in violation["nodes"]
    }
    assert found - STOCK_ADMIN_FINDINGS == set(), where


@pytest.fixture
def editor(django_user_model):
    """A member of staff who writes articles: articles to add and change, nothing else."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "editor", "editor@staff.example", STAFF_PASSWORD, first_name="Eden", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="blog",
            codename__in=["add_article", "change_article", "view_article"],
        )
    )
    return user


def test_an_editor_publishes_wording_with_a_claim_only_after_reviewing_it(
    page: Page, site: str, editor, viewport
):
    article = ArticleFactory(
        title="Hairlines that last", status=Article.Status.DRAFT, body=CLAIM_BODY
    )
    sign_in(page, site, "editor")
    page.goto(site + f"/admin/blog/article/{article.pk}/change/")
    assert_form_has_no_violations_of_its_own(page, f"the article form ({viewport['width']} px)")

    summary = page.get_by_label("Summary")
    summary.fill(SUMMARY)
    count = page.locator(".field-summary .length-count")
    expect(count).to_have_text("69 of 70\u2013160 characters: 1 more needed")
    # Screen readers hear the count once the typing pauses, not at every key.
    spoken = page.locator(".field-summary [role=status]")
    assert spoken.text_content() == ""
    summary.press_sequentially(MORE)
    expect(count).to_have_text("85 of 70\u2013160 characters")
    expect(spoken).to_have_text("85 of 70\u2013160 characters")

    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-wording_reviewed .errorlist")
    expect(error).to_contain_text("“permanent results” in “SMP gives permanent results.”")
    expect(page.get_by_label("Summary")).to_have_value(SUMMARY + MORE)
    expect(page.get_by_label("Status")).to_have_value("published")
    assert_form_has_no_violations_of_its_own(
        page, f"the article form stopped at the review ({viewport['width']} px)"
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    page.get_by_label("I have reviewed the wording").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".field-claims_review")).to_contain_text("Wording reviewed by Eden on")
    article.refresh_from_db()
    assert (article.status, article.summary) == (Article.Status.PUBLISHED, SUMMARY + MORE)
    assert article.claims_reviewed_by == editor


def test_an_editor_filters_the_article_list_to_what_is_scheduled(
    page: Page, site: str, editor, viewport
):
    ArticleFactory(title="Aftercare basics")
    ArticleFactory(title="A draft on density", status=Article.Status.DRAFT, body=CLAIM_BODY)
    ArticleFactory(
        title="Coming next week", published_at=timezone.now() + datetime.timedelta(days=7)
    )
    sign_in(page, site, "editor")
    page.goto(site + "/admin/blog/article/")
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    draft_row = page.locator("#result_list tbody tr", has_text="A draft on density")
    expect(draft_row.locator(".field-claims_warnings")).to_have_text("1 to review")
    assert_no_violations(page, f"the article list ({viewport['width']} px)")

    page.locator("#changelist-filter").get_by_role("link", name="Scheduled").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator(".field-title")).to_have_text("Coming next week")
    expect(rows.locator(".field-visibility")).to_have_text("Scheduled")
    assert_no_violations(page, f"the article list filtered ({viewport['width']} px)")
