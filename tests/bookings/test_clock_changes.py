"""Golden values for the weeks the UK's clocks change in 2027: shifts keep their wall-clock
times (09:00 UK time on both sides) while their UTC values move by an hour.

The clocks go forward at 01:00 UTC on Sunday 28 March 2027 (GMT to BST) and back at 01:00
UTC on Sunday 31 October 2027 (BST to GMT).
"""

import datetime

import pytest

from bookings.models import Weekday
from bookings.services import appointments, availability
from restoration_site.common.clinic_clock import appointment_label
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    ScheduleOverrideFactory,
    WorkingHoursFactory,
    make_enquiry,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
IN_FEBRUARY = datetime.datetime(2027, 2, 15, 10, tzinfo=UTC)  # GMT
IN_OCTOBER = datetime.datetime(2027, 10, 4, 10, tzinfo=UTC)  # BST


@pytest.fixture
def consultation():
    return ConsultationTypeFactory(horizon_days=90, duration_minutes=30, start_step_minutes=30)


@pytest.fixture
def practitioner():
    practitioner = PractitionerFactory()
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.MONDAY, starts="09:00")
    return practitioner


def first_time(consultation, day: datetime.date, now: datetime.datetime):
    (listed,) = availability.free_times(
        consultation_type=consultation, now=now, first_day=day, days=1
    )
    return listed.times[0]


@pytest.mark.parametrize(
    ("now", "starts_at", "label"),
    [
        (IN_FEBRUARY, (2027, 3, 22, 9), "Monday 22 March 2027, 09:00"),
        (IN_FEBRUARY, (2027, 3, 29, 8), "Monday 29 March 2027, 09:00"),
        (IN_OCTOBER, (2027, 10, 25, 8), "Monday 25 October 2027, 09:00"),
        (IN_OCTOBER, (2027, 11, 1, 9), "Monday 1 November 2027, 09:00"),
    ],
    ids=[
        "in GMT, the Monday before the clocks go forward",
        "in GMT, the Monday after (BST)",
        "in BST, the Monday before the clocks go back",
        "in BST, the Monday after (GMT)",
    ],
)
def test_a_0900_shift_starts_at_0900_uk_time_whatever_the_utc_offset(
    consultation, practitioner, now, starts_at, label
):
    time = first_time(consultation, datetime.date(*starts_at[:3]), now)
    assert time.starts_at == datetime.datetime(*starts_at, tzinfo=UTC)
    assert appointment_label(time.starts_at) == label


def test_a_whole_day_after_the_change_has_the_same_wall_clock_times_as_before(
    consultation, practitioner
):
    def wall_clock(day):
        (listed,) = availability.free_times(
            consultation_type=consultation, now=IN_FEBRUARY, first_day=day, days=1
        )
        return [appointment_label(time.starts_at)[-5:] for time in listed.times]

    assert wall_clock(datetime.date(2027, 3, 29)) == wall_clock(datetime.date(2027, 3, 22))
    assert wall_clock(datetime.date(2027, 3, 29))[-1] == "16:30"


def test_the_reminder_across_the_change_is_24_real_hours_before(consultation, practitioner):
    appointment = appointments.book_appointment(
        request=make_enquiry(),
        consultation_type=consultation,
        starts_at=datetime.datetime(2027, 3, 29, 8, tzinfo=UTC),
        now=IN_FEBRUARY,
    )
    reminder = appointment.notifications.get(kind="reminder")
    assert reminder.next_attempt_at == datetime.datetime(2027, 3, 28, 8, tzinfo=UTC)
    assert appointment_label(reminder.next_attempt_at) == "Sunday 28 March 2027, 09:00"


def test_the_minimum_notice_across_the_change_counts_real_hours(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=48, start_step_minutes=30)
    saturday_morning = datetime.datetime(2027, 3, 27, 9, tzinfo=UTC)  # 09:00 GMT
    time = first_time(consultation, datetime.date(2027, 3, 29), saturday_morning)
    # 48 hours on is 09:00 UTC on Monday, which is 10:00 BST.
    assert appointment_label(time.starts_at) == "Monday 29 March 2027, 10:00"


def test_a_week_of_times_across_the_autumn_change_keeps_every_wall_clock_time(
    consultation, practitioner
):
    before = first_time(consultation, datetime.date(2027, 10, 25), IN_OCTOBER)
    after = first_time(consultation, datetime.date(2027, 11, 1), IN_OCTOBER)
    assert after.starts_at - before.starts_at == datetime.timedelta(days=7, hours=1)
    assert before.label[-5:] == after.label[-5:] == "09:00"


@pytest.mark.parametrize(
    ("starts_at", "now", "label"),
    [
        ((2027, 3, 28, 9), IN_FEBRUARY, "Sunday 28 March 2027, 10:00"),
        ((2027, 10, 31, 10), IN_OCTOBER, "Sunday 31 October 2027, 10:00"),
    ],
    ids=["clocks go forward", "clocks go back"],
)
def test_hours_worked_on_the_sunday_the_clocks_change_keep_their_wall_clock_times(
    consultation, practitioner, starts_at, now, label
):
    sunday = datetime.date(*starts_at[:3])
    ScheduleOverrideFactory(practitioner=practitioner, date=sunday, starts="10:00", ends="11:00")
    time = first_time(consultation, sunday, now)
    assert time.starts_at == datetime.datetime(*starts_at, tzinfo=UTC)
    assert appointment_label(time.starts_at) == label


@pytest.mark.parametrize(
    ("starts_at", "now", "label"),
    [
        ((2027, 3, 29, 8), IN_FEBRUARY, "Monday 29 March 2027, 09:00"),
        ((2027, 11, 1, 9), IN_OCTOBER, "Monday 1 November 2027, 09:00"),
    ],
    ids=["made in GMT for a BST date", "made in BST for a GMT date"],
)
def test_a_booking_across_a_clock_change_is_stored_at_0900_uk_time(
    consultation, practitioner, starts_at, now, label
):
    appointment = appointments.book_appointment(
        request=make_enquiry(),
        consultation_type=consultation,
        starts_at=datetime.datetime(*starts_at, tzinfo=UTC),
        now=now,
    )
    assert appointment.starts_at == datetime.datetime(*starts_at, tzinfo=UTC)
    assert appointment_label(appointment.starts_at) == label
