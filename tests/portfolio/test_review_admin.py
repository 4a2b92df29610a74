"""Staff add client reviews in the admin with the client's consent, correct typos only, and
record a withdrawn consent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import ClientReview
from tests.factories import BeforeAfterCaseFactory, ClientReviewFactory
from tests.html import form_data, parse

pytestmark = pytest.mark.django_db

ADD = reverse("admin:portfolio_clientreview_add")
LIST = reverse("admin:portfolio_clientreview_changelist")


def change_url(review: ClientReview) -> str:
    return reverse("admin:portfolio_clientreview_change", args=[review.pk])


def review_form(**overrides) -> dict:
    data = {
        "text": "Teh hairline looks natural and nobody has guessed.",
        "rating": "5",
        "reviewed_on": "2026-03-02",
        "treatment": "hairline-restoration",
        "case": "",
        "first_name": "Priya",
        "consent_recorded_on": "2026-03-05",
        "consent_method": "signed_form",
        "consent_reference": "Review consent form 014",
        "show_first_name": "on",
        "show_treatment": "on",
        "consent_withdrawn_on": "",
        "status": "published",
    }
    return form_data(data, overrides)


def field_errors(response, field: str) -> str:
    return parse(response).select_one(f".field-{field} .errorlist").get_text(" ", strip=True)


def test_staff_publish_a_review_with_the_clients_consent(admin_client):
    response = admin_client.post(ADD, review_form())
    assert response.status_code == 302
    review = ClientReview.objects.get()
    assert review.is_shown
    assert review.original_text == "Teh hairline looks natural and nobody has guessed."


def test_publishing_without_consent_is_refused_next_to_the_consent_fields(admin_client):
    response = admin_client.post(
        ADD, review_form(consent_recorded_on="", consent_method="", consent_reference="")
    )
    assert response.status_code == 200
    assert "enter the date it was received" in field_errors(response, "consent_recorded_on")
    assert "say how it was given" in field_errors(response, "consent_method")
    assert "say where to find it" in field_errors(response, "consent_reference")
    assert not ClientReview.objects.exists()


def test_a_draft_may_be_saved_before_consent_arrives(admin_client):
    form = review_form(
        consent_recorded_on="", consent_method="", consent_reference="", status="draft"
    )
    assert admin_client.post(ADD, form).status_code == 302
    assert not ClientReview.objects.get().is_shown


def test_the_add_form_has_no_original_yet(admin_client):
    soup = parse(admin_client.get(ADD))
    assert soup.select_one("textarea[name=text]")
    assert soup.select_one(".field-original_text") is None
    assert soup.select_one(".field-changes_from_original") is None


def test_the_consent_fields_are_grouped_under_their_own_heading(admin_client):
    soup = parse(admin_client.get(ADD))
    heading = soup.find("h2", string="The client's written consent")
    fieldset = heading.find_parent("fieldset")
    names = {field["name"] for field in fieldset.select("input, select, textarea")}
    assert names >= {
        "consent_recorded_on",
        "consent_method",
        "consent_reference",
        "show_first_name",
        "show_treatment",
        "show_case_photo",
        "consent_withdrawn_on",
    }


def test_only_the_clinics_own_cases_are_offered_to_link_a_review_to(admin_client):
    ours = BeforeAfterCaseFactory(title="Our hairline case")
    BeforeAfterCaseFactory(title="Poor SMP elsewhere", not_our_work=True)
    options = parse(admin_client.get(ADD)).select("select[name=case] option")
    assert [o.get_text() for o in options if o["value"]] == [ours.title]


def test_a_typo_fix_is_saved_and_the_original_stays_beside_it(admin_client):
    review = ClientReviewFactory(text="Teh hairline looks natural.")
    response = admin_client.post(
        change_url(review), review_form(text="The hairline looks natural.")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.text == "The hairline looks natural."
    assert review.original_text == "Teh hairline looks natural."


def test_a_rewrite_is_refused_with_the_reason_next_to_the_text(admin_client):
    review = ClientReviewFactory(text="The hairline looks good.")
    response = admin_client.post(
        change_url(review), review_form(text="The hairline looks absolutely perfect.")
    )
    assert response.status_code == 200
    errors = field_errors(response, "text")
    assert "Only typos may be corrected in a client's words" in errors
    assert "“good.” becomes “absolutely perfect.”, different words." in errors
    review.refresh_from_db()
    assert review.text == "The hairline looks good."


def test_the_original_is_read_only_beside_the_text(admin_client):
    review = ClientReviewFactory(text="Teh hairline looks natural.")
    soup = parse(admin_client.get(change_url(review)))
    row = soup.select_one(".form-row.field-text.field-original_text")
    assert row.select_one("textarea[name=text]")
    assert row.select_one(".field-original_text .readonly").get_text(strip=True) == (
        "Teh hairline looks natural."
    )
    assert soup.select_one("textarea[name=original_text]") is None


def test_a_posted_original_is_ignored(admin_client):
    review = ClientReviewFactory(text="Teh hairline looks natural.")
    form = review_form(text="The hairline looks natural.", original_text="Rewritten original.")
    admin_client.post(change_url(review), form)
    review.refresh_from_db()
    assert review.original_text == "Teh hairline looks natural."


def test_the_changes_from_the_original_are_marked_word_by_word(admin_client):
    review = ClientReviewFactory(text="Teh hairline looks natural.")
    review.text = "The hairline looks natural."
    review.save()
    changes = parse(admin_client.get(change_url(review))).select_one(".review-changes")
    assert changes.select_one("del").get_text() == "(was: Teh)"
    assert changes.select_one("ins").get_text() == "(now: The)"
    assert changes.get_text(" ", strip=True).endswith("hairline looks natural.")


def test_an_unedited_review_says_it_is_the_original(admin_client):
    review = ClientReviewFactory()
    field = parse(admin_client.get(change_url(review))).select_one(".field-changes_from_original")
    assert "No changes: the text is the client's original." in field.get_text()


def test_the_changes_escape_the_clients_words(admin_client):
    review = ClientReviewFactory(text="Great <b>resluts</b>")
    review.text = "Great <b>results</b>"
    review.save()
    html = str(parse(admin_client.get(change_url(review))).select_one(".review-changes"))
    assert "&lt;b&gt;results&lt;/b&gt;" in html
    assert "<b>" not in html


def test_recording_a_withdrawn_consent_takes_the_review_off_the_site(admin_client, client):
    review = ClientReviewFactory(text="A review that is about to be withdrawn.")
    assert "about to be withdrawn" in client.get(reverse("portfolio:reviews")).content.decode()
    today = timezone.localdate().isoformat()
    form = review_form(text=review.text, consent_withdrawn_on=today)
    assert admin_client.post(change_url(review), form).status_code == 302
    assert "about to be withdrawn" not in client.get(reverse("portfolio:reviews")).content.decode()


def test_the_list_says_which_reviews_are_on_the_site(admin_client):
    ClientReviewFactory(first_name="Shown")
    ClientReviewFactory(first_name="Withdrawn", consent_withdrawn_on=timezone.localdate())
    rows = parse(admin_client.get(LIST)).select("#result_list tbody tr")
    on_site = {
        row.select_one("th").get_text(strip=True).split(":")[0]: row.select_one(
            ".field-on_the_site img"
        )["alt"]
        for row in rows
    }
    assert on_site == {"Shown": "True", "Withdrawn": "False"}


def test_the_list_filters_by_status_treatment_consent_and_examples(admin_client):
    filters = parse(admin_client.get(LIST)).select_one("#changelist-filter").get_text()
    for title in ("By status", "By treatment", "By consent", "By example review"):
        assert title in filters


@pytest.mark.parametrize(("choice", "shown"), [("withdrawn", ["Withdrawn"]), ("given", ["Given"])])
def test_the_consent_filter_lists_withdrawn_or_given_consent(admin_client, choice, shown):
    ClientReviewFactory(first_name="Given")
    ClientReviewFactory(first_name="Withdrawn", consent_withdrawn_on=timezone.localdate())
    rows = parse(admin_client.get(LIST, {"consent": choice})).select("#result_list tbody th")
    assert [row.get_text(strip=True).split(":")[0] for row in rows] == shown
