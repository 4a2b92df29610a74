"""schema.org data describing the clinic itself with its client reviews (the home page), what
its treatments cost (the prices page and the treatment pages), and each clinic where it is
(its "Visit us" page)."""

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

from bookings.models import Clinic, TreatmentPrice, pounds
from bookings.selectors import (
    ClinicPrices,
    ClinicVisit,
    OpeningDay,
    home_clinic_opening_hours,
    home_clinic_price_range,
)
from portfolio.selectors import real_rating_summary
from restoration_site.common.site_url import absolute_url

if TYPE_CHECKING:
    from portfolio.models import ClientReview

CURRENCY = "GBP"
# Star ratings run from 1 to 5 (portfolio.models.ClientReview.rating).
BEST_RATING, WORST_RATING = 5, 1


def clinic_id() -> str:
    """The clinic's node in every page's structured data: the home page describes it."""
    return f"{absolute_url(reverse('home'))}#clinic"


def clinic_graph(*, reviews: Sequence["ClientReview"] = ()) -> dict:
    """The clinic, with `reviews` (those the page shows) among its reviews when they are real."""
    home = absolute_url(reverse("home"))
    graph = {
        "@context": "https://schema.org",
        "@type": ["MedicalClinic", "LocalBusiness"],
        "@id": clinic_id(),
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
        # Every treatment starts with a consultation that costs nothing.
        "makesOffer": [free_consultation_offer()],
    }
    if price_range := home_clinic_price_range():
        graph["priceRange"] = price_range_text(*price_range)
    if hours := opening_hours_specification(home_clinic_opening_hours()):
        graph["openingHoursSpecification"] = hours
    graph.update(client_reviews(reviews))
    return graph


def free_consultation_offer() -> dict:
    return {
        "@type": "Offer",
        "name": "Free consultation",
        "itemOffered": {"@type": "Service", "name": "Consultation"},
        "price": "0",
        "priceCurrency": CURRENCY,
        "url": absolute_url(reverse("bookings:times")),
    }


def price_range_text(lowest: Decimal, highest: Decimal) -> str:
    """“£350 to £2,400”, or one figure when they are the same."""
    if lowest == highest:
        return pounds(lowest)
    return f"{pounds(lowest)} to {pounds(highest)}"


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


def visit_graph(visit: ClinicVisit, *, maps_url: str) -> dict:
    """One clinic as its "Visit us" page states it: address, coordinates, map, phone, email and
    its own opening hours. Restoration U keeps the home page's identifier, so search engines
    read both pages as one clinic; the sister clinic's own website is its address."""
    clinic = visit.clinic
    page = absolute_url(clinic.get_absolute_url())
    home = absolute_url(reverse("home"))
    graph = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": clinic_id() if visit.is_home else f"{page}#clinic",
        "name": clinic.name,
        "url": home if visit.is_home else (clinic.website or page),
        "telephone": clinic.phone,
        "email": clinic.email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.postal_address,
            "addressCountry": "GB",
        },
    }
    # Maps of the place: the clinic's own drawn map where it has one, and the address in
    # Google Maps, the link the page offers.
    maps = [maps_url]
    if sources := clinic.map_renditions.get("sources"):
        maps.insert(0, absolute_url(default_storage.url(sources[-1]["jpeg"])))
    graph["hasMap"] = maps if len(maps) > 1 else maps_url
    if clinic.has_coordinates:
        graph["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(clinic.latitude),
            "longitude": float(clinic.longitude),
        }
    features = [
        (label, value)
        for label, value in (
            ("Step-free access", clinic.step_free_access),
            ("Accessible toilet", clinic.accessible_toilet),
        )
        if value is not None
    ]
    if features:
        graph["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": label, "value": value}
            for label, value in features
        ]
    if hours := opening_hours_specification(visit.opening_hours):
        graph["openingHoursSpecification"] = hours
    return graph


def opening_hours_specification(days: list[OpeningDay]) -> list[dict]:
    """A clinic's week as schema.org states it: one entry per day and span (a split day has
    two), from the same practitioners' hours as the team page. Closed days have none."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": day.name,
            "opens": f"{opens:%H:%M}",
            "closes": f"{closes:%H:%M}",
        }
        for day in days
        for opens, closes in day.spans
    ]


def price_catalog(groups: list[ClinicPrices], *, name: str, path: str) -> dict | None:
    """The prices shown on a page as an `OfferCatalog` of `Offer`s, each offered by its
    clinic, or None when none is the clinic's own figure: example figures are never given to
    search engines."""
    offers = [
        treatment_offer(price, offered_by=clinic_node(group.clinic, is_home=group.is_home))
        for group in groups
        for price in group.prices
        if not price.is_example
    ]
    if not offers:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "OfferCatalog",
        "name": name,
        "url": absolute_url(path),
        "itemListElement": offers,
    }


def clinic_node(clinic: Clinic, *, is_home: bool) -> dict:
    """A clinic as the one offering a treatment: Restoration U is the home page's clinic (the
    same `@id`); the sister clinic is named with its own website, address and phone, under the
    `@id` its "Visit us" page gives it, so search engines read the two as one clinic."""
    node = {"@type": "MedicalClinic", "name": clinic.name}
    if is_home:
        return {**node, "@id": clinic_id(), "url": absolute_url(reverse("home"))}
    node["@id"] = f"{absolute_url(clinic.get_absolute_url())}#clinic"
    if clinic.website:
        node["url"] = clinic.website
    return {
        **node,
        "telephone": clinic.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.postal_address,
            "addressCountry": "GB",
        },
    }


def treatment_offer(price: TreatmentPrice, *, offered_by: dict) -> dict:
    """One price as an `Offer`: a single price as `price`, a “from” price as a
    `PriceSpecification` with `minPrice` (and `maxPrice` when there is a “to” figure); a price
    per session is a `UnitPriceSpecification` for one session."""
    offer = {
        "@type": "Offer",
        "name": price.name,
        "url": absolute_url(price.get_absolute_url()),
        "itemOffered": {
            "@type": "Service",
            "name": price.name,
            "serviceType": price.get_treatment_display(),
        },
        "priceCurrency": CURRENCY,
        "offeredBy": offered_by,
    }
    if description := offer_description(price):
        offer["description"] = description
    specification: dict = {"priceCurrency": CURRENCY}
    if price.kind == TreatmentPrice.Kind.FROM:
        specification["minPrice"] = amount(price.price)
        if price.price_to is not None:
            specification["maxPrice"] = amount(price.price_to)
    else:
        offer["price"] = amount(price.price)
        specification["price"] = amount(price.price)
    if price.per_session:
        specification = {
            "@type": "UnitPriceSpecification",
            **specification,
            "referenceQuantity": {"@type": "QuantitativeValue", "value": 1, "unitText": "session"},
        }
        offer["priceSpecification"] = specification
    elif price.kind == TreatmentPrice.Kind.FROM:
        offer["priceSpecification"] = {"@type": "PriceSpecification", **specification}
    return offer


def offer_description(price: TreatmentPrice) -> str:
    """“Includes: design session, aftercare kit. Usually 2 to 3 sessions.”"""
    parts = []
    if items := price.included_items:
        parts.append(f"Includes: {', '.join(items)}.")
    if sessions := price.sessions_label:
        parts.append(f"Usually {sessions}.")
    return " ".join(parts)


def amount(value: Decimal) -> str:
    """A figure as schema.org reads it: digits and a full stop, no currency or separators."""
    return f"{value:.2f}"
