from django.conf import settings
from django.utils.functional import SimpleLazyObject

from bookings.services.routing import enquiry_types_routed_away


def clinic(request):
    """The clinic's contact details, for the header, footer and structured data on every page,
    and which enquiry types another clinic handles, for calls to action in that clinic's name.

    The routing is read (one query) only by a page that uses it.
    """
    return {
        "routed_away": SimpleLazyObject(enquiry_types_routed_away),
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
