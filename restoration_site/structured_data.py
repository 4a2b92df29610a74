"""schema.org data describing the clinic itself, for the home page."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from bookings.selectors import home_clinic_opening_hours
from portfolio.selectors import real_rating_summary
from restoration_site.common.site_url import absolute_url

if TYPE_CHECKING:
    from portfolio.models import ClientReview

# Star ratings run from 1 to 5 (portfolio.models.ClientReview.rating).
BEST_RATING, WORST_RATING = 5, 1


def clinic_graph(*, reviews: Sequence["ClientReview"] = ()) -> dict:
    """The clinic, with `reviews` (those the page shows) among its reviews when they are real."""
    home = absolute_url(reverse("home"))
    graph = {
        "@context": "https://schema.org",
        "@type": ["MedicalClinic", "LocalBusiness"],
        "@id": f"{home}#clinic",
        "name": settings.CLINIC_NAME,
        "url": home,
        "logo": absolute_url(static("img/favicon.svg")),
        "email": settings.CLINIC_EMAIL,
        "telephone": settings.CLINIC_PHONE,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": settings.CLINIC_ADDRESS,
            "addressCountry": "GB",
        },
        "medicalSpecialty": "Dermatology",
        "availableService": [
            {"@type": "MedicalProcedure", "name": "Scalp micropigmentation"},
        ],
        "priceRange": "Free consultation",
    }
    if hours := opening_hours_specification():
        graph["openingHoursSpecification"] = hours
    graph.update(client_reviews(reviews))
    return graph


def client_reviews(shown: Sequence["ClientReview"]) -> dict:
    """`review` for the real reviews among those shown, and `aggregateRating` over every
    published review by a real client that gave a rating; nothing without them. An example
    review (demo content) is never stated as a client's."""
    data = {}
    if real := [review for review in shown if not review.is_example]:
        data["review"] = [review_data(review) for review in real]
    summary = real_rating_summary()
    if summary.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": summary.average_rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "ratingCount": summary.rating_count,
            "reviewCount": summary.review_count,
        }
    return data


def review_data(review: "ClientReview") -> dict:
    """One review as the page shows it: signed with the first name only if the client agreed."""
    data = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.display_name},
        "datePublished": review.reviewed_on.isoformat(),
        "reviewBody": review.text,
    }
    if review.rating:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
        }
    return data


def opening_hours_specification() -> list[dict]:
    """The clinic's week as schema.org states it: one entry per day and span (a split day has
    two), from the same practitioners' hours as the team page. Closed days have none."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": day.name,
            "opens": f"{opens:%H:%M}",
            "closes": f"{closes:%H:%M}",
        }
        for day in home_clinic_opening_hours()
        for opens, closes in day.spans
    ]
