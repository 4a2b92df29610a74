"""The home page's structured data states the clinic's reviews and average rating, from real
clients only, and nothing about reviews until there are some."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClientReviewFactory
from tests.structured_data import schema_org_errors, structured_data

pytestmark = pytest.mark.django_db


def clinic(client) -> dict:
    (data,) = structured_data(client.get(reverse("home")))
    assert schema_org_errors(data) == []
    return data


def test_the_clinic_states_the_reviews_on_the_home_page(client):
    ClientReviewFactory(
        text="Nobody has guessed.",
        first_name="Priya",
        rating=5,
        reviewed_on=datetime.date(2026, 3, 2),
    )
    assert clinic(client)["review"] == [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": "Priya"},
            "datePublished": "2026-03-02",
            "reviewBody": "Nobody has guessed.",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 5,
                "bestRating": 5,
                "worstRating": 1,
            },
        }
    ]


def test_a_review_without_consent_to_the_name_is_by_a_client_and_may_have_no_rating(client):
    ClientReviewFactory(show_first_name=False, rating=None)
    (review,) = clinic(client)["review"]
    assert review["author"] == {"@type": "Person", "name": "A client"}
    assert "reviewRating" not in review


def test_the_clinics_rating_is_the_average_of_real_clients_ratings(client):
    for rating in (5, 4, 4):
        ClientReviewFactory(rating=rating)
    ClientReviewFactory(rating=None)
    assert clinic(client)["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "bestRating": 5,
        "worstRating": 1,
        "ratingCount": 3,
        "reviewCount": 4,
    }


def test_the_rating_counts_every_real_review_not_only_those_on_the_home_page(client):
    for day in range(1, 6):
        ClientReviewFactory(rating=5, reviewed_on=datetime.date(2026, 3, day))
    data = clinic(client)
    assert len(data["review"]) == 3
    assert data["aggregateRating"]["reviewCount"] == 5


def test_example_reviews_are_never_stated_as_reviews(client):
    ClientReviewFactory(is_example=True, rating=5)
    ClientReviewFactory(is_example=True, rating=4)
    data = clinic(client)
    assert "review" not in data
    assert "aggregateRating" not in data


def test_an_example_on_the_home_page_is_left_out_and_the_real_reviews_stated(client):
    ClientReviewFactory(is_example=True, rating=1, text="Invented.")
    ClientReviewFactory(rating=5, text="Real.")
    data = clinic(client)
    assert [review["reviewBody"] for review in data["review"]] == ["Real."]
    assert data["aggregateRating"]["ratingValue"] == 5.0
    assert data["aggregateRating"]["reviewCount"] == 1


def test_without_reviews_the_clinic_says_nothing_about_them(client):
    ClientReviewFactory(status="draft")
    ClientReviewFactory(consent_withdrawn_on=timezone.localdate())
    data = clinic(client)
    assert "review" not in data
    assert "aggregateRating" not in data


def test_real_reviews_without_ratings_state_no_rating(client):
    ClientReviewFactory(rating=None)
    data = clinic(client)
    assert len(data["review"]) == 1
    assert "aggregateRating" not in data


def test_a_withdrawn_consent_leaves_the_cached_structured_data_at_once(client):
    review = ClientReviewFactory(rating=5)
    assert clinic(client)["aggregateRating"]["ratingCount"] == 1
    review.consent_withdrawn_on = timezone.localdate()
    review.save()
    data = clinic(client)
    assert "review" not in data
    assert "aggregateRating" not in data
