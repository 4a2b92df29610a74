"""Demo client reviews for `seed_demo`: invented clients, each review marked as an example
(shown labelled "Example review", never stated to search engines), created once by its
consent reference."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from portfolio.models import BeforeAfterCase, ClientReview, Treatment

# consent reference, first name (None: not to be shown), treatment, the case it may be shown
# beside (slug), rating, days ago, the client's words
REVIEWS = [
    (
        "Example consent form 001 (invented client)",
        "Daniel",
        Treatment.HAIRLINE,
        "natural-hairline-early-thirties",
        5,
        45,
        "I put off booking for two years. The consultation was relaxed, nobody pushed me, and "
        "the hairline we drew together suits my face. Three sessions later my friends just say "
        "I look well.",
    ),
    (
        "Example consent email 002 (invented client)",
        None,
        Treatment.SCAR,
        None,
        5,
        80,
        "The scar from my old transplant was the first thing I saw in the mirror. With a short "
        "cut it is far less noticeable now. They checked how the pigment had settled between "
        "visits and explained each step.",
    ),
    (
        "Example consent form 003 (invented client)",
        "Marcus",
        Treatment.CORRECTION,
        None,
        None,
        130,
        "After laser at Laser Reverse, my new hairline is softer and sits where it should. It "
        "took months, and they were honest about that from the first appointment.",
    ),
]


def seed_reviews(*, log: Callable[[str], None]) -> None:
    today = timezone.localdate()
    for reference, first_name, treatment, case_slug, rating, days_ago, text in REVIEWS:
        if ClientReview.objects.filter(consent_reference=reference).exists():
            log(f"found example review '{reference}'")
            continue
        reviewed_on = today - datetime.timedelta(days=days_ago)
        review = ClientReview(
            text=text,
            rating=rating,
            reviewed_on=reviewed_on,
            treatment=treatment,
            case=BeforeAfterCase.objects.get(slug=case_slug) if case_slug else None,
            first_name=first_name or "",
            consent_recorded_on=reviewed_on + datetime.timedelta(days=2),
            consent_method=ClientReview.ConsentMethod.SIGNED_FORM,
            consent_reference=reference,
            show_first_name=first_name is not None,
            show_treatment=True,
            show_case_photo=case_slug is not None,
            is_example=True,
            status=ClientReview.Status.PUBLISHED,
        )
        review.full_clean()
        review.save()
        log(f"created example review '{reference}'")
