"""Which clinic handles an enquiry of each type, and which clinic is copied in."""

from bookings.models import Clinic, RoutingRule

HOME_CLINIC_SLUG = "restoration-u"


def route_enquiry(*, enquiry_type: str) -> tuple[Clinic, Clinic | None, RoutingRule | None]:
    """The clinic an enquiry of this type goes to, the clinic copied in, and the rule used.

    Without a rule for the type, Restoration U handles it itself.
    """
    rule = (
        RoutingRule.objects.select_related("clinic", "copy_to")
        .filter(enquiry_type=enquiry_type)
        .first()
    )
    if rule:
        return rule.clinic, rule.copy_to, rule
    return Clinic.objects.get(slug=HOME_CLINIC_SLUG), None, None


def enquiry_types_routed_away() -> dict[str, str]:
    """Enquiry types handled by a clinic other than Restoration U, with that clinic's name,
    so the form can say where the details will go before they are sent."""
    return dict(
        RoutingRule.objects.exclude(clinic__slug=HOME_CLINIC_SLUG).values_list(
            "enquiry_type", "clinic__name"
        )
    )
