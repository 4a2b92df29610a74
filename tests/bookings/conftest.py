"""Fixtures of the booking pages' tests: a clock frozen on a Monday morning and each clinic's
week."""

import pytest
from django.utils import timezone

from bookings.models import Weekday
from tests.bookings.booking_pages import NOW
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    hours,
    staff_user,
)

WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@pytest.fixture
def frozen_now(monkeypatch):
    """The pages read the time from Django's clock, as the services do when not told it."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def restoration_u(frozen_now):
    """Restoration U: one consultation type and two practitioners working 09:00 to 12:00 on
    weekdays."""
    consultation = ConsultationTypeFactory(slug="free-smp-consultation")
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart", position=1)
    tom = PractitionerFactory(name="Tom Reed", slug="tom-reed", position=2)
    for person in (amelia, tom):
        for weekday in WEEKDAYS:
            hours(person, weekday, "09:00", "12:00")
    return {"consultation": consultation, "amelia": amelia, "tom": tom}


@pytest.fixture
def laser_reverse(frozen_now):
    """Laser Reverse: its own consultation type and practitioner, Monday afternoons."""
    consultation = ConsultationTypeFactory(
        clinic=clinic("laser-reverse"),
        name="Free laser-removal consultation",
        slug="free-laser-removal-consultation",
    )
    dan = PractitionerFactory(clinic=clinic("laser-reverse"), name="Dan Okafor", slug="dan-okafor")
    hours(dan, Weekday.MONDAY, "13:00", "17:00")
    return {"consultation": consultation, "dan": dan}


@pytest.fixture
def reception(client):
    """Restoration U's receptionist, signed in through the test's client."""
    user = staff_user("restoration-u")
    client.force_login(user)
    return user
