from django.conf import settings


def clinic(request):
    """The clinic's contact details, for the header, footer and structured data on every page."""
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "email": settings.CLINIC_EMAIL,
            "phone": settings.CLINIC_PHONE,
            "address": settings.CLINIC_ADDRESS,
        },
        "privacy": {
            "version": settings.PRIVACY_POLICY_VERSION,
            "retention_days": settings.ENQUIRY_RETENTION_DAYS,
        },
        "laser_reverse": {
            "name": settings.LASER_REVERSE_NAME,
            "url": settings.LASER_REVERSE_URL,
        },
    }
