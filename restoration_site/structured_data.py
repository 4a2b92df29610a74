"""schema.org data describing the clinic itself, for the home page."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from restoration_site.common.site_url import absolute_url


def clinic_graph() -> dict:
    home = absolute_url(reverse("home"))
    return {
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
