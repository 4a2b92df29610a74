"""The article editor in the admin: the claims review on the form, the summary's length, and the
article list's claims column and Visibility and claims filters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory, topic
from tests.html import parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db

SUMMARY = "What to check before you book SMP: qualifications, a real portfolio and a consultation."
CLAIM_BODY = "<p>Take your time. SMP gives permanent results.</p>"


def form(**overrides) -> dict:
    """What the article form sends for a new article (a hero image chosen)."""
    moment = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "title": "Choosing an SMP practitioner",
        "slug": "choosing-an-smp-practitioner",
        "summary": SUMMARY,
        "body": CLAIM_BODY,
        "hero_alt": "Illustration of a hairline",
        "status": "published",
        "published_at_0": moment.strftime("%Y-%m-%d"),
        "published_at_1": moment.strftime("%H:%M:%S"),
        "author": AuthorFactory().pk,
        "topic": topic().pk,
        "cta_enquiry_type": "new_smp",
        "hero_image": photo_with_exif(),
        # The images inline's management form: no image in the body.
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def change_form(article: Article, **overrides) -> dict:
    """What the form sends for an existing article, its hero image kept."""
    moment = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "hero_alt": article.hero_alt,
        "status": article.status,
        "published_at_0": moment.strftime("%Y-%m-%d"),
        "published_at_1": moment.strftime("%H:%M:%S"),
        "author": article.author_id,
        "topic": article.topic_id,
        "cta_enquiry_type": article.cta_enquiry_type,
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def add(admin_client, **overrides):
    return admin_client.post(reverse("admin:blog_article_add"), form(**overrides))


def change(admin_client, article: Article, **overrides):
    url = reverse("admin:blog_article_change", args=[article.pk])
    return admin_client.post(url, change_form(article, **overrides))


def review_error(response) -> str:
    return parse(response).select_one(".field-wording_reviewed .errorlist").get_text(" ")


def changelist(admin_client, query: str = ""):
    return parse(admin_client.get(reverse("admin:blog_article_changelist") + query))


def listed(soup) -> dict[str, dict[str, str]]:
    """Each article row of the change list: its title and the texts of its columns."""
    rows = {}
    for row in soup.select("#result_list tbody tr"):
        title = row.select_one(".field-title").get_text(strip=True)
        rows[title] = {
            name: row.select_one(f".field-{name}").get_text(strip=True)
            for name in ("visibility", "claims_warnings")
        }
    return rows


# The claims review on the form


def test_publishing_wording_with_claims_without_the_review_is_stopped_at_the_checkbox(
    admin_client,
):
    response = add(admin_client)
    assert response.status_code == 200
    error = review_error(response)
    assert "I have reviewed the wording" in error
    assert "“permanent results” in “SMP gives permanent results.”" in error
    assert "SMP fades over years and may need touch-ups." in error
    assert not Article.objects.exists()


def test_what_the_editor_typed_is_kept_when_publishing_is_stopped(admin_client):
    soup = parse(add(admin_client, title="Hairlines that last"))
    assert soup.select_one("#id_title")["value"] == "Hairlines that last"
    assert soup.select_one("#id_summary")["value"] == SUMMARY
    assert "SMP gives permanent results." in soup.select_one("#id_body").get_text()
    assert soup.select_one("#id_status option[selected]")["value"] == "published"


def test_the_stopped_form_asks_for_the_hero_image_again(admin_client):
    assert "Choose the hero image again" in review_error(add(admin_client))


def test_the_review_error_is_announced_with_the_checkbox(admin_client):
    checkbox = parse(add(admin_client)).select_one("#id_wording_reviewed")
    assert checkbox["aria-invalid"] == "true"
    assert "id_wording_reviewed_error" in checkbox["aria-describedby"].split()


def test_scheduling_wording_with_claims_without_the_review_is_stopped_too(admin_client):
    later = timezone.localtime() + datetime.timedelta(days=5)
    response = add(admin_client, published_at_0=later.strftime("%Y-%m-%d"))
    assert "I have reviewed the wording" in review_error(response)


def test_a_draft_with_claims_is_saved_without_the_review(admin_client):
    response = add(admin_client, status="draft")
    assert response.status_code == 302
    assert Article.objects.get().claims_found == 1


def test_ticking_the_review_publishes_and_records_the_editor_and_the_time(admin_client, admin_user):
    response = add(admin_client, wording_reviewed="on")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.claims_reviewed_by == admin_user
    assert timezone.now() - article.claims_reviewed_at < datetime.timedelta(minutes=1)


def test_the_form_shows_who_reviewed_the_wording_and_when(admin_client, admin_user):
    article = ArticleFactory(body=CLAIM_BODY, claims_reviewed_by=admin_user)
    soup = parse(admin_client.get(reverse("admin:blog_article_change", args=[article.pk])))
    record = soup.select_one(".field-claims_review .readonly").get_text(" ", strip=True)
    assert "“permanent results” in “SMP gives permanent results.”" in record
    when = timezone.localtime(article.claims_reviewed_at).strftime("%Y")
    assert f"Wording reviewed by {admin_user.username} on" in record
    assert when in record


def test_a_new_claim_added_to_reviewed_wording_stops_publishing_again(admin_client, admin_user):
    article = ArticleFactory(body=CLAIM_BODY, claims_reviewed_by=admin_user)
    response = change(
        admin_client, article, body=CLAIM_BODY + "<p>Results are guaranteed for everyone.</p>"
    )
    assert "“guaranteed” in “Results are guaranteed for everyone.”" in review_error(response)
    article.refresh_from_db()
    assert "guaranteed" not in article.body


def test_reviewed_wording_is_edited_and_saved_without_a_new_review(admin_client, admin_user):
    article = ArticleFactory(body=CLAIM_BODY, claims_reviewed_by=admin_user)
    response = change(admin_client, article, title="Hairlines that last")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.claims_reviewed_by) == ("Hairlines that last", admin_user)


def test_a_change_to_the_claims_list_in_the_admin_shows_on_the_article_list(admin_client):
    ArticleFactory(title="Aftercare basics", body="<p>An instant transformation.</p>")
    admin_client.post(
        reverse("admin:blog_claimphrase_add"),
        {"phrase": "instant transformation", "reason": "Results take weeks to settle."},
    )
    assert listed(changelist(admin_client))["Aftercare basics"]["claims_warnings"] == (
        "1 to review"
    )


# The summary's length


def test_the_summary_field_carries_its_length_guidance_for_the_counter(admin_client):
    soup = parse(admin_client.get(reverse("admin:blog_article_add")))
    summary = soup.select_one("#id_summary")
    assert (summary["data-length-min"], summary["data-length-max"]) == ("70", "160")
    assert "70 to 160 characters" in soup.select_one("#id_summary_helptext").get_text()


def test_the_counter_script_is_loaded_on_the_article_form_only(admin_client):
    def scripts(url: str) -> str:
        return " ".join(s.get("src", "") for s in parse(admin_client.get(url)).select("script"))

    assert "js/summary-length" in scripts(reverse("admin:blog_article_add"))
    assert "js/summary-length" not in scripts(reverse("admin:blog_article_changelist"))
    assert "js/summary-length" not in scripts(reverse("admin:blog_tag_add"))


def test_a_short_summary_is_refused_with_its_length_and_the_guidance(admin_client):
    response = add(admin_client, summary="Too short to describe the article.", status="draft")
    error = parse(response).select_one(".field-summary .errorlist").get_text()
    assert error == (
        "Write at least 70 characters (this summary has 34): search engines show 70 to 160."
    )


# The article list


@pytest.fixture
def articles(admin_user) -> None:
    now = timezone.now()
    ArticleFactory(title="A draft", status=Article.Status.DRAFT)
    ArticleFactory(title="A scheduled one", published_at=now + datetime.timedelta(days=2))
    ArticleFactory(title="A published one")
    ArticleFactory(title="Claims to review", status=Article.Status.DRAFT, body=CLAIM_BODY)
    ArticleFactory(title="Claims reviewed", body=CLAIM_BODY, claims_reviewed_by=admin_user)


def test_the_claims_column_shows_the_count_and_whether_it_was_reviewed(admin_client, articles):
    rows = listed(changelist(admin_client))
    assert rows["A published one"]["claims_warnings"] == "None"
    assert rows["Claims to review"]["claims_warnings"] == "1 to review"
    assert rows["Claims reviewed"]["claims_warnings"] == "1, reviewed"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("found", {"Claims to review", "Claims reviewed"}),
        ("to_review", {"Claims to review"}),
        ("reviewed", {"Claims reviewed"}),
        ("none", {"A draft", "A scheduled one", "A published one"}),
    ],
)
def test_the_claims_filter_lists_the_articles_it_names(admin_client, articles, query, titles):
    assert set(listed(changelist(admin_client, f"?claims={query}"))) == titles


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("draft", {"A draft", "Claims to review"}),
        ("scheduled", {"A scheduled one"}),
        ("published", {"A published one", "Claims reviewed"}),
    ],
)
def test_the_visibility_filter_agrees_with_the_visibility_column(
    admin_client, articles, query, titles
):
    rows = listed(changelist(admin_client, f"?visibility={query}"))
    assert set(rows) == titles
    assert {row["visibility"].lower() for row in rows.values()} == {query}


def test_the_visibility_filter_offers_draft_scheduled_and_published(admin_client, articles):
    soup = changelist(admin_client)
    heading = soup.find(lambda tag: tag.name == "summary" and "By visibility" in tag.get_text())
    choices = [a.get_text(strip=True) for a in heading.find_parent("details").select("li a")]
    assert choices == ["All", "Draft", "Scheduled", "Published"]


def test_the_article_list_runs_the_same_queries_however_many_articles_carry_claims(
    admin_client, admin_user
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("admin:blog_article_changelist")).status_code == 200
        return len(captured)

    ArticleFactory(body=CLAIM_BODY, claims_reviewed_by=admin_user)
    ArticleFactory(status=Article.Status.DRAFT, body=CLAIM_BODY)
    few = queries()
    for _ in range(4):
        ArticleFactory(body=CLAIM_BODY, claims_reviewed_by=admin_user)
        ArticleFactory(status=Article.Status.DRAFT, body=CLAIM_BODY)
        ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert queries() == few
