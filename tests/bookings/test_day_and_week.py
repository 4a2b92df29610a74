"""The day sheet and the week grid: each practitioner's appointments in time order, what
reception needs at a glance, the buttons that record outcomes, and the week as a table to
read or print, right across a clock change and each clinic's own."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Notification
from bookings.services import appointments, outcomes
from restoration_site.common.clinic_clock import clinic_moment
from tests.bookings.reception_days import (
    NOW,
    TODAY,
    appointment_at,
    at,
    clock_fixture,  # noqa: F401
    consultation,
    day_url,
    outcome_url,
    practitioner,
    week_url,
)
from tests.factories import (
    AppointmentNotificationFactory,
    ClinicClosureFactory,
    staff_user,
)
from tests.html import parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db

DAY = reverse("admin:bookings_appointment_day")
WEEK = reverse("admin:bookings_appointment_week")
TOMORROW = TODAY + datetime.timedelta(days=1)
MONDAY = datetime.date(2027, 1, 11)  # the week of NOW


@pytest.fixture
def reception(client, clock):
    user = staff_user("restoration-u")
    client.force_login(user)
    return user


@pytest.fixture
def amelia():
    return practitioner("Amelia Hart", 1)


@pytest.fixture
def tom():
    return practitioner("Tom Reed", 2)


@pytest.fixture
def smp():
    return consultation(name="Free SMP consultation")


def sections(page) -> dict[str, list[list[str]]]:
    """Each practitioner's heading and their table's rows, cell by cell."""
    return {
        section.h3.get_text(strip=True): [
            [cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in section.select("tbody tr")
        ]
        for section in page.select("section.reception-practitioner")
    }


def row_of(page, name: str):
    link = page.find("a", string=name)
    return link.find_parent("tr")


# THE DAY SHEET


def test_the_day_sheet_lists_each_practitioner_in_team_order_with_times_in_order(
    client, reception, amelia, tom, smp
):
    appointment_at(at(TODAY, "14:00"), practitioner=tom, consultation_type=smp, full_name="C Late")
    appointment_at(at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp, full_name="B")
    appointment_at(at(TODAY, "09:30"), practitioner=amelia, consultation_type=smp, full_name="A")
    appointment_at(at(TODAY, "09:00"), practitioner=tom, consultation_type=smp, full_name="C Early")
    page = parse(client.get(DAY))
    listed = sections(page)
    assert list(listed) == ["Amelia Hart", "Tom Reed"]
    assert [row[:2] for row in listed["Amelia Hart"]] == [
        ["09:30 to 10:00", "A"],
        ["11:00 to 11:30", "B"],
    ]
    assert [row[:2] for row in listed["Tom Reed"]] == [
        ["09:00 to 09:30", "C Early"],
        ["14:00 to 14:30", "C Late"],
    ]


def test_the_day_sheet_opens_on_today_and_says_which_day(client, reception):
    page = parse(client.get(DAY))
    assert page.h1.get_text(strip=True) == "Appointments on Wednesday 13 January 2027"


def test_a_practitioner_with_no_appointments_says_so(client, reception, amelia):
    page = parse(client.get(DAY))
    section = page.select_one("section.reception-practitioner")
    assert "No appointments." in section.get_text()


def test_the_client_links_to_the_enquiry_and_the_phone_dials(client, reception, amelia, smp):
    appointment = appointment_at(
        at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp, full_name="Jamie Example"
    )
    row = row_of(parse(client.get(DAY)), "Jamie Example")
    enquiry = reverse("admin:bookings_consultationrequest_change", args=[appointment.request_id])
    assert row.find("a", string="Jamie Example")["href"] == enquiry
    assert row.find("a", href="tel:+447911123456").get_text() == "+447911123456"
    assert "Free SMP consultation" in row.get_text()


def test_the_sheet_says_whether_the_reminder_went(client, reception, amelia, smp):
    reminded = appointment_at(
        at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp, full_name="Reminded"
    )
    AppointmentNotificationFactory(
        appointment=reminded, kind=Notification.Kind.REMINDER, status=Notification.Status.SENT
    )
    waiting = appointment_at(
        at(TODAY, "12:00"), practitioner=amelia, consultation_type=smp, full_name="Not Yet"
    )
    AppointmentNotificationFactory(appointment=waiting, kind=Notification.Kind.REMINDER)
    listed = sections(parse(client.get(DAY)))["Amelia Hart"]
    assert [(row[1], row[4]) for row in listed] == [("Reminded", "Yes"), ("Not Yet", "No")]


def test_a_reminder_for_a_time_since_moved_does_not_count(client, reception, amelia, smp):
    moved = appointment_at(at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp)
    AppointmentNotificationFactory(
        appointment=moved, kind=Notification.Kind.REMINDER, status=Notification.Status.SENT
    )
    type(moved).objects.filter(pk=moved.pk).update(sequence=1)
    assert sections(parse(client.get(DAY)))["Amelia Hart"][0][4] == "No"


def test_the_sheet_says_whether_the_client_sent_photos(client, reception, amelia, smp):
    appointment_at(
        at(TODAY, "11:00"),
        practitioner=amelia,
        consultation_type=smp,
        full_name="With Photos",
        photos=[photo_with_exif()],
    )
    appointment_at(at(TODAY, "12:00"), practitioner=amelia, consultation_type=smp, full_name="None")
    listed = sections(parse(client.get(DAY)))["Amelia Hart"]
    assert [(row[1], row[5]) for row in listed] == [("With Photos", "Yes"), ("None", "No")]


def test_a_cancelled_appointment_is_struck_through_and_labelled(client, reception, amelia, smp):
    gone = appointment_at(
        at(TOMORROW, "11:00"), practitioner=amelia, consultation_type=smp, full_name="Gone"
    )
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=reception, now=NOW)
    row = row_of(parse(client.get(day_url(TOMORROW))), "Gone")
    assert "cancelled" in row["class"]
    assert row.find("del").get_text() == "11:00 to 11:30"
    assert "Cancelled" in row.get_text()


def test_an_appointment_that_has_started_offers_attended_and_no_show(
    client, reception, amelia, smp
):
    appointment = appointment_at(
        at(TODAY, "09:00"), practitioner=amelia, consultation_type=smp, full_name="Seen"
    )
    row = row_of(parse(client.get(DAY)), "Seen")
    form = row.find("form")
    assert form["action"] == outcome_url(appointment)
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert form.find("input", attrs={"name": "next"})["value"] == DAY
    assert [b["value"] for b in form.select("button")] == ["attended", "no_show"]
    assert "Unresolved" in row.get_text()


def test_a_recorded_outcome_shows_with_a_way_to_change_it(client, reception, amelia, smp):
    appointment = appointment_at(
        at(TODAY, "09:00"), practitioner=amelia, consultation_type=smp, full_name="Seen"
    )
    outcomes.set_outcome(appointment=appointment, outcome="attended", by=reception, now=NOW)
    row = row_of(parse(client.get(DAY)), "Seen")
    assert sections(parse(client.get(DAY)))["Amelia Hart"][0][6].startswith("Attended")
    buttons = row.select("form button")
    assert [(b["value"], b.contents[0].strip()) for b in buttons] == [
        ("no_show", "Change to No-show")
    ]


def test_an_upcoming_appointment_inside_the_cut_off_offers_a_late_cancellation(
    client, reception, amelia, smp
):
    appointment_at(at(TODAY, "15:00"), practitioner=amelia, consultation_type=smp, full_name="Soon")
    row = row_of(parse(client.get(DAY)), "Soon")
    assert [b["value"] for b in row.select("form button")] == ["late_cancel"]


def test_an_appointment_days_away_offers_no_buttons(client, reception, amelia, smp):
    later = TODAY + datetime.timedelta(days=5)
    appointment_at(at(later, "15:00"), practitioner=amelia, consultation_type=smp, full_name="Far")
    row = row_of(parse(client.get(day_url(later))), "Far")
    assert row.select("button") == []


def test_the_sheet_links_to_the_day_before_and_after_today_and_the_week(client, reception):
    page = parse(client.get(day_url(MONDAY)))
    nav = page.select_one("nav.reception-nav")
    links = {a.contents[0].strip(): a["href"] for a in nav.select("a")}
    assert links == {
        "Previous day": day_url(MONDAY - datetime.timedelta(days=1)),
        "Today": DAY,
        "Next day": day_url(MONDAY + datetime.timedelta(days=1)),
        "The week": week_url(MONDAY),
    }


def test_the_date_picker_is_a_plain_form_that_opens_the_day(client, reception):
    form = parse(client.get(DAY)).select_one("form.reception-picker")
    assert (form["method"], form["action"]) == ("get", DAY)
    assert form.find("label", string="Go to a day")["for"] == form.find("input")["id"]
    response = client.get(DAY, {"day": "25/12/2026"})
    assert response["Location"] == day_url(datetime.date(2026, 12, 25))


@pytest.mark.parametrize("typed", ["", "31/02/2027", "tomorrow", "0001-01-01", "99999-01-01"])
def test_a_date_that_is_no_day_is_a_message_beside_the_field(client, reception, typed):
    response = client.get(DAY, {"day": typed})
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("form.reception-picker .errorlist")
    assert page.select_one("#id_day")["aria-invalid"] == "true"


@pytest.mark.parametrize("day", ["2027-02-30", "1999-12-31", "3000-01-01", "2027-13-01"])
def test_an_address_of_no_day_is_a_404(client, reception, day):
    assert client.get(f"{DAY}{day}/").status_code == 404
    assert client.get(f"{WEEK}{day}/").status_code == 404


def test_another_clinics_appointments_are_not_on_the_sheet(client, reception, amelia, smp):
    appointment_at(at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp, full_name="Ours")
    laser = practitioner("Lara Quinn", 1, "laser-reverse")
    appointment_at(
        at(TODAY, "11:00"),
        practitioner=laser,
        consultation_type=consultation("laser-reverse"),
        clinic_slug="laser-reverse",
        full_name="Theirs",
    )
    text = parse(client.get(DAY)).select_one("#content-main").get_text()
    assert "Ours" in text
    assert "Theirs" not in text and "Lara Quinn" not in text and "Laser Reverse" not in text


def test_a_superuser_sees_each_clinic_under_its_own_heading(client, clock):
    client.force_login(get_user_model().objects.create_superuser("owner", "o@staff.example", "x"))
    page = parse(client.get(DAY))
    assert [h2.get_text() for h2 in page.select("section.reception-clinic > h2")] == [
        "Laser Reverse",
        "Restoration U",
    ]


def test_a_closed_day_says_so(client, reception):
    ClinicClosureFactory(date=TODAY, name="Staff training")
    page = parse(client.get(DAY))
    assert page.select_one(".reception-closed").get_text() == "Closed: Staff training"


def test_an_account_without_the_view_permission_cannot_open_the_sheet(client, clock):
    user = staff_user("restoration-u", username="no-appointments")
    user.groups.clear()
    client.force_login(user)
    assert client.get(DAY).status_code == 403
    assert client.get(WEEK).status_code == 403


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_day_sheet_runs_as_many_queries_for_thirty_appointments_as_for_one(
    client, reception, amelia, tom, smp
):
    def book(n: int) -> None:
        moment = clinic_moment(TODAY, datetime.time(8)) + datetime.timedelta(minutes=20 * n)
        appointment = appointment_at(
            moment,
            practitioner=(amelia, tom)[n % 2],
            consultation_type=smp,
            photos=[photo_with_exif()] if n % 3 == 0 else [],
        )
        AppointmentNotificationFactory(appointment=appointment, kind=Notification.Kind.REMINDER)

    book(0)
    with_one = queries_for(client, DAY)
    for n in range(1, 30):
        book(n)
    assert queries_for(client, DAY) == with_one


# THE WEEK GRID


def grid(page, clinic_name: str = "Restoration U"):
    caption = page.find("caption", string=lambda text: text and text.startswith(clinic_name))
    return caption.find_parent("table")


def test_the_week_grid_is_a_table_of_days_across_and_practitioners_down(
    client, reception, amelia, tom
):
    table = grid(parse(client.get(week_url(TODAY))))
    assert table.caption.get_text() == "Restoration U, week of Monday 11 January 2027"
    columns = table.select("thead th[scope=col]")
    assert [th.get_text(" ", strip=True) for th in columns] == [
        "Practitioner",
        "Mon 11 Jan 2027",
        "Tue 12 Jan 2027",
        "Wed 13 Jan 2027",
        "Thu 14 Jan 2027",
        "Fri 15 Jan 2027",
        "Sat 16 Jan 2027",
        "Sun 17 Jan 2027",
    ]
    assert [th.get_text() for th in table.select("tbody th[scope=row]")] == [
        "Amelia Hart",
        "Tom Reed",
    ]


def test_each_day_of_the_week_links_to_its_sheet(client, reception):
    table = grid(parse(client.get(WEEK)))
    links = [th.a["href"] for th in table.select("thead th[scope=col]")[1:]]
    assert links == [day_url(MONDAY + datetime.timedelta(days=n)) for n in range(7)]


def test_any_day_opens_the_week_from_its_monday(client, reception):
    page = parse(client.get(week_url(datetime.date(2027, 1, 17))))
    assert page.h1.get_text() == "Week of Monday 11 January 2027"


def test_each_cell_lists_the_practitioners_appointments_that_day(client, reception, amelia, tom):
    smp = consultation(name="SMP consult")
    appointment_at(
        at(TODAY, "14:00"), practitioner=amelia, consultation_type=smp, full_name="Jo Late"
    )
    appointment_at(
        at(TODAY, "09:15"), practitioner=amelia, consultation_type=smp, full_name="Al Early"
    )
    gone = appointment_at(
        at(TOMORROW, "10:00"), practitioner=tom, consultation_type=smp, full_name="Max Gone"
    )
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=reception, now=NOW)
    table = grid(parse(client.get(WEEK)))
    amelia_row, tom_row = table.select("tbody tr")
    cells = amelia_row.select("td")
    assert [li.get_text(" ", strip=True) for li in cells[2].select("li")] == [
        "09:15 Early SMP consult",
        "14:00 Late SMP consult",
    ]
    assert all(not cell.select("li") for n, cell in enumerate(cells) if n != 2)
    cancelled = tom_row.select("td")[3].li
    assert "cancelled" in cancelled["class"]
    assert cancelled.find("del").get_text(" ", strip=True) == "10:00 Gone"
    assert "(cancelled)" in cancelled.get_text()


def test_a_closure_shows_in_its_days_heading(client, reception, amelia):
    ClinicClosureFactory(date=datetime.date(2026, 12, 25), name="Christmas Day")
    table = grid(parse(client.get(week_url(datetime.date(2026, 12, 25)))))
    friday = table.select("thead th[scope=col]")[5]
    assert friday.select_one(".reception-closed").get_text() == "Closed: Christmas Day"


def test_the_week_links_to_the_weeks_before_and_after(client, reception):
    nav = parse(client.get(week_url(TODAY))).select_one("nav.reception-nav")
    links = {a.contents[0].strip(): a["href"] for a in nav.select("a")}
    assert links["Previous week"] == week_url(datetime.date(2027, 1, 4))
    assert links["Next week"] == week_url(datetime.date(2027, 1, 18))
    assert links["This week"] == WEEK


def test_the_week_of_the_spring_clock_change_puts_each_time_on_its_day(
    client, reception, amelia, smp
):
    # The clocks go forward at 01:00 on Sunday 28 March 2027.
    sunday = datetime.date(2027, 3, 28)
    appointment_at(
        at(sunday, "10:00"), practitioner=amelia, consultation_type=smp, full_name="A Sun"
    )
    appointment_at(
        at(datetime.date(2027, 3, 22), "10:00"),
        practitioner=amelia,
        consultation_type=smp,
        full_name="A Mon",
    )
    # 00:30 on Monday 29 March (BST) is still Sunday in UTC: it belongs to the next week.
    appointment_at(
        at(datetime.date(2027, 3, 29), "00:30"),
        practitioner=amelia,
        consultation_type=smp,
        full_name="A Next",
    )
    cells = grid(parse(client.get(week_url(sunday)))).select("tbody tr")[0].select("td")
    texts = [[li.get_text(" ", strip=True) for li in cell.select("li")] for cell in cells]
    assert texts[0] == ["10:00 Mon Free SMP consultation"]
    assert texts[6] == ["10:00 Sun Free SMP consultation"]
    assert [text for cell in texts for text in cell] == [
        "10:00 Mon Free SMP consultation",
        "10:00 Sun Free SMP consultation",
    ]


def test_the_week_of_the_autumn_clock_change_shows_wall_clock_times(client, reception, amelia, smp):
    # The clocks go back at 02:00 on Sunday 31 October 2027.
    friday, monday = datetime.date(2027, 10, 29), datetime.date(2027, 11, 1)
    appointment_at(
        at(friday, "09:00"), practitioner=amelia, consultation_type=smp, full_name="B Fri"
    )
    appointment_at(
        at(monday, "09:00"), practitioner=amelia, consultation_type=smp, full_name="B Mon"
    )
    before = grid(parse(client.get(week_url(friday)))).select("tbody tr")[0].select("td")
    after = grid(parse(client.get(week_url(monday)))).select("tbody tr")[0].select("td")
    assert before[4].li.get_text(" ", strip=True).startswith("09:00 Fri")
    assert after[0].li.get_text(" ", strip=True).startswith("09:00 Mon")


def test_laser_reverse_staff_see_only_their_own_week(client, clock, amelia, smp):
    appointment_at(at(TODAY, "11:00"), practitioner=amelia, consultation_type=smp, full_name="R U")
    client.force_login(staff_user("laser-reverse"))
    page = parse(client.get(WEEK))
    assert [c.get_text() for c in page.select(".reception-grid caption")] == [
        "Laser Reverse, week of Monday 11 January 2027"
    ]
    assert "Amelia Hart" not in page.get_text()


def test_the_week_grid_runs_as_many_queries_for_thirty_appointments_as_for_one(
    client, reception, amelia, tom, smp
):
    def book(n: int) -> None:
        day = MONDAY + datetime.timedelta(days=n % 7)
        moment = clinic_moment(day, datetime.time(8)) + datetime.timedelta(minutes=20 * n)
        appointment_at(moment, practitioner=(amelia, tom)[n % 2], consultation_type=smp)

    book(0)
    with_one = queries_for(client, WEEK)
    for n in range(1, 30):
        book(n)
    assert queries_for(client, WEEK) == with_one


# LINKS FROM THE APPOINTMENT PAGES


def test_the_appointment_list_links_to_the_day_sheet_and_the_week(client, reception):
    tools = parse(client.get(reverse("admin:bookings_appointment_changelist"))).select_one(
        ".object-tools"
    )
    assert tools.find("a", string="Today's appointments")["href"] == DAY
    assert tools.find("a", string="This week")["href"] == WEEK


def test_an_appointments_page_links_to_its_day_and_week(client, reception, amelia, smp):
    appointment = appointment_at(at(TOMORROW, "11:00"), practitioner=amelia, consultation_type=smp)
    page = parse(client.get(reverse("admin:bookings_appointment_change", args=[appointment.pk])))
    tools = page.select_one(".object-tools")
    assert tools.find("a", string="That day")["href"] == day_url(TOMORROW)
    assert tools.find("a", string="That week")["href"] == week_url(TOMORROW)
