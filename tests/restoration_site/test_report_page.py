"""The business report page in the admin and its CSV of appointments: who may open them,
the filters (bad ones answered next to the field, never with an error page), the charts with
their tables, the pages named by title, and queries that do not grow with the data."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Appointment, ConsultationRequest
from restoration_site.reports import duration_label
from tests.bookings.report_data import booked, received, superuser, uk
from tests.factories import ArticleFactory, BeforeAfterCaseFactory, clinic, staff_user
from tests.html import parse

pytestmark = pytest.mark.django_db

REPORT = reverse("admin:reports")
CSV = reverse("admin:reports_appointments_csv")
MARCH = {"period": "month", "start": "2026-03-01", "end": "2026-04-30"}
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def reception(client):
    user = staff_user("restoration-u")
    client.force_login(user)
    return user


def page(client, **params):
    response = client.get(REPORT, params)
    assert response.status_code == 200
    return parse(response)


def error_next_to(document, field: str) -> str:
    errors = document.select_one(f".field-{field} .errorlist")
    return errors.get_text(" ", strip=True) if errors else ""


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


# WHO MAY OPEN IT


def test_the_report_asks_anyone_signed_out_to_sign_in(client):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_csv_asks_anyone_signed_out_to_sign_in(client):
    response = client.get(CSV)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [REPORT, CSV])
def test_staff_without_permission_to_view_enquiries_and_appointments_are_refused(client, url):
    user = staff_user("restoration-u")
    user.groups.remove(Group.objects.get(name="Reception"))
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_reception_opens_the_report_inside_the_admin(reception, client):
    document = page(client)
    assert document.h1.get_text(strip=True) == "Business report"
    assert "Restoration U staff" in document.select_one("#site-name").get_text()
    assert document.select_one(".breadcrumbs a")["href"] == reverse("admin:index")


def test_the_report_is_never_kept_by_a_browser_or_proxy(reception, client):
    assert "no-store" in client.get(REPORT)["Cache-Control"]


# THE CHARTS AND THEIR TABLES


def test_each_chart_has_a_heading_an_accessible_svg_and_a_table_of_its_figures(reception, client):
    received(uk("2026-03-09"), source="/articles/a/")
    for figure in page(client, **MARCH).select("section.report-figure"):
        svg = figure.select_one("svg[role=img]")
        title_id, desc_id = svg["aria-labelledby"].split()
        assert figure.h2.get_text(strip=True) == svg.find("title").get_text()
        assert svg.find("title")["id"] == title_id and svg.find("desc")["id"] == desc_id
        assert figure.select_one("table caption").get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in figure.select("table th"))


def test_reception_sees_the_period_type_and_page_figures_but_no_clinic_comparison(
    reception, client
):
    slugs = [s["aria-labelledby"] for s in page(client, **MARCH).select("section.report-figure")]
    assert slugs == ["per-period-heading", "by-type-heading", "by-source-heading"]


def test_the_period_table_holds_the_same_figures_as_the_chart(reception, client):
    enquiry = received(uk("2026-03-09"))
    booked(enquiry, starts_at=uk("2026-04-15"), outcome=Appointment.Outcome.ATTENDED)
    table = page(client, **MARCH).select_one("#per-period-caption").find_parent("table")
    rows = [
        [cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in table.select("tr")
    ]
    assert rows == [
        ["Month", "Enquiries", "Booked", "Attended", "No-shows"],
        ["March 2026", "1", "1", "0", "0"],
        ["April 2026", "0", "0", "1", "0"],
        ["Total", "1", "1", "1", "0"],
    ]


def test_the_weekly_report_has_a_row_for_each_week(reception, client):
    document = page(client, period="week", start="2026-03-02", end="2026-03-22")
    table = document.select_one("#per-period-caption").find_parent("table")
    assert [th.get_text(strip=True) for th in table.select("tbody th")] == [
        "Week of 2 Mar 2026",
        "Week of 9 Mar 2026",
        "Week of 16 Mar 2026",
    ]
    assert document.select_one("#per-period-heading").get_text() == (
        "Enquiries and appointments per week"
    )


def test_a_page_visitors_came_from_is_named_by_its_articles_title(reception, client):
    article = ArticleFactory(title="What is scalp micropigmentation?")
    received(uk("2026-03-09"), source=article.get_absolute_url())
    table = page(client, **MARCH).select_one("#by-source-caption").find_parent("table")
    heading = table.select_one("tbody th")
    assert "Article: What is scalp micropigmentation?" in heading.get_text()
    assert heading.select_one(".report-detail").get_text() == article.get_absolute_url()


def test_a_portfolio_case_visitors_came_from_is_named_by_its_title(reception, client):
    case = BeforeAfterCaseFactory(title="A soft hairline at 40")
    received(uk("2026-03-09"), source=case.get_absolute_url())
    table = page(client, **MARCH).select_one("#by-source-caption").find_parent("table")
    assert "Portfolio case: A soft hairline at 40" in table.select_one("tbody th").get_text()


def test_a_page_title_with_markup_is_shown_as_text(reception, client):
    article = ArticleFactory(title="<script>alert(1)</script> Aftercare")
    received(uk("2026-03-09"), source=article.get_absolute_url())
    response = client.get(REPORT, MARCH)
    assert b"<script>alert(1)</script>" not in response.content


def test_the_median_time_to_first_contact_reads_in_hours_and_minutes(reception, client):
    received(uk("2026-03-09"), contacted_after=datetime.timedelta(hours=3, minutes=20))
    figures = page(client, **MARCH).select_one(".report-key-figures").get_text(" ", strip=True)
    assert "Median time to first contact 3 h 20 min" in figures


@pytest.mark.parametrize(
    ("wait", "label"),
    [
        (None, "Not known yet"),
        (datetime.timedelta(seconds=20), "Under a minute"),
        (datetime.timedelta(minutes=45), "45 min"),
        (datetime.timedelta(hours=3, minutes=20), "3 h 20 min"),
        (datetime.timedelta(hours=3), "3 h"),
        (datetime.timedelta(days=1, minutes=5), "1 day 5 min"),
        (datetime.timedelta(days=2, hours=1, minutes=29, seconds=40), "2 days 1 h 30 min"),
    ],
)
def test_a_wait_is_written_as_staff_say_it(wait, label):
    assert duration_label(wait) == label


def test_a_superuser_sees_each_clinic_and_its_median_time_to_first_contact(client):
    client.force_login(superuser())
    received(uk("2026-03-09"), enquiry_type="laser_tattoo", contacted_after=HOUR)
    document = page(client, **MARCH)
    table = document.select_one("#first-contact-caption").find_parent("table")
    rows = [
        [cell.get_text(strip=True) for cell in tr.select("th, td")]
        for tr in table.select("tbody tr")
    ]
    assert rows == [["Laser Reverse", "1 h", "1"], ["Restoration U", "Not known yet", "0"]]
    assert document.select_one("#by-clinic-heading")


def test_the_csv_link_carries_the_reports_filters(reception, client):
    link = page(client, period="week", start="2026-03-02", end="2026-03-22", enquiry_type="new_smp")
    href = link.find("a", string="Download appointments (CSV)")["href"]
    assert href == f"{CSV}?period=week&start=2026-03-02&end=2026-03-22&enquiry_type=new_smp"


# FILTERS


def test_without_filters_the_report_shows_the_last_twelve_months(reception, client):
    document = page(client)
    assert (
        len(document.select_one("#per-period-caption").find_parent("table").select("tbody tr"))
        == 12
    )
    assert document.select_one("input[name=end]")["value"]
    assert document.select_one("input[name=period][value=month]").has_attr("checked")


def test_without_dates_the_weekly_report_shows_the_last_twelve_weeks(reception, client):
    table = page(client, period="week").select_one("#per-period-caption").find_parent("table")
    assert len(table.select("tbody tr")) == 12


def test_a_date_that_does_not_exist_is_answered_next_to_its_field(reception, client):
    document = page(client, start="2026-02-30", end="2026-04-30")
    assert "Give a real date" in error_next_to(document, "start")
    assert document.select_one(".errornote a")["href"] == "#id_start"


def test_a_date_that_does_not_exist_is_not_put_back_in_the_date_field(reception, client):
    # A date input cannot hold it: browsers would empty the field anyway.
    document = page(client, start="2026-02-30", end="2026-04-30")
    assert not document.select_one("input[name=start]").get("value")
    assert document.select_one("input[name=end]")["value"] == "2026-04-30"


def test_with_a_date_that_cannot_be_used_the_report_shows_the_default_dates(reception, client):
    document = page(client, start="not a date", end="2026-04-30")
    table = document.select_one("#per-period-caption").find_parent("table")
    assert len(table.select("tbody tr")) == 12


def test_an_end_before_the_start_is_answered_next_to_the_end(reception, client):
    document = page(client, start="2026-04-30", end="2026-03-01")
    assert "must be the same as or after the start date" in error_next_to(document, "end")


def test_dates_more_than_two_years_apart_are_answered_next_to_the_end(reception, client):
    document = page(client, start="2020-01-01", end="2026-01-01")
    assert "at most two years apart" in error_next_to(document, "end")


def test_a_start_more_than_two_years_ago_without_an_end_is_answered_next_to_the_start(
    reception, client
):
    document = page(client, start="2001-01-01")
    assert "at most two years apart" in error_next_to(document, "start")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_date_far_outside_the_calendar_is_answered_not_an_error_page(reception, client, day):
    document = page(client, start=day)
    assert "Give a date from 2000 to 2099" in error_next_to(document, "start")


def test_a_start_after_today_without_an_end_is_answered_next_to_the_start(reception, client):
    document = page(client, start="2099-01-01")
    assert "runs to today" in error_next_to(document, "start")


def test_an_unknown_period_is_answered_and_the_report_is_per_month(reception, client):
    document = page(client, period="fortnight", **{"start": "2026-03-01", "end": "2026-04-30"})
    assert "Choose month or week" in error_next_to(document, "period")
    assert document.select_one("#per-period-heading").get_text() == (
        "Enquiries and appointments per month"
    )


def test_an_unknown_enquiry_type_is_answered_and_every_type_is_shown(reception, client):
    received(uk("2026-03-09"))
    document = page(client, enquiry_type="<b>", **MARCH)
    assert "Choose an enquiry type" in error_next_to(document, "enquiry_type")
    assert "every enquiry type" in document.select_one(".report-scope").get_text()


def test_the_enquiry_type_filter_narrows_the_figures(reception, client):
    received(uk("2026-03-09"), enquiry_type="new_smp")
    received(uk("2026-03-09"), enquiry_type="smp_correction")
    document = page(client, enquiry_type="smp_correction", **MARCH)
    assert document.select_one(".report-key-figures dd").get_text() == "1"


def test_reception_is_offered_no_clinic_to_choose(reception, client):
    assert page(client).select_one("select[name=clinic]") is None


def test_laser_reverse_staff_asking_for_restoration_u_see_only_their_own(client):
    client.force_login(staff_user("laser-reverse"))
    received(uk("2026-03-09"), enquiry_type="new_smp")
    received(uk("2026-03-09"), enquiry_type="new_smp")
    received(uk("2026-03-09"), enquiry_type="laser_tattoo")
    document = page(client, clinic=clinic("restoration-u").pk, **MARCH)
    assert document.select_one(".report-key-figures dd").get_text() == "1"
    assert "Restoration U" not in document.select_one("#content-main").get_text()


def test_a_superuser_chooses_a_clinic(client):
    client.force_login(superuser())
    received(uk("2026-03-09"), enquiry_type="new_smp")
    received(uk("2026-03-09"), enquiry_type="laser_tattoo")
    document = page(client, clinic=clinic("laser-reverse").pk, **MARCH)
    assert document.select_one(".report-key-figures dd").get_text() == "1"
    assert document.select_one(".report-scope").get_text(strip=True).startswith("Laser Reverse")
    assert document.select_one("#by-clinic-heading") is None


def test_a_superuser_asking_for_a_clinic_that_does_not_exist_sees_all_of_them(client):
    client.force_login(superuser())
    document = page(client, clinic="999999", **MARCH)
    assert "Choose a clinic from the list" in error_next_to(document, "clinic")
    assert document.select_one("#by-clinic-heading")


def test_the_page_reads_as_many_queries_for_two_hundred_enquiries_as_for_ten(reception, client):
    article = ArticleFactory()
    case = BeforeAfterCaseFactory()
    sources = [article.get_absolute_url(), case.get_absolute_url(), "/team/", ""]

    def add(count: int) -> None:
        for n in range(count):
            enquiry = received(
                uk("2026-03-09") + n * datetime.timedelta(hours=7),
                source=sources[n % 4],
                contacted_after=(n % 5 + 1) * HOUR,
            )
            if n % 10 == 0:
                booked(enquiry, starts_at=uk("2026-04-01") + n * HOUR, outcome="attended")

    add(10)
    client.get(REPORT, MARCH)  # the session and the account's permissions, read once
    few = queries(client, REPORT, MARCH)
    add(190)
    assert ConsultationRequest.objects.count() == 200
    assert queries(client, REPORT, MARCH) == few


# THE CSV OF APPOINTMENTS


@pytest.fixture
def appointments(reception):
    ours = booked(
        received(uk("2026-03-02"), enquiry_type="new_smp", source="/articles/a/"),
        starts_at=uk("2026-03-30", "09:30"),
        booked_at=uk("2026-03-02", "11:05"),
        outcome=Appointment.Outcome.ATTENDED,
    )
    theirs = booked(
        received(uk("2026-03-02"), enquiry_type="laser_tattoo"), starts_at=uk("2026-03-31")
    )
    return ours, theirs


def test_the_csv_is_streamed_as_a_download_named_after_its_dates(appointments, client):
    response = client.get(CSV, MARCH)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="appointments-2026-03-01-to-2026-04-30.csv"'
    )


def test_the_csv_is_never_kept_by_a_browser_or_proxy(appointments, client):
    assert "no-store" in client.get(CSV, MARCH)["Cache-Control"]


def test_the_csv_has_a_header_row_and_a_row_for_each_appointment(appointments, client):
    ours, _ = appointments
    rows = csv_rows(client.get(CSV, MARCH))
    assert rows[0] == [
        "Reference",
        "Clinic",
        "Starts (UK time)",
        "Practitioner",
        "Consultation type",
        "Status",
        "Outcome",
        "Booked",
        "Booked at (UK time)",
        "Source",
    ]
    assert rows[1:] == [
        [
            ours.request.reference,
            "Restoration U",
            "2026-03-30 09:30",
            ours.practitioner.name,
            ours.consultation_type.name,
            "Booked",
            "Attended",
            "Online by the client",
            "2026-03-02 11:05",
            "/articles/a/",
        ]
    ]


def test_the_csv_leaves_out_the_other_clinics_appointments_even_when_asked(appointments, client):
    _, theirs = appointments
    rows = csv_rows(client.get(CSV, {**MARCH, "clinic": clinic("laser-reverse").pk}))
    assert theirs.request.reference not in {row[0] for row in rows}


def test_the_csv_honours_the_enquiry_type(appointments, client):
    rows = csv_rows(client.get(CSV, {**MARCH, "enquiry_type": "smp_correction"}))
    assert len(rows) == 1


def test_the_csv_honours_the_dates(appointments, client):
    rows = csv_rows(client.get(CSV, {"start": "2026-03-31", "end": "2026-04-30"}))
    assert len(rows) == 1


def test_a_past_appointment_without_an_outcome_reads_unresolved(reception, client):
    booked(received(uk("2026-03-02")), starts_at=uk("2026-03-10"))
    assert csv_rows(client.get(CSV, MARCH))[1][6] == "Unresolved"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(reception, client):
    appointment = booked(received(uk("2026-03-02")), starts_at=uk("2026-03-10"))
    ConsultationRequest.objects.filter(pk=appointment.request_id).update(
        source='=HYPERLINK("http://evil.example","Click")'
    )
    assert csv_rows(client.get(CSV, MARCH))[1][9].startswith("'=")


def test_a_csv_with_filters_that_cannot_be_used_falls_back_to_the_defaults(appointments, client):
    response = client.get(CSV, {"start": "2026-02-30", "period": "x", "enquiry_type": "?"})
    assert response.status_code == 200
    assert csv_rows(response)[0][0] == "Reference"


def test_the_csv_reads_as_many_queries_for_thirty_appointments_as_for_three(reception, client):
    def add(count: int) -> None:
        for n in range(count):
            booked(received(uk("2026-03-02")), starts_at=uk("2026-03-10") + n * HOUR)

    add(3)
    client.get(CSV, MARCH)  # the session and the account's permissions, read once
    few = queries(client, CSV, MARCH)
    add(27)
    assert queries(client, CSV, MARCH) == few
