"""Fifty clients try to book the same time at the same moment, each in a thread with its own
database connection: exactly one gets it, the others are told it has gone, nothing else fails.

On PostgreSQL the exclusion constraint refuses the losers' inserts; on SQLite the IMMEDIATE
transactions queue them behind the winner's write lock. (The same race through the booking
pages, under gunicorn, is test_booking_race.py.)
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from bookings.models import Appointment, ConsultationRequest, Weekday
from bookings.services import appointments
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import ConsultationTypeFactory, PractitionerFactory, WorkingHoursFactory

ATTEMPTS = 50
NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)
TEN_ON_MONDAY = clinic_moment(datetime.date(2027, 1, 11), datetime.time(10))


@pytest.fixture
def consultation(own_connections):
    return ConsultationTypeFactory()


def practitioners(count: int) -> list:
    team = PractitionerFactory.create_batch(count)
    for practitioner in team:
        WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.MONDAY)
    return team


def all_at_once(attempt) -> list[str]:
    """Run `attempt(number)` in ATTEMPTS threads released together; each thread's outcome."""
    start = threading.Barrier(ATTEMPTS)

    def run(number: int) -> str:
        try:
            start.wait()
            attempt(number)
            return "booked"
        except appointments.TimeUnavailable:
            return "taken"
        except Exception as error:  # any other failure is the test's finding
            return repr(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        return list(pool.map(run, range(ATTEMPTS)))


def visitor_books(consultation, number: int, **options) -> None:
    appointments.book_consultation(
        full_name=f"Visitor {number} Example",
        email=f"visitor{number}@client.example",
        phone="+447911123456",
        contact_method="email",
        enquiry_type="new_smp",
        consultation_type=consultation,
        starts_at=TEN_ON_MONDAY,
        now=NOW,
        **options,
    )


def test_fifty_visitors_booking_one_time_at_once_give_one_appointment(consultation):
    practitioners(1)
    outcomes = all_at_once(lambda number: visitor_books(consultation, number))
    assert sorted(outcomes) == ["booked"] + ["taken"] * (ATTEMPTS - 1)
    assert Appointment.objects.count() == 1


def test_the_visitors_who_lose_the_race_leave_nothing_stored(consultation):
    practitioners(1)
    all_at_once(lambda number: visitor_books(consultation, number))
    assert ConsultationRequest.objects.count() == 1


def test_fifty_visitors_with_no_preference_fill_each_practitioner_once(consultation):
    team = practitioners(2)
    outcomes = all_at_once(lambda number: visitor_books(consultation, number))
    assert sorted(outcomes) == ["booked"] * 2 + ["taken"] * (ATTEMPTS - 2)
    assert sorted(Appointment.objects.values_list("practitioner_id", flat=True)) == sorted(
        practitioner.pk for practitioner in team
    )


def test_one_submission_sent_fifty_times_at_once_books_once(consultation):
    practitioners(1)
    outcomes = all_at_once(
        lambda number: visitor_books(consultation, number, submission_key="form-5e1d")
    )
    assert outcomes == ["booked"] * ATTEMPTS
    assert (Appointment.objects.count(), ConsultationRequest.objects.count()) == (1, 1)
