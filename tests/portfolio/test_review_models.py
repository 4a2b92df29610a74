"""A client review: published only with written consent, kept in the client's words, gone from
the site once consent is withdrawn."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio.models import ClientReview
from tests.factories import BeforeAfterCaseFactory, ClientReviewFactory

pytestmark = pytest.mark.django_db


def errors_of(review: ClientReview) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        review.full_clean()
    return raised.value.message_dict


def draft_without_consent(**overrides) -> ClientReview:
    return ClientReviewFactory(
        status="draft",
        consent_recorded_on=None,
        consent_method="",
        consent_reference="",
        **overrides,
    )


# Consent


def test_a_review_with_consent_recorded_can_be_published():
    review = ClientReviewFactory.build()
    review.full_clean()
    review.save()
    assert list(ClientReview.objects.published()) == [review]


def test_a_review_can_wait_as_a_draft_for_the_clients_consent():
    review = draft_without_consent()
    review.full_clean()
    assert list(ClientReview.objects.published()) == []


@pytest.mark.parametrize(
    ("field", "empty", "words"),
    [
        ("consent_recorded_on", None, "enter the date it was received"),
        ("consent_method", "", "say how it was given"),
        ("consent_reference", "", "say where to find it"),
    ],
)
def test_publishing_without_each_part_of_the_consent_is_refused_at_that_field(field, empty, words):
    review = ClientReviewFactory.build(**{field: empty})
    message = errors_of(review)[field][0]
    assert message.startswith("A review can only be published once the client's written consent")
    assert words in message


@pytest.mark.parametrize(
    "missing",
    [
        {"consent_recorded_on": None},
        {"consent_method": ""},
        {"consent_reference": ""},
    ],
)
def test_the_database_refuses_a_published_review_without_consent(missing):
    review = draft_without_consent()
    ClientReview.objects.filter(pk=review.pk).update(
        consent_recorded_on=datetime.date(2026, 3, 5),
        consent_method="email",
        consent_reference="Email of 5 March 2026",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientReview.objects.filter(pk=review.pk).update(status="published", **missing)


def test_the_database_refuses_a_rating_outside_one_to_five():
    review = ClientReviewFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientReview.objects.filter(pk=review.pk).update(rating=6)


def test_a_rating_is_optional_and_between_one_and_five():
    ClientReviewFactory.build(rating=None).full_clean()
    assert "rating" in errors_of(ClientReviewFactory.build(rating=0))
    assert "rating" in errors_of(ClientReviewFactory.build(rating=6))


def test_a_withdrawn_review_leaves_the_site_whatever_its_status():
    review = ClientReviewFactory()
    review.consent_withdrawn_on = timezone.localdate()
    review.full_clean()
    review.save()
    assert review.status == "published"
    assert not review.is_shown
    assert list(ClientReview.objects.published()) == []


def test_consent_cannot_be_withdrawn_before_it_was_given_or_in_the_future():
    early = ClientReviewFactory.build(consent_withdrawn_on=datetime.date(2026, 3, 1))
    assert errors_of(early)["consent_withdrawn_on"] == [
        "Consent cannot be withdrawn before the date it was received."
    ]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future = ClientReviewFactory.build(consent_withdrawn_on=tomorrow)
    assert "today at the latest" in errors_of(future)["consent_withdrawn_on"][0]


def test_the_review_and_consent_dates_cannot_be_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    review = ClientReviewFactory.build(reviewed_on=tomorrow, consent_recorded_on=tomorrow)
    errors = errors_of(review)
    assert set(errors) == {"reviewed_on", "consent_recorded_on"}


# What may be shown


def test_a_review_is_signed_with_the_first_name_only_when_the_client_agreed():
    assert ClientReviewFactory.build(first_name="Priya").display_name == "Priya"
    agreed_not = ClientReviewFactory.build(first_name="Priya", show_first_name=False)
    assert agreed_not.display_name == "A client"


def test_showing_the_first_name_needs_one():
    review = ClientReviewFactory.build(first_name=" ")
    assert "Enter the client's first name" in errors_of(review)["first_name"][0]


def test_the_treatment_is_named_only_when_the_client_agreed():
    assert ClientReviewFactory.build().shown_treatment == "Hairline restoration"
    assert ClientReviewFactory.build(show_treatment=False).shown_treatment == ""


def test_the_case_is_shown_beside_the_review_only_when_the_client_agreed_and_it_is_published():
    case = BeforeAfterCaseFactory()
    assert ClientReviewFactory.build(case=case).shown_case is None
    assert ClientReviewFactory.build(case=case, show_case_photo=True).shown_case == case
    draft = BeforeAfterCaseFactory(status="draft")
    assert ClientReviewFactory.build(case=draft, show_case_photo=True).shown_case is None


def test_showing_the_case_photos_needs_a_case_and_the_treatment_agreed():
    no_case = ClientReviewFactory.build(show_case_photo=True)
    assert "Choose the client's case" in errors_of(no_case)["show_case_photo"][0]
    case = BeforeAfterCaseFactory()
    no_treatment = ClientReviewFactory.build(case=case, show_case_photo=True, show_treatment=False)
    assert "agreed to both" in errors_of(no_treatment)["show_treatment"][0]


def test_a_review_is_linked_only_to_a_case_of_its_own_treatment():
    case = BeforeAfterCaseFactory(treatment="scar-camouflage")
    errors = errors_of(ClientReviewFactory.build(case=case, treatment="hairline-restoration"))
    assert errors["case"] == [
        "This case is Scar camouflage; the review is about Hairline restoration."
    ]


def test_a_review_is_never_linked_to_an_example_of_another_practitioners_work():
    case = BeforeAfterCaseFactory(not_our_work=True, treatment="hairline-restoration")
    assert "case" in errors_of(ClientReviewFactory.build(case=case))


def test_deleting_a_case_keeps_its_reviews():
    case = BeforeAfterCaseFactory()
    review = ClientReviewFactory(case=case, show_case_photo=True)
    case.delete()
    review.refresh_from_db()
    assert review.case is None
    assert review.shown_case is None


def test_no_case_may_take_the_reviews_pages_address():
    case = BeforeAfterCaseFactory.build(slug="reviews")
    assert "slug" in errors_of(case)


# The client's words


def test_the_text_as_first_saved_is_kept_as_the_original():
    review = ClientReviewFactory(text="Lovely resluts.")
    review.refresh_from_db()
    assert review.original_text == "Lovely resluts."


def test_a_typo_fix_is_saved_and_the_original_kept():
    review = ClientReviewFactory(text="Lovely resluts.")
    review.text = "Lovely results."
    review.full_clean()
    review.save()
    review.refresh_from_db()
    assert (review.text, review.original_text) == ("Lovely results.", "Lovely resluts.")


def test_a_rewrite_is_refused_at_the_text_with_the_reason():
    review = ClientReviewFactory(text="The results are good.")
    review.text = "The results are outstanding."
    (message,) = errors_of(review)["text"]
    assert message.startswith("Only typos may be corrected in a client's words, and this is more:")
    assert "“good.” becomes “outstanding.”, a different word." in message


def test_edits_are_measured_against_the_original_so_typo_fixes_cannot_add_up():
    review = ClientReviewFactory(text="Teh staff wre kind adn patient.")
    review.text = "The staff were kind and patient."
    review.full_clean()
    review.save()
    review.text = "The staff were kind and patient!"
    assert "4 words are changed" in errors_of(review)["text"][0]


def test_saving_never_writes_the_original_again():
    review = ClientReviewFactory(text="Lovely resluts.")
    review.original_text = "Something else entirely."
    review.text = "Lovely results."
    review.save()
    review.refresh_from_db()
    assert review.original_text == "Lovely resluts."


# Examples


def test_example_reviews_are_shown_but_are_never_real():
    real = ClientReviewFactory()
    example = ClientReviewFactory(is_example=True)
    assert set(ClientReview.objects.published()) == {real, example}
    assert list(ClientReview.objects.real()) == [real]


def test_real_reviews_come_before_examples_then_the_newest_first():
    older = ClientReviewFactory(reviewed_on=datetime.date(2026, 1, 5))
    example = ClientReviewFactory(is_example=True, reviewed_on=datetime.date(2026, 6, 1))
    newer = ClientReviewFactory(reviewed_on=datetime.date(2026, 2, 5))
    assert list(ClientReview.objects.published()) == [newer, older, example]
