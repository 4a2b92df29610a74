"""A clinic's opening hours: the union of its active practitioners' weekly hours, the one
source of the hours the site shows."""

import pytest

from bookings.models import Practitioner
from bookings.selectors import opening_hours, schedule_version
from tests.factories import PractitionerFactory, clinic, hours

pytestmark = pytest.mark.django_db


def week(slug: str = "restoration-u") -> dict[str, str]:
    return {day.name: day.hours for day in opening_hours(clinic=clinic(slug))}


def test_a_split_shift_gives_two_spans_that_day():
    amelia = PractitionerFactory()
    hours(amelia, 0, "09:00", "13:00")
    hours(amelia, 0, "14:00", "18:00")
    assert week()["Monday"] == "09:00 to 13:00, 14:00 to 18:00"


def test_overlapping_hours_of_two_practitioners_merge_into_one_span():
    hours(PractitionerFactory(), 1, "09:00", "13:00")
    hours(PractitionerFactory(), 1, "12:00", "20:00")
    assert week()["Tuesday"] == "09:00 to 20:00"


def test_one_practitioners_hours_fill_anothers_break():
    amelia = PractitionerFactory()
    hours(amelia, 2, "09:00", "13:00")
    hours(amelia, 2, "14:00", "18:00")
    hours(PractitionerFactory(), 2, "12:30", "14:30")
    assert week()["Wednesday"] == "09:00 to 18:00"


def test_spans_that_touch_merge():
    hours(PractitionerFactory(), 3, "09:00", "13:00")
    hours(PractitionerFactory(), 3, "13:00", "17:00")
    assert week()["Thursday"] == "09:00 to 17:00"


def test_a_day_nobody_works_is_closed():
    hours(PractitionerFactory(), 0, "09:00", "17:00")
    assert week()["Sunday"] == "Closed"


def test_the_week_runs_monday_to_sunday():
    assert list(week()) == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_an_inactive_practitioners_hours_do_not_open_the_clinic():
    hours(PractitionerFactory(active=False), 4, "09:00", "17:00")
    assert week()["Friday"] == "Closed"


def test_another_clinics_hours_do_not_open_this_clinic():
    hours(PractitionerFactory(clinic=clinic("laser-reverse")), 5, "10:00", "16:00")
    assert week("restoration-u")["Saturday"] == "Closed"
    assert week("laser-reverse")["Saturday"] == "10:00 to 16:00"


def test_the_schedule_version_changes_when_hours_are_edited():
    span = hours(PractitionerFactory(), 0, "09:00", "13:00")
    before = schedule_version()
    span.ends = span.ends.replace(hour=14)
    span.save()
    assert schedule_version() != before


def test_the_schedule_version_changes_when_hours_are_removed():
    practitioner = PractitionerFactory()
    hours(practitioner, 0, "09:00", "13:00")
    hours(practitioner, 1, "09:00", "13:00").delete()
    before = schedule_version()
    practitioner.working_hours.filter(weekday=0).delete()
    assert schedule_version() != before


def test_the_schedule_version_changes_when_a_practitioner_is_edited():
    practitioner = PractitionerFactory()
    before = schedule_version()
    Practitioner.objects.get(pk=practitioner.pk).save()
    assert schedule_version() != before


def test_the_schedule_version_changes_when_a_clinics_details_are_edited():
    before = schedule_version()
    home = clinic()
    home.phone = "+44 20 7946 0999"
    home.save()
    assert schedule_version() != before


def test_the_schedule_version_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        schedule_version()
