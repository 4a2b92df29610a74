"""schema.org data describing the clinics: Restoration U on the home page, and each clinic on
its "Visit us" page."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

from bookings.selectors import ClinicVisit, OpeningDay, home_clinic_opening_hours
from restoration_site.common.site_url import absolute_url


def clinic_graph() -> dict:
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
    if hours := opening_hours_specification(home_clinic_opening_hours()):
        graph["openingHoursSpecification"] = hours
    return graph


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
        "@id": f"{home}#clinic" if visit.is_home else f"{page}#clinic",
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
