"""The admin as reception uses it: pages that say whose they are, photos to look at, emails
that show what was said, and an export that opens cleanly in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from bookings.models import Clinic, Notification
from bookings.services import emails, outbox, workflow
from tests.bookings.helpers import CHANGELIST, change_url
from tests.factories import make_enquiry, staff_user
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
