"""The business report's figures: periods of the clinic's calendar across clock changes,
what each figure counts, conversion by type and by page, the median time to first contact,
and each clinic's staff seeing only their own."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bookings import reports
from bookings.models import Appointment
from tests.bookings.report_data import booked, received, superuser, uk
from tests.factories import clinic, make_enquiry, staff_user

pytestmark = pytest.mark.django_db

MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)
HOUR = datetime.timedelta(hours=1)


def report(user, *, start=MARCH, end=APRIL, period=reports.MONTH, **filters) -> reports.Report:
    return reports.business_report(user=user, start=start, end=end, period=period, **filters)


def weeks(user, start: str, end: str) -> reports.Report:
    return report(
        user,
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
        period=reports.WEEK,
    )


def enquiries_by_period(figures: reports.Report) -> dict[str, int]:
    return {str(p.starts): p.enquiries for p in figures.periods}


@pytest.fixture
def reception():
    return staff_user("restoration-u")


@pytest.fixture
def laser_reception():
    return staff_user("laser-reverse")


# PERIODS OF THE CLINIC'S CALENDAR


def test_weeks_start_on_mondays_from_the_week_holding_the_first_day():
    starts = reports.period_starts(
        start=datetime.date(2026, 3, 4), end=datetime.date(2026, 3, 16), period=reports.WEEK
    )
    assert starts == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 16),
    ]


def test_months_start_on_the_first_from_the_month_holding_the_first_day():
    starts = reports.period_starts(
        start=datetime.date(2025, 11, 20), end=datetime.date(2026, 1, 1), period=reports.MONTH
    )
    assert starts == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    ]


def test_an_enquiry_half_an_hour_into_the_monday_after_the_clocks_go_forward_is_in_that_week(
    reception,
):
    received(uk("2026-03-30", "00:30"))  # 23:30 on Sunday in UTC
    assert enquiries_by_period(weeks(reception, "2026-03-23", "2026-04-05")) == {
        "2026-03-23": 0,
        "2026-03-30": 1,
    }


def test_an_enquiry_late_on_the_sunday_the_clocks_go_forward_is_in_the_week_before(reception):
    received(uk("2026-03-29", "23:30"))
    assert enquiries_by_period(weeks(reception, "2026-03-23", "2026-04-05")) == {
        "2026-03-23": 1,
        "2026-03-30": 0,
    }


def test_an_enquiry_in_the_hour_the_clocks_go_back_is_in_the_week_of_that_sunday(reception):
    received(uk("2026-10-25", "01:30"))  # the hour that happens twice
    received(uk("2026-10-26", "00:15"))
    assert enquiries_by_period(weeks(reception, "2026-10-19", "2026-11-01")) == {
        "2026-10-19": 1,
        "2026-10-26": 1,
    }


def test_an_enquiry_just_after_midnight_on_the_first_of_a_summer_month_is_in_that_month(
    reception,
):
    received(uk("2026-04-01", "00:30"))  # 23:30 on 31 March in UTC
    assert enquiries_by_period(report(reception)) == {"2026-03-01": 0, "2026-04-01": 1}


def test_an_enquiry_just_before_midnight_at_the_end_of_a_month_is_in_that_month(reception):
    received(uk("2026-03-31", "23:59"))
    assert enquiries_by_period(report(reception)) == {"2026-03-01": 1, "2026-04-01": 0}


def test_the_first_and_last_days_are_included_and_the_days_around_them_are_not(reception):
    received(uk("2026-02-28", "23:59"))
    received(uk("2026-03-01", "00:00"))
    received(uk("2026-04-30", "23:59"))
    received(uk("2026-05-01", "00:00"))
    assert report(reception).totals.enquiries == 2


def test_a_report_from_mid_month_counts_only_its_own_dates(reception):
    received(uk("2026-03-10"))
    received(uk("2026-03-20"))
    figures = report(reception, start=datetime.date(2026, 3, 15), end=datetime.date(2026, 3, 31))
    assert enquiries_by_period(figures) == {"2026-03-01": 1}


def test_periods_are_labelled_as_staff_read_them(reception):
    labels = [p.label for p in weeks(reception, "2026-01-05", "2026-01-12").periods]
    assert labels == ["Week of 5 Jan 2026", "Week of 12 Jan 2026"]


# WHAT EACH FIGURE COUNTS


def test_spam_is_not_counted_as_an_enquiry(reception):
    received(uk("2026-03-10"))
    received(uk("2026-03-10"), is_spam=True)
    assert report(reception).totals.enquiries == 1


def test_an_appointment_counts_as_booked_in_the_month_it_was_made(reception):
    enquiry = received(uk("2026-03-09"))
    booked(enquiry, starts_at=uk("2026-04-15"), booked_at=uk("2026-03-10"))
    assert [p.booked for p in report(reception).periods] == [1, 0]


def test_a_cancelled_appointment_still_counts_as_booked_when_it_was_made(reception):
    enquiry = received(uk("2026-03-09"))
    booked(enquiry, starts_at=uk("2026-04-15"), status=Appointment.Status.CANCELLED)
    assert report(reception).totals.booked == 1


def test_attended_counts_in_the_month_of_the_appointment(reception):
    enquiry = received(uk("2026-03-09"))
    booked(enquiry, starts_at=uk("2026-04-15"), outcome=Appointment.Outcome.ATTENDED)
    assert [p.attended for p in report(reception).periods] == [0, 1]


def test_a_no_show_counts_in_the_week_of_the_appointment(reception):
    enquiry = received(uk("2026-03-09"))
    booked(enquiry, starts_at=uk("2026-03-30", "00:30"), outcome=Appointment.Outcome.NO_SHOW)
    figures = weeks(reception, "2026-03-23", "2026-04-05")
    assert [p.no_shows for p in figures.periods] == [0, 1]


def test_unresolved_and_late_cancelled_appointments_are_neither_attended_nor_no_shows(reception):
    booked(received(uk("2026-03-09")), starts_at=uk("2026-04-15"))
    booked(
        received(uk("2026-03-09")),
        starts_at=uk("2026-04-16"),
        outcome=Appointment.Outcome.LATE_CANCELLATION,
    )
    totals = report(reception).totals
    assert (totals.attended, totals.no_shows) == (0, 0)


def test_an_appointment_outside_the_dates_is_not_attended_in_them(reception):
    booked(
        received(uk("2026-03-09")),
        starts_at=uk("2026-05-01", "09:00"),
        outcome=Appointment.Outcome.ATTENDED,
    )
    assert report(reception).totals.attended == 0


def test_enquiries_still_new_and_never_contacted_are_counted_as_waiting(reception):
    received(uk("2026-03-09"))
    received(uk("2026-03-09"), contacted_after=HOUR)
    assert report(reception).awaiting_first_contact == 1


# BY ENQUIRY TYPE AND BY PAGE


def test_by_type_counts_enquiries_and_those_that_went_on_to_book(reception):
    booked(received(uk("2026-03-09"), enquiry_type="new_smp"), starts_at=uk("2026-03-20"))
    received(uk("2026-03-09"), enquiry_type="new_smp")
    received(uk("2026-03-09"), enquiry_type="smp_correction")
    by_type = {row.key: row for row in report(reception).by_type}
    assert (by_type["new_smp"].enquiries, by_type["new_smp"].went_on_to_book) == (2, 1)
    assert by_type["new_smp"].rate == 0.5
    assert by_type["smp_correction"].rate == 0


def test_by_type_leaves_out_types_with_no_enquiries(reception):
    received(uk("2026-03-09"), enquiry_type="new_smp")
    assert [row.key for row in report(reception).by_type] == ["new_smp"]


def test_the_conversion_from_an_article_to_an_appointment_is_counted_per_page(reception):
    article = "/articles/what-is-scalp-micropigmentation/"
    booked(received(uk("2026-03-09"), source=article), starts_at=uk("2026-03-20"))
    received(uk("2026-03-10"), source=article)
    received(uk("2026-03-10"), source=article)
    received(uk("2026-03-10"), source="/portfolio/a-natural-hairline/")
    by_source = {row.key: row for row in report(reception).by_source}
    assert (by_source[article].enquiries, by_source[article].went_on_to_book) == (3, 1)
    assert by_source["/portfolio/a-natural-hairline/"].went_on_to_book == 0


def test_a_page_is_counted_once_whatever_query_string_it_carried(reception):
    received(uk("2026-03-09"), source="/articles/a/")
    received(uk("2026-03-09"), source="/articles/a/?utm_source=newsletter")
    assert [(row.key, row.enquiries) for row in report(reception).by_source] == [
        ("/articles/a/", 2)
    ]


def test_pages_with_the_most_enquiries_come_first(reception):
    received(uk("2026-03-09"), source="/articles/b/")
    received(uk("2026-03-09"), source="/articles/a/")
    received(uk("2026-03-09"), source="/articles/a/")
    assert [row.key for row in report(reception).by_source] == ["/articles/a/", "/articles/b/"]


def test_enquiries_without_a_page_and_bookings_by_phone_have_rows_of_their_own(reception):
    received(uk("2026-03-09"), source="")
    received(uk("2026-03-09"), source="Booked by phone by Sam Reception")
    labels = {row.key: row.label for row in report(reception).by_source}
    assert labels == {
        reports.NO_PAGE: "No page recorded",
        reports.BY_PHONE: "Booked by staff on the phone",
    }


def test_pages_beyond_the_ones_shown_are_added_up_in_one_row(reception, monkeypatch):
    monkeypatch.setattr(reports, "SOURCES_SHOWN", 1)
    for page in ("/articles/a/", "/articles/a/", "/articles/b/", "/articles/c/"):
        received(uk("2026-03-09"), source=page)
    rows = report(reception).by_source
    assert [(row.key, row.label, row.enquiries) for row in rows] == [
        ("/articles/a/", "/articles/a/", 2),
        (reports.OTHER_PAGES, "All other pages (2)", 2),
    ]


def test_the_enquiry_type_filter_narrows_every_figure(reception):
    booked(
        received(uk("2026-03-09"), enquiry_type="new_smp"),
        starts_at=uk("2026-03-20"),
        outcome=Appointment.Outcome.ATTENDED,
    )
    booked(
        received(uk("2026-03-09"), enquiry_type="smp_correction"),
        starts_at=uk("2026-03-20", "11:00"),
        outcome=Appointment.Outcome.ATTENDED,
    )
    totals = report(reception, enquiry_type="smp_correction").totals
    assert (totals.enquiries, totals.booked, totals.attended) == (1, 1, 1)


# THE MEDIAN TIME TO FIRST CONTACT


def test_the_median_of_an_odd_number_of_waits_is_the_middle_one(reception):
    for hours in (1, 2, 5):
        received(uk("2026-03-09"), contacted_after=hours * HOUR)
    first_contact = report(reception).first_contact
    assert first_contact.median == 2 * HOUR
    assert first_contact.contacted == 3


def test_the_median_of_an_even_number_of_waits_is_halfway_between_the_middle_two(reception):
    for hours in (1, 2, 4, 30):
        received(uk("2026-03-09"), contacted_after=hours * HOUR)
    assert report(reception).first_contact.median == 3 * HOUR


def test_a_wait_of_three_hours_twenty_is_read_to_the_minute(reception):
    received(uk("2026-03-09", "09:13"), contacted_after=datetime.timedelta(hours=3, minutes=20))
    assert report(reception).first_contact.median == datetime.timedelta(hours=3, minutes=20)


def test_a_wait_across_the_clock_change_is_the_time_that_really_passed(reception):
    # 00:30 GMT to 03:30 BST on 29 March 2026 is two hours, not three.
    received(uk("2026-03-29", "00:30"), contacted_after=2 * HOUR)
    assert report(reception).first_contact.median == 2 * HOUR


def test_without_any_first_contact_there_is_no_median(reception):
    received(uk("2026-03-09"))
    first_contact = report(reception).first_contact
    assert (first_contact.median, first_contact.contacted) == (None, 0)


def test_an_enquiry_staff_made_during_a_phone_call_is_not_a_wait(reception):
    received(uk("2026-03-09"), contacted_after=datetime.timedelta(0))
    received(uk("2026-03-09"), contacted_after=datetime.timedelta(seconds=-1))
    received(uk("2026-03-09"), contacted_after=4 * HOUR)
    first_contact = report(reception).first_contact
    assert (first_contact.median, first_contact.contacted) == (4 * HOUR, 1)


def test_spam_is_not_in_the_median(reception):
    received(uk("2026-03-09"), contacted_after=HOUR)
    received(uk("2026-03-09"), contacted_after=50 * HOUR, is_spam=True)
    assert report(reception).first_contact.median == HOUR


# WHO SEES WHAT


def test_laser_reverse_staff_see_only_their_clinics_figures(laser_reception):
    received(uk("2026-03-09"), enquiry_type="laser_tattoo", contacted_after=HOUR)
    received(uk("2026-03-09"), enquiry_type="new_smp", contacted_after=9 * HOUR)
    figures = report(laser_reception)
    assert figures.totals.enquiries == 1
    assert figures.first_contact.median == HOUR
    assert [row.key for row in figures.by_type] == ["laser_tattoo"]


def test_laser_reverse_staff_asking_for_restoration_u_still_see_only_their_own(laser_reception):
    received(uk("2026-03-09"), enquiry_type="laser_tattoo")
    ours = received(uk("2026-03-09"), enquiry_type="new_smp")
    booked(ours, starts_at=uk("2026-03-20"), outcome=Appointment.Outcome.ATTENDED)
    figures = report(laser_reception, clinic_id=clinic("restoration-u").pk)
    assert (figures.totals.enquiries, figures.totals.booked, figures.totals.attended) == (1, 0, 0)
    assert figures.by_clinic == []
    assert figures.clinic_id is None


def test_restoration_u_staff_see_none_of_laser_reverses_appointments(reception):
    theirs = received(uk("2026-03-09"), enquiry_type="laser_tattoo")
    booked(theirs, starts_at=uk("2026-03-20"), outcome=Appointment.Outcome.NO_SHOW)
    totals = report(reception).totals
    assert (totals.enquiries, totals.booked, totals.no_shows) == (0, 0, 0)


def test_staff_without_permission_to_view_enquiries_see_no_figures():
    received(uk("2026-03-09"))
    user = staff_user("restoration-u")
    user.groups.remove(Group.objects.get(name="Reception"))
    assert report(user).totals.enquiries == 0


def test_a_superuser_sees_every_clinic_with_a_row_for_each():
    received(uk("2026-03-09"), enquiry_type="laser_tattoo", contacted_after=HOUR)
    received(uk("2026-03-09"), enquiry_type="new_smp", contacted_after=3 * HOUR)
    received(uk("2026-03-09"), enquiry_type="new_smp", contacted_after=5 * HOUR)
    figures = report(superuser())
    clinics = {row.name: row for row in figures.by_clinic}
    assert figures.totals.enquiries == 3
    assert (clinics["Laser Reverse"].enquiries, clinics["Restoration U"].enquiries) == (1, 2)
    assert clinics["Restoration U"].first_contact.median == 4 * HOUR
    assert clinics["Laser Reverse"].first_contact.median == HOUR
    assert figures.first_contact.median == 3 * HOUR


def test_a_superuser_can_choose_one_clinic():
    received(uk("2026-03-09"), enquiry_type="laser_tattoo")
    booked(received(uk("2026-03-09"), enquiry_type="new_smp"), starts_at=uk("2026-03-20"))
    figures = report(superuser(), clinic_id=clinic("restoration-u").pk)
    assert (figures.totals.enquiries, figures.totals.booked) == (1, 1)
    assert figures.by_clinic == []


def test_the_report_reads_a_constant_handful_of_queries(reception, django_assert_num_queries):
    for day in range(1, 8):
        enquiry = received(uk(f"2026-03-0{day}"), contacted_after=day * HOUR)
        booked(enquiry, starts_at=uk(f"2026-04-0{day}"), outcome=Appointment.Outcome.ATTENDED)
    report(reception)  # the account's permissions and clinic, read once per request
    with django_assert_num_queries(5):
        report(reception)


# THE APPOINTMENTS OF THE CSV


def test_the_csv_lists_appointments_by_their_own_date_in_time_order(reception):
    later = booked(received(uk("2026-02-01")), starts_at=uk("2026-03-20"))
    sooner = booked(received(uk("2026-02-01")), starts_at=uk("2026-03-10"))
    booked(received(uk("2026-03-02")), starts_at=uk("2026-05-01", "09:00"))
    listed = reports.report_appointments(user=reception, start=MARCH, end=APRIL)
    assert list(listed) == [sooner, later]


def test_the_csv_lists_only_the_staff_members_clinics_appointments(laser_reception):
    booked(received(uk("2026-03-02"), enquiry_type="new_smp"), starts_at=uk("2026-03-10"))
    theirs = booked(
        received(uk("2026-03-02"), enquiry_type="laser_tattoo"), starts_at=uk("2026-03-11")
    )
    listed = reports.report_appointments(
        user=laser_reception, start=MARCH, end=APRIL, clinic_id=clinic("restoration-u").pk
    )
    assert list(listed) == [theirs]


def test_an_enquiry_made_just_now_is_counted_today(reception):
    make_enquiry()
    today = timezone.localdate()
    assert report(reception, start=today, end=today).totals.enquiries == 1
