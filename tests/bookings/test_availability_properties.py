"""Property-based tests: for random schedules, overrides, closures and bookings, every time
offered can be booked, `is_offered` agrees with the list, and whatever is attempted no two
booked appointments of one practitioner ever overlap, buffers included."""

import datetime
from dataclasses import dataclass
from itertools import combinations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.models import (
    Appointment,
    ClinicClosure,
    ScheduleOverride,
    WorkingHours,
)
from bookings.services import appointments, availability
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    make_enquiry,
    staff_user,
)

# Mondays: an ordinary week, and the weeks the clocks go forward and back.
FIRST_DAYS = [datetime.date(2027, 1, 4), datetime.date(2027, 3, 22), datetime.date(2027, 10, 25)]
DAYS = 14
REFUSALS = (appointments.BookingRefused,)
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

five_minutes = st.integers(min_value=6 * 12, max_value=20 * 12).map(lambda n: n * 5)


def clock(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


@st.composite
def shifts(draw) -> tuple[datetime.time, datetime.time]:
    starts = draw(five_minutes)
    ends = min(starts + 5 * draw(st.integers(min_value=2, max_value=72)), 23 * 60 + 55)
    return clock(starts), clock(ends)


@dataclass
class Schedule:
    first_day: datetime.date
    rules: dict
    team: int
    weekly: list
    overrides: list
    closures: set
    now_minutes: int


@st.composite
def schedules(draw) -> Schedule:
    team = draw(st.integers(min_value=1, max_value=3))
    member = st.integers(min_value=0, max_value=team - 1)
    day = st.integers(min_value=0, max_value=DAYS - 1)
    return Schedule(
        first_day=draw(st.sampled_from(FIRST_DAYS)),
        rules={
            "duration_minutes": draw(st.sampled_from([10, 15, 30, 45, 60, 90])),
            "buffer_before_minutes": draw(st.sampled_from([0, 5, 15, 30])),
            "buffer_after_minutes": draw(st.sampled_from([0, 5, 10, 30])),
            "start_step_minutes": draw(st.sampled_from([5, 10, 15, 20, 30, 60])),
            "minimum_notice_hours": draw(st.sampled_from([0, 1, 24, 48])),
            "horizon_days": draw(st.integers(min_value=3, max_value=DAYS - 1)),
        },
        team=team,
        weekly=draw(
            st.lists(st.tuples(member, st.integers(0, 6), shifts()), min_size=1, max_size=8)
        ),
        overrides=draw(
            st.lists(st.tuples(member, day, st.one_of(st.none(), shifts())), max_size=4)
        ),
        closures=draw(st.sets(day, max_size=3)),
        now_minutes=draw(st.integers(min_value=0, max_value=24 * 12 - 1)) * 5,
    )


@dataclass
class Setup:
    consultation_type: object
    team: list
    now: datetime.datetime
    first_day: datetime.date


def build(schedule: Schedule) -> Setup:
    consultation_type = ConsultationTypeFactory(**schedule.rules)
    team = PractitionerFactory.create_batch(schedule.team)
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=team[who], weekday=weekday, starts=starts, ends=ends)
        for who, weekday, (starts, ends) in schedule.weekly
    )
    ScheduleOverride.objects.bulk_create(
        ScheduleOverride(
            practitioner=team[who],
            date=schedule.first_day + datetime.timedelta(days=offset),
            starts=hours[0] if hours else None,
            ends=hours[1] if hours else None,
        )
        for who, offset, hours in schedule.overrides
    )
    ClinicClosure.objects.bulk_create(
        ClinicClosure(
            clinic=clinic(),
            date=schedule.first_day + datetime.timedelta(days=offset),
            name="Closed",
        )
        for offset in schedule.closures
    )
    now = clinic_moment(schedule.first_day, datetime.time()) + datetime.timedelta(
        minutes=schedule.now_minutes
    )
    return Setup(consultation_type, team, now, schedule.first_day)


def offered(setup: Setup) -> list[availability.FreeTime]:
    return [
        time
        for day in availability.free_times(consultation_type=setup.consultation_type, now=setup.now)
        for time in day.times
    ]


def assert_no_overlaps() -> None:
    """Every pair of booked appointments of one practitioner, buffers included, is apart."""
    booked = list(Appointment.objects.booked())
    for one, other in combinations(booked, 2):
        if one.practitioner_id == other.practitioner_id:
            first, second = sorted((one, other), key=lambda a: a.blocked_from)
            assert first.blocked_until <= second.blocked_from, (first, second)
    for appointment in booked:
        rules = appointment.consultation_type
        assert appointment.starts_at - appointment.blocked_from == datetime.timedelta(
            minutes=rules.buffer_before_minutes
        )
        assert appointment.blocked_until - appointment.ends_at == datetime.timedelta(
            minutes=rules.buffer_after_minutes
        )


class Rollback(Exception):
    """Leaves the example's transaction, undoing everything it wrote."""


def in_rolled_back_transaction(check) -> None:
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(schedule=schedules(), data=st.data())
def test_every_offered_time_can_be_booked_by_a_client(schedule, data):
    def check():
        setup = build(schedule)
        times = offered(setup)
        if not times:
            return
        for time in data.draw(st.lists(st.sampled_from(times), min_size=1, max_size=3)):
            chosen = data.draw(st.sampled_from([None, *time.practitioner_ids]))
            practitioner = next((p for p in setup.team if p.pk == chosen), None)

            def book(time=time, practitioner=practitioner):
                appointment = appointments.book_appointment(
                    request=make_enquiry(),
                    consultation_type=setup.consultation_type,
                    starts_at=time.starts_at,
                    practitioner=practitioner,
                    now=setup.now,
                )
                assert appointment.practitioner_id in time.practitioner_ids

            in_rolled_back_transaction(book)

    in_rolled_back_transaction(check)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(schedule=schedules(), data=st.data())
def test_is_offered_agrees_with_the_list_of_free_times(schedule, data):
    def check():
        setup = build(schedule)
        listed = {(time.starts_at, pid) for time in offered(setup) for pid in time.practitioner_ids}
        probes = data.draw(
            st.lists(
                st.tuples(
                    st.integers(0, DAYS - 1), five_minutes, st.integers(0, schedule.team - 1)
                ),
                min_size=1,
                max_size=10,
            )
        )
        to_check = [
            (starts_at, pid) for starts_at, pid in sorted(listed)[: data.draw(st.integers(0, 5))]
        ]
        for offset, minutes, who in probes:
            starts_at = clinic_moment(
                setup.first_day + datetime.timedelta(days=offset), clock(minutes)
            )
            to_check.append((starts_at, setup.team[who].pk))
        for starts_at, pid in to_check:
            assert availability.is_offered(
                consultation_type=setup.consultation_type,
                practitioner_id=pid,
                starts_at=starts_at,
                now=setup.now,
            ) == ((starts_at, pid) in listed)

    in_rolled_back_transaction(check)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(schedule=schedules(), data=st.data())
def test_no_sequence_of_bookings_moves_and_cancellations_overlaps_appointments(schedule, data):
    """Each step is a client booking a time just listed as free (never refused) or any time, staff
    booking outside the hours, a move (by the client or staff) or a cancellation."""

    def check():
        setup = build(schedule)
        staff = staff_user()
        for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
            kind = data.draw(st.sampled_from(["offered", "any", "staff", "move", "cancel"]))
            times = offered(setup)
            if kind == "offered" and times:
                time = data.draw(st.sampled_from(times))
                starts_at = time.starts_at
                chosen = data.draw(st.sampled_from([None, *time.practitioner_ids]))
                practitioner = next((p for p in setup.team if p.pk == chosen), None)
            else:
                kind = "any" if kind == "offered" else kind
                offset, minutes = data.draw(st.tuples(st.integers(0, DAYS - 1), five_minutes))
                starts_at = clinic_moment(
                    setup.first_day + datetime.timedelta(days=offset), clock(minutes)
                )
                practitioner = data.draw(st.sampled_from([None, *setup.team]))
            booked = list(Appointment.objects.booked())
            try:
                if kind in ("offered", "any", "staff"):
                    appointments.book_appointment(
                        request=make_enquiry(),
                        consultation_type=setup.consultation_type,
                        starts_at=starts_at,
                        practitioner=practitioner,
                        now=setup.now,
                        by=staff if kind == "staff" else None,
                        outside_hours=kind == "staff",
                    )
                elif kind == "move" and booked:
                    appointments.reschedule_appointment(
                        appointment=data.draw(st.sampled_from(booked)),
                        starts_at=starts_at,
                        practitioner=practitioner,
                        now=setup.now,
                        by=data.draw(st.sampled_from([None, staff])),
                    )
                elif kind == "cancel" and booked:
                    appointments.cancel_appointment(
                        appointment=data.draw(st.sampled_from(booked)),
                        reason="Changed plans",
                        now=setup.now,
                        by=staff,
                    )
            except REFUSALS:
                # A time just listed as free is never refused, whatever came before.
                assert kind != "offered", (starts_at, practitioner)
            assert_no_overlaps()

    in_rolled_back_transaction(check)
