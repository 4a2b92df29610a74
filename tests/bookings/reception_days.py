"""What the tests of reception's day share: a clock that can be set, appointments and enquiries
placed at a wall-clock time, and the addresses of the day sheet, the week grid and the
outcome buttons.

The fixtures are imported by the tests that use them (`clock_fixture` provides `clock`)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, ConsultationRequest
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import (
    AppointmentFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    make_enquiry,
)

# Wednesday 13 January 2027, 10:00 in London (GMT, so UTC too): far from any clock change.
NOW = datetime.datetime(2027, 1, 13, 10, tzinfo=datetime.UTC)
TODAY = NOW.date()

LASER_TYPE = "laser_tattoo"  # routed to Laser Reverse


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch):
    """Django's clock, which the pages and the services read, frozen at NOW; call it with
    another moment to move it."""

    def set_to(moment: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    set_to(NOW)
    return set_to


def enquiry_received(moment: datetime.datetime, **fields) -> ConsultationRequest:
    """An enquiry as the website stores it, received at `moment`."""
    enquiry = make_enquiry(**fields)
    ConsultationRequest.objects.filter(pk=enquiry.pk).update(created_at=moment)
    enquiry.refresh_from_db()
    return enquiry


def appointment_at(
    moment: datetime.datetime,
    *,
    practitioner=None,
    consultation_type=None,
    clinic_slug: str = "restoration-u",
    **enquiry,
) -> Appointment:
    """A booked appointment starting at `moment`, its enquiry "Consultation booked"."""
    if clinic_slug == "laser-reverse":
        enquiry.setdefault("enquiry_type", LASER_TYPE)
    request = make_enquiry(status=ConsultationRequest.Status.BOOKED, **enquiry)
    fields = {"request": request, "starts_at": moment}
    if practitioner is not None:
        fields["practitioner"] = practitioner
    if consultation_type is not None:
        fields["consultation_type"] = consultation_type
    return AppointmentFactory(**fields)


def practitioner(name: str, position: int, clinic_slug: str = "restoration-u"):
    return PractitionerFactory(name=name, position=position, clinic=clinic(clinic_slug))


def consultation(clinic_slug: str = "restoration-u", **fields):
    return ConsultationTypeFactory(clinic=clinic(clinic_slug), **fields)


def day_url(day: datetime.date) -> str:
    return reverse("admin:bookings_appointment_day_of", args=[day.isoformat()])


def week_url(day: datetime.date) -> str:
    return reverse("admin:bookings_appointment_week_of", args=[day.isoformat()])


def outcome_url(appointment: Appointment) -> str:
    return reverse("admin:bookings_appointment_outcome", args=[appointment.pk])
