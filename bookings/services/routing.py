"""Which clinic handles an enquiry of each type, and which clinic is copied in."""

from bookings.models import Clinic, RoutingRule
from restoration_site.common.choices import EnquiryType

HOME_CLINIC_SLUG = "restoration-u"

# The clinic handling an enquiry type, the clinic copied in, and the rule that said so.
Route = tuple[Clinic, Clinic | None, RoutingRule | None]


def route_enquiry(*, enquiry_type: str) -> Route:
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


def clinic_of_each_enquiry_type() -> dict[str, int]:
    """The clinic (its id) that handles each enquiry type, as `route_enquiry` would route it:
    what staff may book for when they take a booking by phone."""
    rules = dict(RoutingRule.objects.values_list("enquiry_type", "clinic_id"))
    home = Clinic.objects.filter(slug=HOME_CLINIC_SLUG).values_list("pk", flat=True).first()
    return {value: rules.get(value, home) for value in EnquiryType.values}
