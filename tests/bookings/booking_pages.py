"""What the tests of the booking pages share: a clock frozen on a Monday morning, each clinic's
week, times as the pages write them, and the choice and details a visitor sends.

The fixtures are imported by the tests that use them (`restoration_u_fixture` provides
`restoration_u`)."""

import datetime

import pytest
from django.utils import timezone

from bookings.forms import iso_moment
from bookings.models import Appointment, ConsultationType, Practitioner, Weekday
from bookings.services import appointments
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import ConsultationTypeFactory, PractitionerFactory, clinic, hours

# Monday 4 January 2027, 08:00 in London (GMT, so UTC too): far from any clock change.
NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)
TODAY = NOW.date()
MONDAY = datetime.date(2027, 1, 11)
WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def iso(day: datetime.date, clock: str) -> str:
    """A time as the pages write it in addresses and forms."""
    return iso_moment(at(day, clock))


@pytest.fixture(name="frozen_now")
def frozen_now_fixture(monkeypatch):
    """The pages read the time from Django's clock, as the services do when not told it."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture(name="restoration_u")
def restoration_u_fixture(frozen_now):
    """Restoration U: one consultation type and two practitioners working 09:00 to 12:00 on
    weekdays."""
    consultation = ConsultationTypeFactory(slug="free-smp-consultation")
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart", position=1)
    tom = PractitionerFactory(name="Tom Reed", slug="tom-reed", position=2)
    for person in (amelia, tom):
        for weekday in WEEKDAYS:
            hours(person, weekday, "09:00", "12:00")
    return {"consultation": consultation, "amelia": amelia, "tom": tom}


@pytest.fixture(name="laser_reverse")
def laser_reverse_fixture(frozen_now):
    """Laser Reverse: its own consultation type and practitioner, Monday afternoons."""
    consultation = ConsultationTypeFactory(
        clinic=clinic("laser-reverse"),
        name="Free laser-removal consultation",
        slug="free-laser-removal-consultation",
    )
    dan = PractitionerFactory(clinic=clinic("laser-reverse"), name="Dan Okafor", slug="dan-okafor")
    hours(dan, Weekday.MONDAY, "13:00", "17:00")
    return {"consultation": consultation, "dan": dan}


def book_online(
    *,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None = None,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Jamie's booking of this time, as the details page places it."""
    return appointments.book_consultation(
        full_name="Jamie Example",
        email="jamie@client.example",
        phone="+447911123456",
        contact_method="email",
        enquiry_type="new_smp",
        consultation_type=consultation_type,
        starts_at=starts_at,
        practitioner=practitioner,
        now=now,
    )


def choice(**overrides) -> dict:
    """What the times page sends to the details page: Monday 11 January, 10:00, no preference."""
    data = {
        "type": "new_smp",
        "consultation": "free-smp-consultation",
        "practitioner": "",
        "time": iso(MONDAY, "10:00"),
        "from": "/portfolio/natural-hairline/",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


# What a visitor types into the details form.
VISITOR = {
    "full_name": "Jamie Example",
    "email": "jamie@client.example",
    "phone": "07911 123456",
    "contact_method": "phone",
    "message": "My hairline is receding at the temples.",
    "heard_about": "search",
    "consent": "on",
    "website": "",
}


def details(**overrides) -> dict:
    """The details form as a visitor fills it in, with the choice and a one-time key."""
    data = choice() | {"key": "k" * 22} | VISITOR
    return {key: value for key, value in (data | overrides).items() if value is not None}
