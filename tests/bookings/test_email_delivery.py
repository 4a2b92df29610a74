"""Email through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd)."""

import io

import pytest
from django.core.management import call_command

from bookings.models import Clinic, Notification
from tests.bookings.helpers import valid_form_data

pytestmark = pytest.mark.django_db


def recipients(message) -> set[str]:
    return {
        address.strip()
        for header in ("To", "Cc")
        for address in (message.get(header) or "").split(",")
        if address.strip()
    }


def test_a_laser_removal_request_reaches_laser_reverse_and_the_client(client, smtp_server):
    client.post("/book/", valid_form_data(enquiry_type="laser_smp", email="casey@client.example"))
    call_command("send_pending_notifications", stdout=io.StringIO())
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    restoration_u = Clinic.objects.get(slug="restoration-u")
    staff, confirmation = sorted(smtp_server.messages, key=lambda m: m["Subject"].startswith("We"))
    assert recipients(staff) == {laser_reverse.email, restoration_u.email}
    assert staff["Reply-To"] == "casey@client.example"
    assert staff.is_multipart()
    assert {part.get_content_type() for part in staff.walk()} >= {"text/plain", "text/html"}
    assert recipients(confirmation) == {"casey@client.example"}
    assert (
        "Laser Reverse will contact you"
        in confirmation.get_payload(0).get_payload(decode=True).decode()
    )


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
    assert "worker_delivered sent=2 failed=0" in caplog.messages
    assert len(smtp_server.messages) == 2
