"""Email through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd)."""

import io

import pytest
from django.core.management import call_command

from bookings.models import Clinic, Notification
from tests.bookings.helpers import change_form, change_url, valid_form_data

pytestmark = pytest.mark.django_db


def recipients(message) -> set[str]:
    return {
        address.strip()
        for header in ("To", "Cc")
        for address in (message.get(header) or "").split(",")
        if address.strip()
    }


def text_of(message) -> str:
    return message.get_payload(0).get_payload(decode=True).decode()


def html_of(message) -> str:
    return message.get_payload(1).get_payload(decode=True).decode()


@pytest.fixture
def laser_removal_emails(client, smtp_server) -> dict:
    """A laser-removal request sent through the form and its emails delivered, by recipient."""
    client.post(
        "/book/",
        valid_form_data(
            enquiry_type="laser_smp",
            email="casey@client.example",
            contact_method="phone",
            preferred_time="morning",
        ),
    )
    call_command("send_pending_notifications", stdout=io.StringIO())
    by_recipient = {}
    for message in smtp_server.messages:
        (recipient,) = recipients(message)
        by_recipient[recipient] = message
    return by_recipient


def test_a_laser_removal_request_reaches_laser_reverse_with_what_they_need(
    laser_removal_emails,
):
    staff = laser_removal_emails[Clinic.objects.get(slug="laser-reverse").email]
    assert staff["Reply-To"] == "casey@client.example"
    assert {part.get_content_type() for part in staff.walk()} >= {"text/plain", "text/html"}
    assert "/admin/bookings/consultationrequest/" in text_of(staff)


def test_the_copied_clinic_is_told_whose_enquiry_it_is_and_given_no_link_it_cannot_open(
    laser_removal_emails,
):
    copy = laser_removal_emails[Clinic.objects.get(slug="restoration-u").email]
    assert "is with Laser Reverse" in " ".join(copy["Subject"].split())
    assert "The enquiry belongs to Laser Reverse" in text_of(copy)
    assert "/admin/" not in text_of(copy) + html_of(copy)
    assert copy["Reply-To"] == Clinic.objects.get(slug="laser-reverse").email


def test_the_client_hears_from_the_clinic_that_will_call(laser_removal_emails):
    confirmation = laser_removal_emails["casey@client.example"]
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    assert confirmation["From"].startswith("Laser Reverse <")
    assert confirmation["Reply-To"] == laser_reverse.email
    assert "Laser Reverse has your consultation request" in confirmation["Subject"]


def test_the_confirmation_restates_what_was_asked_and_explains_the_reference(
    laser_removal_emails,
):
    from tests.bookings.helpers import next_open_day

    text = text_of(laser_removal_emails["casey@client.example"])
    assert "About: Laser removal of SMP" in text
    assert f"Preferred dates: {next_open_day():%A} {next_open_day().day} " in text
    assert "Time of day: Morning" in text
    assert "Contact by: Phone call (+447911123456)" in text
    assert "Laser Reverse will contact you within one working day by phone call" in text
    assert "shared by Restoration U and Laser Reverse" in text


def test_the_html_part_of_every_email_reads_at_a_phones_width(laser_removal_emails):
    for message in laser_removal_emails.values():
        assert '<meta name="viewport" content="width=device-width' in html_of(message)


def test_an_smp_request_reaches_restoration_u_only(client, smtp_server):
    client.post("/book/", valid_form_data(enquiry_type="new_smp"))
    call_command("send_pending_notifications", stdout=io.StringIO())
    staff = next(m for m in smtp_server.messages if "New consultation request" in m["Subject"])
    assert recipients(staff) == {Clinic.objects.get(slug="restoration-u").email}


def test_with_the_smtp_server_down_requests_are_kept_and_delivered_when_it_returns(
    client, smtp_server
):
    smtp_server.stop()
    for n in range(3):
        response = client.post("/book/", valid_form_data(email=f"person{n}@client.example"))
        assert response.status_code == 302
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert "Sent 0 email(s); 6 failed and will retry." in out.getvalue()
    assert set(Notification.objects.values_list("status", flat=True)) == {"retrying"}

    smtp_server.start()
    Notification.objects.update(next_attempt_at=Notification.objects.first().created_at)
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert len(smtp_server.messages) == 6
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_the_worker_delivers_what_is_due_and_stops_when_asked(client, smtp_server, caplog):
    client.post("/book/", valid_form_data())
    caplog.set_level("INFO", logger="restoration.bookings")
    call_command("notification_worker", "--once")
    assert "worker_delivered sent=2 failed=0 refused=0" in caplog.messages
    assert len(smtp_server.messages) == 2


def test_an_email_the_server_refuses_for_good_fails_with_its_reason_and_is_not_retried(
    client, smtp_server
):
    smtp_server.refused.add("nobody@client.example")
    client.post("/book/", valid_form_data(email="nobody@client.example"))
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out)
    refused = Notification.objects.get(kind=Notification.Kind.CLIENT)
    assert refused.status == Notification.Status.FAILED
    assert "550" in refused.last_error
    assert "1 refused by the mail server, not retried" in out.getvalue()
    Notification.objects.update(next_attempt_at=refused.created_at)
    call_command("send_pending_notifications", stdout=io.StringIO())
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (Notification.Status.FAILED, 1)


def test_a_temporary_refusal_is_retried(client, smtp_server, monkeypatch):
    import smtplib

    from bookings.services import outbox

    def busy(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"a@client.example": (451, b"Try again later")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", busy)
    client.post("/book/", valid_form_data())
    outbox.send_pending_notifications()
    assert set(Notification.objects.values_list("status", flat=True)) == {"retrying"}


def test_a_refused_email_does_not_hold_the_health_check_down(client, smtp_server, settings):
    from bookings.services.outbox import oldest_pending_age_seconds

    smtp_server.refused.add("nobody@client.example")
    client.post("/book/", valid_form_data(email="nobody@client.example"))
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert oldest_pending_age_seconds() is None


def test_staff_correct_a_refused_address_and_the_resent_confirmation_reaches_the_client(
    admin_client, client, smtp_server
):
    from bookings.models import ConsultationRequest

    smtp_server.refused.add("casey@clinet.example")
    client.post("/book/", valid_form_data(email="casey@clinet.example"))
    call_command("send_pending_notifications", stdout=io.StringIO())
    enquiry = ConsultationRequest.objects.get()
    page = admin_client.get(change_url(enquiry)).content.decode()
    assert "was refused by the mail server" in page

    admin_client.post(change_url(enquiry), change_form(enquiry, email="casey@client.example"))
    admin_client.post(
        "/admin/bookings/consultationrequest/",
        {"action": "resend", "_selected_action": [enquiry.pk]},
    )
    call_command("send_pending_notifications", stdout=io.StringIO())
    confirmation = Notification.objects.get(kind=Notification.Kind.CLIENT)
    assert confirmation.status == Notification.Status.SENT
    assert "casey@client.example" in {
        address for message in smtp_server.messages for address in recipients(message)
    }
    assert enquiry.events.filter(description="Client's email address corrected").exists()
