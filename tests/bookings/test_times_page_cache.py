"""The times page's cached copies (bookings/urls.py): a repeat view reads one version, and
anything that changes the free times shows in the very next view."""

import datetime
import time

import pytest

from bookings import selectors
from bookings.models import ConsultationType
from bookings.services import appointments
from tests.bookings.booking_pages import (  # noqa: F401  the fixtures are used by name
    MONDAY,
    at,
    details,
    frozen_now_fixture,
    iso,
    restoration_u_fixture,
)
from tests.factories import AppointmentFactory, ClinicClosureFactory, hours

pytestmark = pytest.mark.django_db
TIMES = "/book/times/"
AMELIA = {"type": "new_smp", "practitioner": "amelia-hart"}
TUESDAY = datetime.date(2027, 1, 5)  # the first day past the frozen clock's day of notice
SATURDAY = datetime.date(2027, 1, 9)


def offers(client, day: datetime.date, clock: str, **params) -> bool:
    """Whether Amelia Hart's times page offers this time."""
    page = client.get(TIMES, AMELIA | params).content.decode()
    return f'value="{iso(day, clock)}"' in page


def amelias_appointment(schedule: dict, day: datetime.date, clock: str):
    return AppointmentFactory(
        practitioner=schedule["amelia"],
        consultation_type=schedule["consultation"],
        starts_at=at(day, clock),
    )


def test_a_repeat_view_of_the_times_page_reads_only_the_version(
    client, restoration_u, django_assert_num_queries
):
    first = client.get(TIMES, AMELIA)
    with django_assert_num_queries(1):
        again = client.get(TIMES, AMELIA)
    assert again.content == first.content


def test_parameters_the_page_ignores_find_the_same_copy(
    client, restoration_u, django_assert_num_queries
):
    client.get(TIMES, AMELIA)
    with django_assert_num_queries(1):
        client.get(TIMES, AMELIA | {"utm_source": "newsletter", "start": "not-a-date"})


def test_a_time_booked_through_the_details_page_is_gone_from_the_next_view(client, restoration_u):
    assert offers(client, TUESDAY, "09:00")
    booked = client.post(
        "/book/details/", details(practitioner="amelia-hart", time=iso(TUESDAY, "09:00"))
    )
    assert booked.status_code == 302
    assert not offers(client, TUESDAY, "09:00")


def test_a_time_booked_in_another_process_is_gone_from_the_next_view(client, restoration_u):
    assert offers(client, TUESDAY, "10:00")
    amelias_appointment(restoration_u, TUESDAY, "10:00")
    assert not offers(client, TUESDAY, "10:00")


def test_a_cancelled_appointments_time_is_offered_again_at_once(client, restoration_u, frozen_now):
    appointment = amelias_appointment(restoration_u, TUESDAY, "10:00")
    assert not offers(client, TUESDAY, "10:00")
    appointments.cancel_appointment(appointment=appointment, reason="Ill", now=frozen_now)
    assert offers(client, TUESDAY, "10:00")


def test_a_moved_appointment_frees_its_time_and_takes_the_new_one_at_once(
    client, restoration_u, frozen_now
):
    appointment = amelias_appointment(restoration_u, TUESDAY, "10:00")
    assert (offers(client, TUESDAY, "10:00"), offers(client, TUESDAY, "11:00")) == (False, True)
    appointments.reschedule_appointment(
        appointment=appointment, starts_at=at(TUESDAY, "11:00"), now=frozen_now
    )
    assert (offers(client, TUESDAY, "10:00"), offers(client, TUESDAY, "11:00")) == (True, False)


def test_a_closure_and_new_hours_show_at_once(client, restoration_u):
    assert offers(client, TUESDAY, "09:00")
    ClinicClosureFactory(date=TUESDAY)
    assert not offers(client, TUESDAY, "09:00")
    assert not offers(client, SATURDAY, "09:00")
    hours(restoration_u["amelia"], SATURDAY.weekday(), "09:00", "12:00")
    assert offers(client, SATURDAY, "09:00")


def test_a_copy_is_never_older_than_the_times_page_seconds(client, restoration_u, monkeypatch):
    """A change the version does not see (a consultation made longer, edited in place) shows
    once the copy has expired."""
    assert offers(client, MONDAY, "11:30", start=MONDAY.isoformat())
    ConsultationType.objects.update(duration_minutes=60)
    assert offers(client, MONDAY, "11:30", start=MONDAY.isoformat())  # the copy
    later = time.time() + selectors.TIMES_PAGE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert not offers(client, MONDAY, "11:30", start=MONDAY.isoformat())
