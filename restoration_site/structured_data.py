"""schema.org data describing the clinic itself, for the home page."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from bookings.selectors import home_clinic_opening_hours
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
    if hours := opening_hours_specification():
        graph["openingHoursSpecification"] = hours
    return graph


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
