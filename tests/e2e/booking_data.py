"""The clinics' weeks the browser tests book in, on the real clock: every day 09:00 to 17:00 at
Restoration U (two practitioners) and 13:00 to 17:00 at Laser Reverse, so there are always free
times from tomorrow on."""

from django.utils import timezone

from bookings.models import Appointment
from bookings.services import availability, manage_links
from tests.bookings.booking_pages import book_online
from tests.factories import ConsultationTypeFactory, PractitionerFactory, clinic, hours


def open_clinics() -> dict:
    smp = ConsultationTypeFactory(slug="free-smp-consultation")
    laser = ConsultationTypeFactory(
        clinic=clinic("laser-reverse"),
        name="Free laser-removal consultation",
        slug="free-laser-removal-consultation",
    )
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart", position=1)
    tom = PractitionerFactory(name="Tom Reed", slug="tom-reed", position=2)
    dan = PractitionerFactory(clinic=clinic("laser-reverse"), name="Dan Okafor", slug="dan-okafor")
    for weekday in range(7):
        hours(amelia, weekday, "09:00", "17:00")
        hours(tom, weekday, "09:00", "17:00")
        hours(dan, weekday, "13:00", "17:00")
    return {"smp": smp, "laser": laser, "amelia": amelia, "tom": tom, "dan": dan}


def first_free_time(consultation_type, practitioner=None) -> availability.FreeTime:
    """The first time the times page offers."""
    for day in availability.free_times(
        consultation_type=consultation_type, practitioner=practitioner, now=timezone.now()
    ):
        if day.times:
            return day.times[0]
    raise AssertionError("no free time")


def booked_with_link(clinics: dict) -> tuple[Appointment, str]:
    """An appointment booked online at Restoration U's first free time, and the token of the
    link its confirmation email would carry."""
    appointment = book_online(
        consultation_type=clinics["smp"], starts_at=first_free_time(clinics["smp"]).starts_at
    )
    return appointment, manage_links.issue_link(appointment=appointment)
