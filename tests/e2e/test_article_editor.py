"""An editor writes an article in the admin, in a real browser: the summary's length as they
type, publishing stopped until they have reviewed wording with a claim, the publish date set
with the calendar and clock, and the article list filtered to what is scheduled. The form, the
blog's other forms and lists pass axe whole: every field has a name, the rich-text editor's and
the tags chooser's included."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from blog.models import Article, ClaimPhrase, Topic
from tests.e2e.axe import assert_no_violations
from tests.e2e.pages import sign_in
from tests.factories import STAFF_PASSWORD, ArticleFactory, AuthorFactory, TagFactory

CLAIM_BODY = "<p>Take your time. SMP gives permanent results.</p>"
SUMMARY = "How a soft hairline is drawn at the consultation, and why it is never"
MORE = " the same twice."
AVAILABLE_TAGS_FILTER = "Type into this box to filter down the list of available tags."
CHOSEN_TAGS_FILTER = "Type into this box to filter down the list of selected tags."


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


@pytest.fixture
def blog_editor(django_user_model):
    """A member of staff who runs the blog: articles, topics, tags, authors and the claims to
    review."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "blog-editor", "blog-editor@staff.example", STAFF_PASSWORD, is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="blog"))
    return user


def test_an_editor_publishes_wording_with_a_claim_only_after_reviewing_it(
    page: Page, site: str, editor, viewport
):
    article = ArticleFactory(
        title="Hairlines that last", status=Article.Status.DRAFT, body=CLAIM_BODY
    )
    sign_in(page, site, "editor")
    page.goto(site + f"/admin/blog/article/{article.pk}/change/")
    assert_no_violations(page, f"the article form ({viewport['width']} px)")

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
    assert_no_violations(page, f"the article form stopped at the review ({viewport['width']} px)")
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

    # By date: the links above the list are targets large enough on a phone.
    page.goto(site + "/admin/blog/article/")
    page.locator("nav.toplinks").get_by_role("link").first.click()
    expect(page.locator("nav.toplinks .date-back")).to_be_visible()
    assert_no_violations(page, f"the article list by date ({viewport['width']} px)")


def test_every_field_of_the_article_form_has_a_name_and_the_calendar_and_clock_set_the_date(
    page: Page, site: str, blog_editor, viewport
):
    TagFactory(name="density")
    TagFactory(name="hairline")
    article = ArticleFactory(title="Hairlines that last", status=Article.Status.DRAFT)
    sign_in(page, site, "blog-editor")
    page.goto(site + f"/admin/blog/article/{article.pk}/change/")
    width = viewport["width"]

    # The rich-text editor's text box is named by the body's label, which also moves into it.
    body = page.get_by_role("textbox", name="Body")
    page.locator("label[for=id_body]").click()
    expect(body).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Ask to see healed work.")

    # The tags chooser's filter boxes are named by their magnifying glasses.
    # (Django filters on each key released.)
    page.get_by_role("textbox", name=AVAILABLE_TAGS_FILTER).press_sequentially("dens")
    expect(page.locator("#id_tags_from option")).to_have_text(["density"])
    expect(page.get_by_role("textbox", name=CHOSEN_TAGS_FILTER)).to_be_visible()

    # Each of the publish date's inputs has a label; the calendar and clock still fill them.
    publish = page.locator(".field-published_at")
    publish.get_by_role("link", name="Choose a Date").click()
    calendar = page.locator(".calendarbox")
    expect(calendar).to_be_visible()
    # Checked on its own (it covers part of the form), with a day under the pointer.
    day = calendar.get_by_role("link", name="15", exact=True)
    day.hover()
    assert_no_violations(page, f"the calendar ({width} px)", within=".calendarbox")
    day.click()
    expect(page.get_by_role("textbox", name="Publish Date")).to_have_value(re.compile(r"^15/"))
    publish.get_by_role("link", name="Choose a Time").click()
    clock = page.locator(".clockbox")
    expect(clock).to_be_visible()
    noon = clock.get_by_role("link", name="Noon")
    noon.hover()
    assert_no_violations(page, f"the clock ({width} px)", within=".clockbox")
    noon.click()
    expect(page.get_by_role("textbox", name="Publish Time")).to_have_value("12:00:00")
    assert_no_violations(page, f"the article form filled in ({width} px)")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    published = timezone.localtime(article.published_at)
    assert (published.day, published.hour, published.minute) == (15, 12, 0)
    assert article.body.endswith("Ask to see healed work.</p>")


def test_the_topic_tag_author_and_claims_forms_and_the_topic_list_pass_axe(
    page: Page, site: str, blog_editor, viewport
):
    forms = {
        "the topic list": "/admin/blog/topic/",
        "a topic": f"/admin/blog/topic/{Topic.objects.first().pk}/change/",
        "a new topic": "/admin/blog/topic/add/",
        "a tag": f"/admin/blog/tag/{TagFactory(name='hairline').pk}/change/",
        "a new tag": "/admin/blog/tag/add/",
        "an author": f"/admin/blog/author/{AuthorFactory().pk}/change/",
        "a new author": "/admin/blog/author/add/",
        "a claim to review": f"/admin/blog/claimphrase/{ClaimPhrase.objects.first().pk}/change/",
        "a new claim to review": "/admin/blog/claimphrase/add/",
    }
    sign_in(page, site, "blog-editor")
    for name, path in forms.items():
        page.goto(site + path)
        assert_no_violations(page, f"{name} ({viewport['width']} px)")

    page.goto(site + "/admin/blog/topic/")
    first = Topic.objects.first()
    expect(page.get_by_role("spinbutton", name=f"Position of {first.name}")).to_have_value(
        str(first.position)
    )
