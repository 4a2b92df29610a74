"""What each enquiry type can book is kept by every process, keyed on the latest change to the
routing rules, clinics, consultation types and practitioners: an edit in the admin shows in the
very next offer, and an offer already kept costs one query."""

import pytest

from bookings.models import Clinic, ConsultationType, RoutingRule
from bookings.selectors import booking_offer
from tests.factories import ConsultationTypeFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationTypeFactory(name="Free SMP consultation", slug="free-smp-consultation")


def test_an_offer_already_kept_costs_one_query(consultation, django_assert_num_queries):
    booking_offer(enquiry_type="new_smp")
    with django_assert_num_queries(1):
        offer = booking_offer(enquiry_type="new_smp")
    assert offer.consultation_type("free-smp-consultation") is not None


def test_a_renamed_consultation_type_shows_in_the_next_offer(consultation):
    booking_offer(enquiry_type="new_smp")
    consultation.name = "Free hairline consultation"
    consultation.save()
    offer = booking_offer(enquiry_type="new_smp")
    assert offer.consultation_type("free-smp-consultation").name == "Free hairline consultation"


def test_a_consultation_type_removed_is_not_in_the_next_offer(consultation):
    booking_offer(enquiry_type="new_smp")
    ConsultationType.objects.filter(pk=consultation.pk).delete()
    assert booking_offer(enquiry_type="new_smp").consultation_types == []


def test_a_practitioner_made_inactive_is_not_in_the_next_offer(consultation):
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart")
    assert booking_offer(enquiry_type="new_smp").practitioner("amelia-hart") is not None
    amelia.active = False
    amelia.save()
    assert booking_offer(enquiry_type="new_smp").practitioner("amelia-hart") is None


def test_a_routing_rule_changed_sends_the_next_offer_to_the_other_clinic(consultation):
    assert booking_offer(enquiry_type="new_smp").clinic.slug == "restoration-u"
    rule = RoutingRule.objects.get(enquiry_type="new_smp")
    rule.clinic = Clinic.objects.get(slug="laser-reverse")
    rule.save()
    assert booking_offer(enquiry_type="new_smp").clinic.slug == "laser-reverse"
