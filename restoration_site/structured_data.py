"""schema.org data describing the clinic itself, for the home page."""

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse


def clinic_graph(request: HttpRequest) -> dict:
    home = request.build_absolute_uri(reverse("home"))
    return {
        "@context": "https://schema.org",
        "@type": ["MedicalClinic", "LocalBusiness"],
        "@id": f"{home}#clinic",
        "name": settings.CLINIC_NAME,
        "url": home,
        "logo": request.build_absolute_uri(static("img/favicon.svg")),
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
