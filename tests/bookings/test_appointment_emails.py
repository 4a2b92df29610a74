"""What appointment emails say and carry when the outbox sends them, and which it holds back."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from icalendar import Calendar

from bookings.models import Appointment, AppointmentLink, Notification
from bookings.services import appointment_emails, manage_links, outbox
from tests.bookings.appointment_changes import cancel, move
from tests.factories import AppointmentFactory, AppointmentNotificationFactory, make_enquiry

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TOKEN_IN_LINK = re.compile(r"/appointments/([A-Za-z0-9_-]{43})/")
Kind = Notification.Kind


@pytest.fixture
def appointment():
    return AppointmentFactory(starts_at=datetime.datetime(2026, 12, 8, 10, 30, tzinfo=UTC))


def sent(notification, mailoutbox):
    """Run the outbox, then the email it sent for this notification (from the test's mailbox),
    or None if it sent none."""
    outbox.send_pending_notifications()
    message_id = f"<notification-{notification.pk}@"
    return next(
        (m for m in mailoutbox if m.extra_headers["Message-ID"].startswith(message_id)), None
    )


def calendar_parts(message) -> list[tuple[str, str]]:
    """The invite as a part beside the text and HTML, and as an attachment: (content, type)."""
    alternatives = [
        (content, mimetype)
        for content, mimetype in message.alternatives
        if mimetype.startswith("text/calendar")
    ]
    attachments = [(content, mimetype) for _, content, mimetype in message.attachments]
    return alternatives + attachments


def event_of(message):
    content, _ = calendar_parts(message)[0]
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def token_in(text: str) -> str:
    return TOKEN_IN_LINK.search(text).group(1)


def queued(appointment, kind=Kind.BOOKED, **fields) -> Notification:
    """An email queued for the appointment as it stands now."""
    return AppointmentNotificationFactory(appointment=appointment, kind=kind, **fields)


def staff_email(appointment) -> Notification:
    return queued(
        appointment,
        Kind.STAFF_CHANGE,
        recipients=[appointment.clinic.email],
        subject=f"Appointment change for {appointment.request.reference}",
    )


# The booked email


def test_a_booked_email_comes_from_the_clinic_hosting_the_appointment(mailoutbox):
    appointment = AppointmentFactory(request=make_enquiry(enquiry_type="laser_smp"))
    message = sent(queued(appointment), mailoutbox)
    assert message.from_email.startswith("Laser Reverse <")
    assert message.reply_to == [appointment.clinic.email]


def test_a_booked_email_gives_the_time_in_uk_time(appointment, mailoutbox):
    message = sent(queued(appointment), mailoutbox)
    assert "When: Tuesday 8 December 2026, 10:30 UK time" in message.body


def test_a_booked_email_names_the_practitioner_and_the_clinics_address_and_phone(
    appointment, mailoutbox
):
    body = sent(queued(appointment), mailoutbox).body
    clinic = appointment.clinic
    assert f"With: {appointment.practitioner.name}, SMP practitioner" in body
    assert f"Where: Restoration U, {clinic.postal_address}" in body
    assert f"Phone: {clinic.phone}" in body


def test_a_booked_email_links_to_the_clinics_visit_us_page(appointment, mailoutbox, settings):
    message = sent(queued(appointment), mailoutbox)
    visit = f"{settings.SITE_URL}/visit/restoration-u/"
    assert f"How to find us: {visit}" in message.body
    assert f'href="{visit}"' in message.alternatives[0].content


def test_a_booked_email_says_what_to_expect_in_one_line(appointment, mailoutbox):
    body = sent(queued(appointment), mailoutbox).body
    assert "What to expect: about 30 minutes; please arrive a few minutes early" in body


def test_a_booked_email_carries_a_link_that_opens_the_appointment(appointment, mailoutbox):
    body = sent(queued(appointment), mailoutbox).body
    assert manage_links.appointment_for_token(token=token_in(body)) == appointment


def test_the_html_part_carries_the_same_link(appointment, mailoutbox):
    message = sent(queued(appointment), mailoutbox)
    html = message.alternatives[0].content
    assert f'href="{manage_links.manage_url(token=token_in(message.body))}"' in html


def test_each_send_carries_a_link_of_its_own(appointment, mailoutbox):
    notification = queued(appointment)
    first = sent(notification, mailoutbox).body
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.PENDING)
    mailoutbox.clear()
    again = sent(notification, mailoutbox).body
    assert token_in(first) != token_in(again)


def test_a_client_email_about_an_appointment_leaves_out_what_they_wrote(appointment, mailoutbox):
    message = sent(queued(appointment), mailoutbox)
    assert "hairline" not in (message.body + message.alternatives[0].content).lower()


# The invite it carries


def test_the_invite_comes_as_a_calendar_part_and_as_invite_ics(appointment, mailoutbox):
    message = sent(queued(appointment), mailoutbox)
    (part, attachment) = calendar_parts(message)
    assert part[1] == attachment[1] == "text/calendar; method=REQUEST"
    assert [name for name, _, _ in message.attachments] == ["invite.ics"]
    assert part[0] == attachment[0]


def test_the_invite_starts_when_the_email_says(appointment, mailoutbox):
    _, event = event_of(sent(queued(appointment), mailoutbox))
    assert event.decoded("dtstart") == appointment.starts_at


def test_the_invite_is_at_the_clinics_address(appointment, mailoutbox):
    _, event = event_of(sent(queued(appointment), mailoutbox))
    assert str(event["location"]) == appointment.clinic.postal_address


def test_a_moved_email_updates_the_same_event_with_a_higher_sequence(appointment, mailoutbox):
    _, booked = event_of(sent(queued(appointment), mailoutbox))
    move(appointment, to=datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    _, moved = event_of(sent(queued(appointment, Kind.MOVED), mailoutbox))
    assert str(moved["uid"]) == str(booked["uid"])
    assert moved.decoded("sequence") > booked.decoded("sequence")
    assert moved.decoded("dtstart") == datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)


def test_a_moved_email_gives_the_new_time_and_a_new_link(appointment, mailoutbox):
    move(appointment, to=datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    body = sent(queued(appointment, Kind.MOVED), mailoutbox).body
    assert "When: Wednesday 9 December 2026, 14:00 UK time" in body
    assert manage_links.appointment_for_token(token=token_in(body)) == appointment


# The cancellation


def test_a_cancelled_email_cancels_the_event_in_the_calendar(appointment, mailoutbox):
    cancel(appointment)
    message = sent(queued(appointment, Kind.APPOINTMENT_CANCELLED), mailoutbox)
    calendar, event = event_of(message)
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert {mimetype for _, mimetype in calendar_parts(message)} == {"text/calendar; method=CANCEL"}


def test_a_cancelled_email_has_no_link_and_says_how_to_book_again(
    settings, appointment, mailoutbox
):
    cancel(appointment)
    body = sent(queued(appointment, Kind.APPOINTMENT_CANCELLED), mailoutbox).body
    assert "/appointments/" not in body
    assert f"choose a new time at {settings.SITE_URL}/book/" in body
    assert not AppointmentLink.objects.exists()


# What is kept


def test_the_text_kept_after_sending_has_no_manage_link(appointment, mailoutbox):
    notification = queued(appointment)
    sent(notification, mailoutbox)
    notification.refresh_from_db()
    assert "/appointments/" not in notification.body
    assert manage_links.LINK_NOT_KEPT in notification.body


def test_the_token_sent_is_nowhere_in_the_database(appointment, mailoutbox):
    token = token_in(sent(queued(appointment), mailoutbox).body)
    everything = io.StringIO()
    call_command("dumpdata", stdout=everything)
    assert token not in everything.getvalue()


# Emails held back


def test_a_reminder_for_a_time_since_moved_is_not_sent_and_says_why(appointment, mailoutbox):
    reminder = queued(appointment, Kind.REMINDER)
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=2))
    assert sent(reminder, mailoutbox) is None
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (
        Notification.Status.CANCELLED,
        "superseded: the appointment changed after this was queued",
    )


def test_a_reminder_for_an_appointment_since_cancelled_is_not_sent(appointment, mailoutbox):
    reminder = queued(appointment, Kind.REMINDER)
    cancel(appointment)
    assert sent(reminder, mailoutbox) is None
    assert Notification.objects.get(pk=reminder.pk).status == Notification.Status.CANCELLED


def test_a_confirmation_of_a_cancelled_appointment_is_held_back_even_at_its_sequence(appointment):
    cancelled = Appointment.objects.filter(pk=appointment.pk)
    cancelled.update(status=Appointment.Status.CANCELLED)
    booked = queued(cancelled.get())
    outbox.send_pending_notifications()
    booked.refresh_from_db()
    assert booked.last_error == appointment_emails.CANCELLED_SINCE


def test_a_reminder_that_would_arrive_after_the_start_is_not_sent(mailoutbox):
    started = AppointmentFactory(
        starts_at=datetime.datetime.now(UTC) - datetime.timedelta(minutes=5)
    )
    reminder = queued(started, Kind.REMINDER)
    outbox.send_pending_notifications()
    reminder.refresh_from_db()
    assert reminder.last_error == appointment_emails.TOO_LATE


def test_a_held_back_email_makes_no_link(appointment, mailoutbox):
    queued(appointment, Kind.REMINDER)
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=2))
    outbox.send_pending_notifications()
    assert not AppointmentLink.objects.exists()


def test_the_send_command_says_how_many_were_held_back(appointment, mailoutbox):
    queued(appointment, Kind.REMINDER)
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=2))
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert "1 not sent: their appointment had changed since" in out.getvalue()


# Staff


def test_staff_are_told_of_a_cancellation_with_its_reason(appointment, mailoutbox):
    cancel(appointment, reason="Away with work that week")
    body = sent(staff_email(appointment), mailoutbox).body
    assert "on Tuesday 8 December 2026, 10:30 UK time" in body
    assert "has been cancelled by the client, online." in body
    assert "Reason: Away with work that week" in body


def test_staff_are_told_the_new_time_of_a_moved_appointment(appointment, mailoutbox):
    move(appointment, to=datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    body = sent(staff_email(appointment), mailoutbox).body
    assert "has moved. It is now:\nWednesday 9 December 2026, 14:00 UK time" in body


def test_a_staff_change_email_links_to_the_enquiry_and_leaves_out_health_details(
    appointment, mailoutbox
):
    cancel(appointment)
    message = sent(staff_email(appointment), mailoutbox)
    assert f"/admin/bookings/consultationrequest/{appointment.request.pk}/change/" in message.body
    assert "hairline" not in (message.body + message.alternatives[0].content).lower()
    assert not calendar_parts(message)


def test_a_staff_change_email_is_answered_by_the_client(appointment, mailoutbox):
    cancel(appointment)
    assert sent(staff_email(appointment), mailoutbox).reply_to == [appointment.request.email]


def test_the_staff_email_for_a_new_enquiry_gives_its_booked_time(appointment, mailoutbox):
    staff = appointment.request.notifications.get(kind=Kind.STAFF)
    body = sent(staff, mailoutbox).body
    assert (
        f"Appointment: Tuesday 8 December 2026, 10:30 UK time with {appointment.practitioner.name}"
        in body
    )
    assert "The time is booked: no call is needed" in body


def test_the_staff_email_for_a_new_enquiry_without_an_appointment_asks_for_a_call(mailoutbox):
    staff = make_enquiry().notifications.get(kind=Kind.STAFF)
    body = sent(staff, mailoutbox).body
    assert "Appointment:" not in body
    assert "Please contact them within one working day." in body


# The clock change and a real mail server


@pytest.mark.parametrize("kind", [Kind.BOOKED, Kind.REMINDER])
@pytest.mark.parametrize(
    ("starts_at", "when", "dtstart"),
    [
        # After the clocks go forward (booked now, in GMT): 09:00 UK time is 08:00 UTC.
        (datetime.datetime(2027, 3, 30, 8, tzinfo=UTC), "Tuesday 30 March 2027, 09:00", "080000"),
        # After they go back (a BST booking for a GMT date): 09:00 UK time is 09:00 UTC.
        (datetime.datetime(2027, 11, 2, 9, tzinfo=UTC), "Tuesday 2 November 2027, 09:00", "090000"),
    ],
)
def test_the_email_and_its_invite_give_the_time_the_clinic_clock_shows(
    mailoutbox, kind, starts_at, when, dtstart
):
    appointment = AppointmentFactory(starts_at=starts_at)
    message = sent(queued(appointment, kind), mailoutbox)
    assert f"When: {when} UK time" in message.body
    assert f"DTSTART:{starts_at:%Y%m%d}T{dtstart}Z" in calendar_parts(message)[0][0].splitlines()


def test_a_booked_email_reaches_a_real_mail_server_with_its_invite(appointment, smtp_server):
    queued(appointment)
    outbox.send_pending_notifications()
    (message,) = [
        m
        for m in smtp_server.messages
        if m["To"] == appointment.request.email and "booked" in m["Subject"]
    ]
    calendars = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert [(part.get_param("method"), part.get_filename()) for part in calendars] == [
        ("REQUEST", None),
        ("REQUEST", "invite.ics"),
    ]
    (event,) = Calendar.from_ical(calendars[0].get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.starts_at


# The admin


def test_reading_an_unsent_appointment_email_in_the_admin_makes_no_link(admin_client, appointment):
    notification = queued(appointment)
    response = admin_client.get(f"/admin/bookings/notification/{notification.pk}/change/")
    assert manage_links.LINK_NOT_KEPT in response.content.decode()
    assert not AppointmentLink.objects.exists()


def test_the_admin_says_why_an_email_was_held_back(admin_client, appointment):
    queued(appointment, Kind.REMINDER)
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=2))
    outbox.send_pending_notifications()
    page = admin_client.get("/admin/bookings/notification/").content.decode()
    assert "Not sent (superseded: the appointment changed after this was queued)" in page
