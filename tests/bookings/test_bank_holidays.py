"""`load_bank_holidays`: every clinic closed on England and Wales's bank holidays, loaded
again without changing anything, never over a closure staff made."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bookings.models import ClinicClosure
from tests.factories import ClinicClosureFactory, clinic

pytestmark = pytest.mark.django_db
CHRISTMAS_2027 = datetime.date(2027, 12, 25)


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_bank_holidays", *args, stdout=out)
    return out.getvalue()


def closed(day: datetime.date) -> dict[str, tuple[str, str]]:
    return {
        closure.clinic.slug: (closure.name, closure.source)
        for closure in ClinicClosure.objects.filter(date=day).select_related("clinic")
    }


def test_every_clinic_is_closed_on_each_bank_holiday_of_the_years_given():
    load("--years", "2027")
    assert closed(CHRISTMAS_2027) == {
        "restoration-u": ("Christmas Day", "bank_holiday"),
        "laser-reverse": ("Christmas Day", "bank_holiday"),
    }


def test_substitute_days_are_closed_too():
    load("--years", "2027")  # Christmas Day and Boxing Day 2027 fall on a weekend
    assert closed(datetime.date(2027, 12, 28))["restoration-u"][0] == "Boxing Day (observed)"


def test_only_england_and_wales_bank_holidays_are_loaded():
    load("--years", "2027")
    assert closed(datetime.date(2027, 11, 30)) == {}  # St Andrew's Day, Scotland only
    assert closed(datetime.date(2027, 7, 12)) == {}  # Battle of the Boyne, Northern Ireland


def test_by_default_this_year_and_next_are_loaded():
    this_year = timezone.localdate().year
    load()
    for year in (this_year, this_year + 1):
        assert set(closed(datetime.date(year, 1, 1))) == {"restoration-u", "laser-reverse"}


def test_next_year_alone_is_what_the_yearly_timer_loads():
    this_year = timezone.localdate().year
    load("--next-year")
    assert closed(datetime.date(this_year, 1, 1)) == {}
    assert closed(datetime.date(this_year + 1, 1, 1))


def test_a_second_run_adds_nothing():
    load("--years", "2027")
    count = ClinicClosure.objects.count()
    output = load("--years", "2027")
    assert ClinicClosure.objects.count() == count
    assert "0 closure(s) added" in output


def test_a_date_staff_already_closed_is_left_as_staff_made_it():
    ClinicClosureFactory(clinic=clinic("restoration-u"), date=CHRISTMAS_2027, name="Our party")
    load("--years", "2027")
    assert closed(CHRISTMAS_2027)["restoration-u"] == ("Our party", "staff")


def test_the_command_prints_each_closure_it_added():
    output = load("--years", "2027")
    assert "added Restoration U: Christmas Day, Saturday 25 December 2027" in output
    assert "Bank holidays for 2027: 20 closure(s) added" in output


def test_a_year_out_of_range_is_refused():
    with pytest.raises(CommandError, match="between 2000 and 2100"):
        load("--years", "27")
