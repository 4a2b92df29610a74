"""The admin as reception uses it: pages that say whose they are, photos to look at, emails
that show what was said, and an export that opens cleanly in a spreadsheet."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import reception
from bookings.models import Clinic, ConsultationRequest, Notification
from bookings.services import appointments, closures, emails, outbox, outcomes, workflow
from tests.bookings.helpers import CHANGELIST, change_url
from tests.bookings.reception_days import (
    NOW,
    TODAY,
    appointment_at,
    at,
    clock_fixture,  # noqa: F401
    enquiry_received,
)
from tests.factories import clinic, make_enquiry, staff_user
from tests.html import parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def test_laser_reverse_staff_work_in_an_admin_named_after_their_clinic(client):
    client.force_login(staff_user("laser-reverse"))
    page = parse(client.get(reverse("admin:index")))
    assert page.select_one("#site-name").get_text(strip=True) == "Laser Reverse staff"
    assert "Laser Reverse staff" in page.title.get_text()


def test_restoration_u_staff_work_in_an_admin_named_after_theirs(reception, client):
    page = parse(client.get(reverse("admin:index")))
    assert page.select_one("#site-name").get_text(strip=True) == "Restoration U staff"


def test_a_notes_author_is_a_name_not_a_link_reception_cannot_open(reception, client):
    enquiry = make_enquiry()
    workflow.add_note(enquiry=enquiry, author=reception, text="Called back.")
    notes = parse(client.get(change_url(enquiry))).select_one("#notes-group")
    assert reception.username in notes.get_text()
    assert not notes.select("a[href*='/auth/user/']")


def test_an_enquiry_page_offers_no_view_on_site_link(reception, client):
    page = parse(client.get(change_url(make_enquiry())))
    assert not page.select("a.viewsitelink")


def test_an_enquirys_only_photo_is_photo_1(reception, client):
    make_enquiry(photos=[photo_with_exif()])  # another enquiry's photo takes a lower number
    enquiry = make_enquiry(photos=[photo_with_exif()])
    image = parse(client.get(change_url(enquiry))).select_one("#photos-group img")
    assert image["alt"].startswith("Photo 1 sent with the request")


def test_a_photo_opens_large_inside_the_admin_with_downloading_apart(reception, client):
    enquiry = make_enquiry(photos=[photo_with_exif(), photo_with_exif()])
    second = enquiry.photos.all()[1]
    link = parse(client.get(change_url(enquiry))).select("#photos-group td a")[1]["href"]
    response = client.get(link)
    page = parse(response)
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    assert page.select_one("figure img")["src"] == second.get_absolute_url()
    assert "Photo 2 of 2" in page.select_one("figure img")["alt"]
    assert page.find("a", string="Download this photo")["href"] == second.get_download_url()


def test_another_clinics_photo_page_is_a_404(client):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    client.force_login(staff_user("laser-reverse"))
    url = reverse(
        "admin:bookings_consultationrequest_photo", args=[enquiry.pk, enquiry.photos.get().pk]
    )
    assert client.get(url).status_code == 404


def test_the_phone_number_is_a_link_that_dials(reception, client):
    enquiry = make_enquiry()
    page = parse(client.get(change_url(enquiry)))
    assert page.select_one(".field-phone_link a")["href"] == "tel:+447911123456"


def test_an_enquiry_page_writes_every_date_and_time_one_way(reception, client):
    enquiry = make_enquiry()
    workflow.add_note(enquiry=enquiry, author=reception, text="Called back.")
    text = parse(client.get(change_url(enquiry))).select_one("#content").get_text(" ")
    assert "a.m." not in text and "p.m." not in text
    import re

    stamps = re.findall(r"\b\d{1,2} \w{3} \d{4}, \d{2}:\d{2}\b", text)
    assert len(stamps) >= 4  # received, consent, routing, status, the note, the history


def test_the_emails_on_an_enquiry_show_their_recipients_as_addresses(reception, client):
    enquiry = make_enquiry()
    emails = parse(client.get(change_url(enquiry))).select_one("#notifications-group")
    assert enquiry.email in emails.get_text()
    assert '["' not in emails.get_text()


def test_an_email_page_shows_what_was_sent_and_no_next_attempt_once_sent(
    reception, client, mailoutbox
):
    enquiry = make_enquiry()
    outbox.send_pending_notifications()
    confirmation = enquiry.notifications.get(kind=Notification.Kind.CLIENT)
    page = parse(client.get(reverse("admin:bookings_notification_change", args=[confirmation.pk])))
    assert "Thank you for asking Restoration U" in page.select_one("pre.email-text").get_text()
    assert not page.select(".field-next_attempt")
    assert page.select_one(".field-sent")


def test_an_email_not_sent_yet_shows_what_it_will_say_and_when_it_is_tried(reception, client):
    enquiry = make_enquiry()
    confirmation = enquiry.notifications.get(kind=Notification.Kind.CLIENT)
    page = parse(client.get(reverse("admin:bookings_notification_change", args=[confirmation.pk])))
    assert "Thank you for asking Restoration U" in page.select_one("pre.email-text").get_text()
    assert page.select_one(".field-next_attempt")


@pytest.mark.parametrize("typed", ["07911 123456", "07911123456", "+44 7911 123456"])
def test_staff_find_a_client_by_their_number_as_people_say_it(reception, client, typed):
    wanted = make_enquiry(full_name="Riley Caller", phone="+447911123456")
    make_enquiry(full_name="Someone Else", phone="+447700900123")
    rows = parse(client.get(CHANGELIST, {"q": typed})).select("#result_list tbody tr")
    assert [row.select_one("th a").get_text() for row in rows] == [wanted.reference]


def test_receptions_list_has_no_clinic_column_it_would_only_repeat(reception, client):
    make_enquiry()
    headers = [th.get_text(strip=True) for th in parse(client.get(CHANGELIST)).select("thead th")]
    assert "Clinic" not in headers and "Came from" in headers


def export(client, enquiry) -> str:
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [enquiry.pk]})
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel(reception, client):
    assert export(client, make_enquiry()).startswith("\ufeffReference,")


def test_the_csv_export_holds_what_reception_asked_for(reception, client):
    from tests.bookings.helpers import next_open_day

    day = next_open_day()
    enquiry = make_enquiry(
        contact_method="phone",
        preferred_dates=[day],
        preferred_time="morning",
        marketing_opt_in=True,
        full_name="Zoë Ångström",
    )
    workflow.add_note(enquiry=enquiry, author=reception, text="Prefers mornings.")
    (row,) = csv.DictReader(io.StringIO(export(client, enquiry).removeprefix("\ufeff")))
    assert row["Name"] == "Zoë Ångström"
    assert row["Contact by"] == "Phone call"
    assert row["Preferred dates"] == day.isoformat()
    assert row["Time of day"] == "Morning"
    assert row["Marketing emails"] == "Yes"
    assert row["Notes"].endswith(": Prefers mornings.")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+447911123456", "07911 123456"), ("+33612345678", "00 33 6 12 34 56 78")],
)
def test_phone_numbers_export_as_dialled_without_an_apostrophe(reception, client, stored, shown):
    (row,) = csv.DictReader(io.StringIO(export(client, make_enquiry(phone=stored))[1:]))
    assert row["Phone"] == shown


def test_the_csv_export_still_defuses_formulas_in_what_visitors_typed(reception, client):
    enquiry = make_enquiry(full_name='=HYPERLINK("http://evil.example")')
    (row,) = csv.DictReader(io.StringIO(export(client, enquiry)[1:]))
    assert row["Name"].startswith("'=")


def test_a_reroute_tells_the_client_who_will_contact_them_now(reception):
    enquiry = make_enquiry(enquiry_type="new_smp")
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    workflow.reroute_enquiry(enquiry=enquiry, clinic=laser_reverse, by=reception, reason="Tattoo")
    handover = enquiry.notifications.get(kind=Notification.Kind.HANDOVER)
    email = emails.build_email(notification=handover)
    assert handover.recipients == [enquiry.email]
    assert email.from_email.startswith("Laser Reverse <")
    assert "passed to Laser Reverse" in email.body
    assert "Laser Reverse will contact you within one working day" in email.body


# THE HOME PAGE: TODAY AT THE CLINIC
#
# The clock is frozen (tests/bookings/reception_days.py) on Wednesday 13 January 2027, 10:00.

HOME = reverse("admin:index")
COLUMNS = [
    "New enquiries today",
    "New for over a working day",
    "Contacted, no appointment yet",
    "Appointments today",
    "Unresolved appointments",
]


# The Tuesday after Easter 2027: Good Friday and Easter Monday closed, the clocks gone forward.
EASTER_TUESDAY = at(datetime.date(2027, 3, 30), "10:00")
HOUR = datetime.timedelta(hours=1)


def superuser():
    return get_user_model().objects.create_superuser("owner", "owner@staff.example", "x" * 20)


@pytest.fixture
def front_desk(client, clock):
    """Restoration U's receptionist, signed in once the clock is set."""
    user = staff_user("restoration-u", username="front-desk")
    client.force_login(user)
    return user


def clinic_row(response, clinic_name: str):
    (row,) = [
        th.parent
        for th in parse(response).select(".reception-today tbody th")
        if th.get_text() == clinic_name
    ]
    return row


def counts(response, clinic_name: str = "Restoration U") -> dict[str, int]:
    values = [int(cell.a.contents[0]) for cell in clinic_row(response, clinic_name).select("td")]
    return dict(zip(COLUMNS, values, strict=True))


def links(response, clinic_name: str = "Restoration U") -> dict[str, str]:
    cells = clinic_row(response, clinic_name).select("td")
    return dict(zip(COLUMNS, [cell.a["href"] for cell in cells], strict=True))


def test_the_working_day_rule_on_a_monday_looks_back_to_friday():
    monday = reception.overdue_before(now=at(datetime.date(2027, 1, 11), "10:00"), closed=set())
    assert monday == at(datetime.date(2027, 1, 8), "10:00")


def test_the_working_day_rule_on_a_saturday_looks_back_to_friday():
    saturday = reception.overdue_before(now=at(datetime.date(2027, 1, 16), "11:30"), closed=set())
    assert saturday == at(datetime.date(2027, 1, 15), "11:30")


def test_a_saturday_enquiry_is_overdue_only_once_monday_is_over():
    saturday = at(datetime.date(2027, 1, 9), "12:00")
    late_monday = at(datetime.date(2027, 1, 11), "23:59")
    early_tuesday = at(datetime.date(2027, 1, 12), "00:01")
    assert reception.overdue_before(now=late_monday, closed=set()) < saturday
    assert reception.overdue_before(now=early_tuesday, closed=set()) > saturday


def test_the_working_day_rule_skips_a_clinics_closure():
    tuesday = reception.overdue_before(
        now=at(datetime.date(2027, 1, 12), "10:00"), closed={datetime.date(2027, 1, 11)}
    )
    assert tuesday == at(datetime.date(2027, 1, 8), "10:00")


def test_the_working_day_rule_over_easter_skips_both_bank_holidays_and_keeps_the_wall_time():
    closures.load_bank_holidays(years=[2027])
    ids = [clinic("restoration-u").pk]
    closed = reception.closed_days(user=superuser(), clinic_ids=ids, now=EASTER_TUESDAY)
    # Good Friday 26 March and Easter Monday 29 March 2027, with the clocks going forward on
    # the Sunday between: Tuesday 10:00 BST looks back to Thursday 10:00 GMT.
    assert reception.overdue_before(now=EASTER_TUESDAY, closed=closed[ids[0]]) == at(
        datetime.date(2027, 3, 25), "10:00"
    )


def test_new_enquiries_today_are_those_received_since_midnight(client, front_desk):
    enquiry_received(at(TODAY, "00:00"))
    enquiry_received(at(TODAY, "09:59"), status=ConsultationRequest.Status.CONTACTED)
    enquiry_received(at(TODAY, "00:00") - datetime.timedelta(seconds=1))
    enquiry_received(at(TODAY, "09:00"), is_spam=True)
    assert counts(client.get(HOME))["New enquiries today"] == 2


def test_an_enquiry_is_overdue_once_older_than_this_time_on_the_last_working_day(
    client, front_desk
):
    tuesday = TODAY - datetime.timedelta(days=1)
    enquiry_received(at(tuesday, "09:59"))
    enquiry_received(at(tuesday, "10:01"))
    enquiry_received(at(tuesday, "09:00"), status=ConsultationRequest.Status.CONTACTED)
    assert counts(client.get(HOME))["New for over a working day"] == 1


def test_on_monday_fridays_enquiries_are_overdue_only_from_the_time_they_came(client, clock):
    monday = datetime.date(2027, 1, 11)
    clock(at(monday, "10:00"))
    client.force_login(staff_user("restoration-u"))
    enquiry_received(at(datetime.date(2027, 1, 8), "09:59"))  # Friday: a working day ago
    enquiry_received(at(datetime.date(2027, 1, 8), "10:01"))
    enquiry_received(at(datetime.date(2027, 1, 9), "12:00"))  # Saturday
    assert counts(client.get(HOME))["New for over a working day"] == 1


def test_over_easter_the_bank_holidays_are_not_working_days(client, clock):
    closures.load_bank_holidays(years=[2027])
    clock(EASTER_TUESDAY)
    client.force_login(staff_user("restoration-u"))
    enquiry_received(at(datetime.date(2027, 3, 25), "09:59"))  # Thursday before Good Friday
    enquiry_received(at(datetime.date(2027, 3, 25), "10:01"))
    enquiry_received(at(datetime.date(2027, 3, 26), "09:00"))  # Good Friday
    assert counts(client.get(HOME))["New for over a working day"] == 1


def test_contacted_with_no_appointment_yet_counts_a_cancelled_one_as_none(client, front_desk):
    contacted = ConsultationRequest.Status.CONTACTED
    enquiry_received(at(TODAY, "08:00"), status=contacted)
    booked = appointment_at(at(TODAY, "15:00"))
    ConsultationRequest.objects.filter(pk=booked.request_id).update(status=contacted)
    gone = appointment_at(at(TODAY + datetime.timedelta(days=3), "15:00"))
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=front_desk)
    ConsultationRequest.objects.filter(pk=gone.request_id).update(status=contacted)
    assert counts(client.get(HOME))["Contacted, no appointment yet"] == 2


def test_appointments_today_are_todays_booked_ones(client, front_desk):
    appointment_at(at(TODAY, "09:00"))
    appointment_at(at(TODAY, "16:00"))
    gone = appointment_at(at(TODAY, "17:00"))
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=front_desk)
    appointment_at(at(TODAY + datetime.timedelta(days=1), "09:00"))
    assert counts(client.get(HOME))["Appointments today"] == 2


def test_unresolved_appointments_are_past_booked_ones_without_an_outcome(client, front_desk):
    appointment_at(at(TODAY, "09:00"))
    appointment_at(at(TODAY - datetime.timedelta(days=2), "11:00"))
    seen = appointment_at(at(TODAY - datetime.timedelta(days=1), "11:00"))
    outcomes.set_outcome(appointment=seen, outcome="attended", by=front_desk)
    appointment_at(NOW - datetime.timedelta(minutes=5))  # still under way
    assert counts(client.get(HOME))["Unresolved appointments"] == 2


@pytest.fixture
def a_morning(front_desk):
    """A morning at both clinics: some of everything, Laser Reverse's too."""
    yesterday = TODAY - datetime.timedelta(days=1)
    for clinic_type in ("new_smp", "laser_tattoo"):
        enquiry_received(at(TODAY, "08:00"), enquiry_type=clinic_type)
        enquiry_received(
            at(yesterday - datetime.timedelta(days=1), "09:00"), enquiry_type=clinic_type
        )
        enquiry_received(at(yesterday, "11:00"), enquiry_type=clinic_type)
        enquiry_received(
            at(yesterday, "08:00"),
            enquiry_type=clinic_type,
            status=ConsultationRequest.Status.CONTACTED,
        )
        enquiry_received(at(TODAY, "09:00"), enquiry_type=clinic_type, is_spam=True)
    for slug in ("restoration-u", "laser-reverse"):
        appointment_at(at(TODAY, "09:00"), clinic_slug=slug)
        appointment_at(at(TODAY, "15:00"), clinic_slug=slug)
        gone = appointment_at(at(TODAY, "16:00"), clinic_slug=slug)
        appointments.cancel_appointment(
            appointment=gone, reason="Unwell", by=None, now=NOW - 48 * HOUR
        )
        appointment_at(at(yesterday, "14:00"), clinic_slug=slug)


def listed(client, url: str) -> int:
    return len(parse(client.get(url)).select("#result_list tbody tr"))


@pytest.mark.parametrize("column", COLUMNS)
def test_each_count_opens_a_list_of_exactly_those_rows(client, a_morning, column):
    response = client.get(HOME)
    count = counts(response)[column]
    assert count > 0
    assert listed(client, links(response)[column]) == count


def test_the_counts_for_the_morning_are_the_clinics_own(client, a_morning):
    assert counts(client.get(HOME)) == {
        "New enquiries today": 1 + 4,  # and the four appointments' enquiries, made today
        "New for over a working day": 1,
        "Contacted, no appointment yet": 1,
        "Appointments today": 2,
        "Unresolved appointments": 2,
    }


def test_laser_reverse_staff_see_their_clinics_counts_and_no_other(client, a_morning):
    client.force_login(staff_user("laser-reverse"))
    response = client.get(HOME)
    page = parse(response)
    assert page.select_one(".reception-today caption").get_text() == "Today at Laser Reverse"
    assert [th.get_text() for th in page.select(".reception-today tbody th")] == ["Laser Reverse"]
    assert counts(response, "Laser Reverse")["Appointments today"] == 2


def test_restoration_u_staff_see_no_row_of_laser_reverse(client, a_morning):
    page = parse(client.get(HOME))
    assert page.select_one(".reception-today caption").get_text() == "Today at Restoration U"
    assert [th.get_text() for th in page.select(".reception-today tbody th")] == ["Restoration U"]


def test_a_superuser_sees_a_row_for_each_clinic_each_opening_its_own_list(client, a_morning):
    client.force_login(superuser())
    response = client.get(HOME)
    page = parse(response)
    assert page.select_one(".reception-today caption").get_text() == "Today at each clinic"
    assert [th.get_text() for th in page.select(".reception-today tbody th")] == [
        "Laser Reverse",
        "Restoration U",
    ]
    for name in ("Laser Reverse", "Restoration U"):
        assert counts(response, name)["Unresolved appointments"] == 2
        url = links(response, name)["Appointments today"]
        assert f"clinic__id__exact={Clinic.objects.get(name=name).pk}" in url
        assert listed(client, url) == 2


def test_the_unresolved_list_is_the_first_thing_on_the_page_when_there_is_one(client, front_desk):
    appointment_at(at(TODAY, "09:00"))
    appointment_at(at(TODAY - datetime.timedelta(days=1), "09:00"))
    main = parse(client.get(HOME)).select_one("main")
    first = main.find("a")
    assert first.get_text() == "2 past appointments without an outcome: record who came"
    assert first["href"] == reverse("admin:bookings_appointment_changelist") + "?when=unresolved"


def test_with_nothing_unresolved_the_page_opens_on_its_heading(client, front_desk):
    appointment_at(at(TODAY, "15:00"))
    main = parse(client.get(HOME)).select_one("main")
    assert main.select_one(".reception-first") is None
    assert main.select_one("#content").find(True).name == "h1"


def test_the_home_page_links_to_the_day_sheet_and_the_week(client, front_desk):
    block = parse(client.get(HOME)).select_one(".reception-today")
    assert block.find("a", string="Today's appointments")["href"] == reverse(
        "admin:bookings_appointment_day_of", args=[TODAY.isoformat()]
    )
    assert block.find("a", string="This week")["href"] == reverse(
        "admin:bookings_appointment_week_of", args=[TODAY.isoformat()]
    )


def test_the_counts_sit_above_the_list_of_models(client, front_desk):
    content = parse(client.get(HOME)).select_one("#content-main")
    blocks = list(content.find_all("div", recursive=False))
    assert "reception-today" in blocks[0]["class"]
    assert content.select_one(".app-bookings")


def test_a_staff_account_without_a_clinic_sees_the_usual_home_page(client, clock):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("no-clinic", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Reception"))
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert parse(response).select_one(".reception-today") is None


def test_the_home_page_runs_as_many_queries_with_thirty_of_everything_as_with_one(
    client, front_desk, django_assert_num_queries
):
    def one_of_everything(n: int) -> None:
        enquiry_received(at(TODAY, "08:00") + n * datetime.timedelta(minutes=1))
        enquiry_received(at(TODAY - datetime.timedelta(days=2), "08:00"))
        enquiry_received(
            at(TODAY - datetime.timedelta(days=1), "08:00"),
            status=ConsultationRequest.Status.CONTACTED,
        )
        appointment_at(at(TODAY, "09:00") - n * datetime.timedelta(days=1))

    one_of_everything(0)
    with CaptureQueriesContext(connection) as first:
        assert counts(client.get(HOME))["Unresolved appointments"] == 1
    for n in range(1, 30):
        one_of_everything(n)
    with django_assert_num_queries(len(first)):
        assert counts(client.get(HOME))["Unresolved appointments"] == 30
