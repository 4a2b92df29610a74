"""Free times, rule by rule: a clinic's schedule minus closures and booked appointments."""

import datetime

import pytest

from bookings.models import Appointment, Weekday
from bookings.services import availability
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import (
    AppointmentFactory,
    ClinicClosureFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    ScheduleOverrideFactory,
    WorkingHoursFactory,
    clinic,
)

pytestmark = pytest.mark.django_db

# Monday 4 January 2027, 08:00 in London (GMT, so UTC too): far from any clock change.
NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)
MONDAY = datetime.date(2027, 1, 11)
TUESDAY = MONDAY + datetime.timedelta(days=1)


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def clock(times) -> list[str]:
    """The offered times as the clinic's wall clock reads them."""
    return [time.label.rsplit(", ", 1)[1] for time in times]


def day_of(listed: list[availability.DayTimes], day: datetime.date) -> availability.DayTimes:
    (found,) = [entry for entry in listed if entry.day == day]
    return found


def times_on(day: datetime.date, consultation_type, practitioner=None, now=NOW) -> list[str]:
    listed = availability.free_times(
        consultation_type=consultation_type,
        practitioner=practitioner,
        now=now,
        first_day=day,
        days=1,
    )
    return clock(listed[0].times) if listed else []


@pytest.fixture
def practitioner():
    return PractitionerFactory()


@pytest.fixture
def consultation():
    return ConsultationTypeFactory(duration_minutes=30, buffer_after_minutes=10)


def test_a_shift_offers_every_step_whose_appointment_fits_inside_it(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="10:30")
    assert times_on(MONDAY, consultation) == ["09:00", "09:15", "09:30", "09:45", "10:00"]


def test_an_appointment_longer_than_what_is_left_of_the_shift_is_not_offered(practitioner):
    consultation = ConsultationTypeFactory(duration_minutes=45)
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="10:00")
    assert times_on(MONDAY, consultation) == ["09:00", "09:15"]


def test_a_split_shift_offers_times_in_both_parts_and_none_in_the_gap(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="10:00")
    WorkingHoursFactory(practitioner=practitioner, starts="14:00", ends="15:00")
    assert times_on(MONDAY, consultation) == [
        "09:00", "09:15", "09:30", "14:00", "14:15", "14:30",
    ]  # fmt: skip


def test_steps_count_from_the_start_of_each_shift(practitioner):
    consultation = ConsultationTypeFactory(duration_minutes=30, start_step_minutes=30)
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="10:00")
    WorkingHoursFactory(practitioner=practitioner, starts="13:10", ends="14:30")
    assert times_on(MONDAY, consultation) == ["09:00", "09:30", "13:10", "13:40"]


def test_weekly_hours_apply_only_on_their_weekday(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.TUESDAY)
    listed = availability.free_times(consultation_type=consultation, now=NOW)
    assert {entry.day.weekday() for entry in listed} == {Weekday.TUESDAY}


def test_a_day_off_override_offers_nothing_that_day(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    ScheduleOverrideFactory(practitioner=practitioner, date=MONDAY)
    listed = availability.free_times(consultation_type=consultation, now=NOW, days=15)
    assert MONDAY not in [entry.day for entry in listed]
    assert MONDAY + datetime.timedelta(days=7) in [entry.day for entry in listed]


def test_override_hours_replace_the_weekly_hours_that_day(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="17:00")
    ScheduleOverrideFactory(practitioner=practitioner, date=MONDAY, starts="12:00", ends="13:00")
    assert times_on(MONDAY, consultation) == ["12:00", "12:15", "12:30"]


def test_override_hours_give_times_on_a_day_not_usually_worked(practitioner, consultation):
    saturday = MONDAY + datetime.timedelta(days=5)
    WorkingHoursFactory(practitioner=practitioner)
    ScheduleOverrideFactory(practitioner=practitioner, date=saturday, starts="10:00", ends="11:00")
    assert times_on(saturday, consultation) == ["10:00", "10:15", "10:30"]


def test_a_day_off_wins_over_hours_given_for_the_same_date(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    ScheduleOverrideFactory(practitioner=practitioner, date=MONDAY, starts="12:00", ends="13:00")
    ScheduleOverrideFactory(practitioner=practitioner, date=MONDAY)
    assert times_on(MONDAY, consultation) == []


def test_a_clinic_closure_offers_nothing_that_day(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    ClinicClosureFactory(date=MONDAY)
    assert times_on(MONDAY, consultation) == []


def test_a_closure_of_the_other_clinic_changes_nothing(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="09:30")
    ClinicClosureFactory(clinic=clinic("laser-reverse"), date=MONDAY)
    assert times_on(MONDAY, consultation) == ["09:00"]


def test_nothing_is_offered_inside_the_minimum_notice(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=26)
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.TUESDAY)
    now = at(MONDAY, "08:00")
    assert times_on(TUESDAY, consultation, now=now)[0] == "10:00"


def test_a_working_day_wholly_inside_the_notice_is_listed_to_call_about(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=48)
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.TUESDAY)
    listed = availability.free_times(
        consultation_type=consultation, now=at(MONDAY, "08:00"), days=2
    )
    tuesday = day_of(listed, TUESDAY)
    assert tuesday.times == []
    assert tuesday.within_notice


def test_a_day_partly_inside_the_notice_offers_the_rest_and_says_so(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=26)
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.TUESDAY)
    tuesday = day_of(
        availability.free_times(consultation_type=consultation, now=at(MONDAY, "08:00")), TUESDAY
    )
    assert tuesday.times
    assert tuesday.within_notice


def test_a_day_clear_of_the_notice_is_not_marked_within_it(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    listed = availability.free_times(consultation_type=consultation, now=NOW)
    assert not day_of(listed, MONDAY).within_notice


def test_a_fully_booked_day_is_listed_with_no_times(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="10:00", ends="10:30")
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    listed = availability.free_times(consultation_type=consultation, now=NOW)
    assert day_of(listed, MONDAY).times == []
    assert not day_of(listed, MONDAY).within_notice


def test_a_day_with_no_work_is_left_out(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.MONDAY)
    listed = availability.free_times(consultation_type=consultation, now=NOW, days=14)
    assert [entry.day.weekday() for entry in listed] == [Weekday.MONDAY, Weekday.MONDAY]


def test_a_day_whose_hours_are_over_is_left_out(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=0)
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="12:00")
    listed = availability.free_times(consultation_type=consultation, now=at(MONDAY, "13:00"))
    assert MONDAY not in [entry.day for entry in listed]


def test_times_already_gone_today_are_not_offered(practitioner):
    consultation = ConsultationTypeFactory(minimum_notice_hours=0)
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="11:00")
    assert times_on(MONDAY, consultation, now=at(MONDAY, "09:50")) == ["10:00", "10:15", "10:30"]


def test_nothing_is_offered_beyond_the_horizon(practitioner):
    consultation = ConsultationTypeFactory(horizon_days=14)
    for weekday in Weekday:
        WorkingHoursFactory(practitioner=practitioner, weekday=weekday)
    listed = availability.free_times(consultation_type=consultation, now=NOW, days=60)
    assert listed[-1].day == datetime.date(2027, 1, 18)


def test_the_horizon_is_the_default_span(practitioner):
    consultation = ConsultationTypeFactory(horizon_days=10)
    for weekday in Weekday:
        WorkingHoursFactory(practitioner=practitioner, weekday=weekday)
    listed = availability.free_times(consultation_type=consultation, now=NOW)
    assert listed[-1].day == datetime.date(2027, 1, 14)


def test_a_booked_appointment_blocks_its_time_and_its_buffers(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="12:00")
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    # Booked 10:00 to 10:30, then 10 minutes kept free: 10:40 on is free again, and a new
    # appointment needs its own 10 minutes before the next one starts.
    assert times_on(MONDAY, consultation) == [
        "09:00", "09:15", "10:45", "11:00", "11:15", "11:30",
    ]  # fmt: skip


def test_the_buffer_before_keeps_time_free_before_each_appointment(practitioner):
    consultation = ConsultationTypeFactory(buffer_before_minutes=15, buffer_after_minutes=0)
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="11:30")
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    # 09:45 to 10:30 is blocked; 10:30 would need 10:15 free.
    assert times_on(MONDAY, consultation) == ["09:00", "09:15", "10:45", "11:00"]


def test_a_cancelled_appointment_frees_its_time(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="10:00", ends="10:30")
    AppointmentFactory(
        practitioner=practitioner,
        consultation_type=consultation,
        starts_at=at(MONDAY, "10:00"),
        status=Appointment.Status.CANCELLED,
    )
    assert times_on(MONDAY, consultation) == ["10:00"]


def test_another_practitioners_appointment_does_not_block_this_one(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="10:00", ends="10:30")
    AppointmentFactory(consultation_type=consultation, starts_at=at(MONDAY, "10:00"))
    assert times_on(MONDAY, consultation, practitioner=practitioner) == ["10:00"]


def test_no_preference_merges_practitioners_and_lists_everyone_free_in_team_order(consultation):
    second = PractitionerFactory(position=2, name="Ana Second")
    first = PractitionerFactory(position=1, name="Zoe First")
    WorkingHoursFactory(practitioner=second, starts="09:00", ends="10:00")
    WorkingHoursFactory(practitioner=first, starts="09:30", ends="10:30")
    listed = availability.free_times(consultation_type=consultation, now=NOW, first_day=MONDAY)
    by_clock = {time.label[-5:]: time.practitioner_ids for time in listed[0].times}
    assert by_clock == {
        "09:00": (second.pk,),
        "09:15": (second.pk,),
        "09:30": (first.pk, second.pk),
        "09:45": (first.pk,),
        "10:00": (first.pk,),
    }


def test_practitioners_at_the_same_position_are_in_name_order(consultation):
    later = PractitionerFactory(position=0, name="Morgan B")
    earlier = PractitionerFactory(position=0, name="Morgan A")
    for practitioner in (later, earlier):
        WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="09:30")
    listed = availability.free_times(consultation_type=consultation, now=NOW, first_day=MONDAY)
    assert listed[0].times[0].practitioner_ids == (earlier.pk, later.pk)


def test_choosing_a_practitioner_offers_only_their_times(consultation):
    chosen, other = PractitionerFactory(), PractitionerFactory()
    WorkingHoursFactory(practitioner=chosen, starts="09:00", ends="09:30")
    WorkingHoursFactory(practitioner=other, starts="11:00", ends="11:30")
    assert times_on(MONDAY, consultation, practitioner=chosen) == ["09:00"]


def test_an_inactive_practitioner_offers_no_times(consultation):
    practitioner = PractitionerFactory(active=False)
    WorkingHoursFactory(practitioner=practitioner)
    assert availability.free_times(consultation_type=consultation, now=NOW) == []


def test_an_inactive_consultation_type_offers_no_times_online(practitioner):
    consultation = ConsultationTypeFactory(active=False)
    WorkingHoursFactory(practitioner=practitioner)
    assert availability.free_times(consultation_type=consultation, now=NOW) == []


def test_a_practitioner_of_another_clinic_offers_nothing_for_this_clinics_type(consultation):
    elsewhere = PractitionerFactory(clinic=clinic("laser-reverse"))
    WorkingHoursFactory(practitioner=elsewhere)
    assert (
        availability.free_times(consultation_type=consultation, practitioner=elsewhere, now=NOW)
        == []
    )


def test_a_free_time_knows_its_end_and_labels(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="09:30")
    listed = availability.free_times(consultation_type=consultation, now=NOW, first_day=MONDAY)
    (time,) = listed[0].times
    assert time.ends_at - time.starts_at == datetime.timedelta(minutes=30)
    assert time.label == "Monday 11 January 2027, 09:00"
    assert time.label_with_zone == "Monday 11 January 2027, 09:00 UK time"


def test_a_day_is_headed_with_its_full_date(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    listed = availability.free_times(consultation_type=consultation, now=NOW, first_day=MONDAY)
    assert listed[0].label == "Monday 11 January 2027"


def test_staff_are_offered_times_inside_the_notice(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="10:00")
    listed = availability.free_times(
        consultation_type=consultation, now=at(NOW.date(), "09:05"), for_staff=True, days=1
    )
    assert clock(listed[0].times) == ["09:15", "09:30"]


def offered_at(consultation, practitioner, clock: str) -> bool:
    return availability.is_offered(
        consultation_type=consultation,
        practitioner_id=practitioner.pk,
        starts_at=at(MONDAY, clock),
        now=NOW,
    )


def test_is_offered_accepts_an_offered_time(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    assert offered_at(consultation, practitioner, "09:15")


def test_is_offered_refuses_a_time_off_the_step(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    assert not offered_at(consultation, practitioner, "09:10")


def test_is_offered_refuses_another_practitioner(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner)
    assert not offered_at(consultation, PractitionerFactory(), "09:15")


def test_is_offered_reads_one_day_in_three_queries(
    practitioner, consultation, django_assert_num_queries
):
    WorkingHoursFactory(practitioner=practitioner)
    with django_assert_num_queries(3):
        offered_at(consultation, practitioner, "09:15")


def test_the_nearest_free_times_are_the_closest_on_either_side(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="12:00")
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    nearest = availability.nearest_free_times(
        consultation_type=consultation, around=at(MONDAY, "10:00"), now=NOW
    )
    # 09:15 and 10:45 are 45 minutes away; of 09:00 and 11:00, an hour away, the earlier.
    assert clock(nearest) == ["09:00", "09:15", "10:45"]


def test_the_nearest_free_times_may_be_on_other_days(practitioner, consultation):
    WorkingHoursFactory(practitioner=practitioner, starts="09:00", ends="09:30")
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "09:00")
    )
    nearest = availability.nearest_free_times(
        consultation_type=consultation, around=at(MONDAY, "09:00"), now=NOW
    )
    assert [time.starts_at.date().isoformat() for time in nearest] == [
        "2027-01-18", "2027-01-25", "2027-02-01",
    ]  # fmt: skip


@pytest.fixture
def busy_clinic(consultation):
    """Three practitioners who work every day, and what the test adds to their calendars."""
    team = PractitionerFactory.create_batch(3)
    for practitioner in team:
        for weekday in Weekday:
            WorkingHoursFactory(practitioner=practitioner, weekday=weekday)
    ScheduleOverrideFactory(practitioner=team[0], date=MONDAY)
    ClinicClosureFactory(date=TUESDAY)
    return team


def test_free_times_read_the_database_in_three_queries_with_no_appointments(
    busy_clinic, consultation, django_assert_num_queries
):
    with django_assert_num_queries(3):
        listed = availability.free_times(consultation_type=consultation, now=NOW, days=31)
    assert len(listed) == 30


def test_free_times_read_the_database_in_three_queries_with_many_appointments(
    busy_clinic, consultation, django_assert_num_queries
):
    for number in range(60):
        AppointmentFactory(
            practitioner=busy_clinic[number % 3],
            consultation_type=consultation,
            starts_at=at(NOW.date() + datetime.timedelta(days=1 + number // 3), "10:00"),
        )
    with django_assert_num_queries(3):
        listed = availability.free_times(consultation_type=consultation, now=NOW, days=31)
    assert len(listed) == 30
