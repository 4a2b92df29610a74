"""Keeping out everyone who does not belong in the staff admin."""

import io
import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, make_enquiry, staff_user
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")


def attempt(client, username: str, password: str, ip: str = "198.51.100.7", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


@pytest.fixture
def reception():
    return staff_user("restoration-u")


def test_five_wrong_passwords_lock_the_account_from_that_address(client, reception, caplog):
    for _ in range(5):
        attempt(client, reception.username, "wrong-password")
    with caplog.at_level(logging.WARNING, logger="restoration.security"):
        response = attempt(client, reception.username, STAFF_PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused for this account" in response.content.decode()
    assert any(
        "admin_lockout username=reception-restoration-u" in r.message for r in caplog.records
    )


def test_the_lockout_is_per_account_and_address(client, reception):
    for _ in range(5):
        attempt(client, reception.username, "wrong-password")
    response = attempt(client, reception.username, STAFF_PASSWORD, ip="198.51.100.99")
    assert response.status_code == 302


def test_failed_attempts_are_visible_to_a_superuser(admin_client, client, reception):
    attempt(client, reception.username, "wrong-password")
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert reception.username in page


def test_a_superuser_can_unlock_an_account(client, reception):
    for _ in range(5):
        attempt(client, reception.username, "wrong-password")
    call_command("axes_reset_username", reception.username, stdout=io.StringIO())
    assert attempt(client, reception.username, STAFF_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.fixture
def phone(settings, reception):
    """Two-factor sign-in on, and the receptionist's authenticator app."""
    settings.ADMIN_REQUIRE_2FA = True
    return TOTPDevice.objects.create(user=reception, name="phone", confirmed=True)


def code_from(device) -> str:
    return f"{totp(device.bin_key):06d}"


def attempt_with_code(client, user, code: str, **extra):
    return attempt(client, user.username, STAFF_PASSWORD, otp_token=code, **extra)


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(client, phone, reception):
    attempt(client, reception.username, STAFF_PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_with_two_factor_on_the_password_and_the_apps_code_open_the_admin(client, phone, reception):
    response = attempt_with_code(
        client, reception, code_from(phone), otp_device=phone.persistent_id
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_with_two_factor_on_staff_with_one_app_sign_in_without_choosing_a_device(
    client, phone, reception
):
    response = attempt_with_code(client, reception, code_from(phone))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_with_two_factor_on_staff_with_two_devices_are_asked_which_one(client, phone, reception):
    TOTPDevice.objects.create(user=reception, name="tablet", confirmed=True)
    response = attempt_with_code(client, reception, code_from(phone))
    assert response.status_code == 200
    assert "Please select a device." in response.content.decode()


def test_with_two_factor_on_a_wrong_code_is_refused(client, phone, reception):
    response = attempt_with_code(client, reception, "000000", otp_device=phone.persistent_id)
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_enrolling_a_staff_member_prints_the_authenticator_link(reception):
    out = io.StringIO()
    call_command("enrol_totp", reception.username, stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.get(user=reception).confirmed


@pytest.fixture
def other_clinic(client):
    client.force_login(staff_user("laser-reverse"))
    return client


@pytest.fixture
def restoration_u_enquiry():
    return make_enquiry(
        enquiry_type="new_smp", full_name="Private Person", photos=[photo_with_exif()]
    )


def body_of(response) -> str:
    if not response.streaming:
        return response.content.decode()
    return b"".join(response.streaming_content).decode()


def leaks(response, enquiry) -> bool:
    body = body_of(response)
    return enquiry.full_name in body or enquiry.email in body


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:bookings_consultationrequest_change",
        "admin:bookings_consultationrequest_history",
        "admin:bookings_consultationrequest_delete",
    ],
)
def test_another_clinics_enquiry_pages_give_nothing_away(
    other_clinic, restoration_u_enquiry, url_name
):
    response = other_clinic.get(reverse(url_name, args=[restoration_u_enquiry.pk]))
    assert response.status_code in (302, 403, 404)
    assert not leaks(response, restoration_u_enquiry)


def test_guessing_neighbouring_ids_gives_nothing_away(other_clinic, restoration_u_enquiry):
    for guess in range(restoration_u_enquiry.pk - 2, restoration_u_enquiry.pk + 3):
        url = reverse("admin:bookings_consultationrequest_change", args=[guess])
        response = other_clinic.get(url, follow=True)
        assert not leaks(response, restoration_u_enquiry)


def test_another_clinics_notifications_give_nothing_away(other_clinic, restoration_u_enquiry):
    own = make_enquiry(enquiry_type="laser_smp", full_name="Own Client")
    notification = restoration_u_enquiry.notifications.first()
    response = other_clinic.get(
        reverse("admin:bookings_notification_change", args=[notification.pk]), follow=True
    )
    assert notification.subject not in response.content.decode()
    listing = other_clinic.get(reverse("admin:bookings_notification_changelist"))
    assert listing.status_code == 200
    assert own.reference in listing.content.decode()
    assert restoration_u_enquiry.reference not in listing.content.decode()


def test_another_clinics_photos_are_a_404(other_clinic, restoration_u_enquiry):
    photo = restoration_u_enquiry.photos.get()
    assert other_clinic.get(photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "action, extra",
    [
        ("export_csv", {}),
        ("export_csv", {"select_across": "1", "index": "0"}),
        ("export_personal_data", {}),
    ],
    ids=["csv", "csv-of-everything", "subject-access"],
)
def test_exporting_another_clinics_enquiries_gives_nothing_away(
    other_clinic, restoration_u_enquiry, action, extra
):
    # The same person asked Laser Reverse too: its own enquiry is chosen with the other's.
    own = make_enquiry(
        enquiry_type="laser_smp", full_name="Own Client", email=restoration_u_enquiry.email
    )
    response = other_clinic.post(
        reverse("admin:bookings_consultationrequest_changelist"),
        {"action": action, "_selected_action": [own.pk, restoration_u_enquiry.pk], **extra},
    )
    body = body_of(response)
    assert own.reference in body
    assert restoration_u_enquiry.reference not in body
    assert restoration_u_enquiry.full_name not in body


def test_autocomplete_gives_nothing_away(other_clinic, restoration_u_enquiry):
    response = other_clinic.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "bookings",
            "model_name": "staffmember",
            "field_name": "user",
            "term": "Private",
        },
    )
    assert response.status_code in (403, 404)
    assert not leaks(response, restoration_u_enquiry)


def test_reception_staff_cannot_change_routing_rules_or_clinics(other_clinic):
    assert other_clinic.get(reverse("admin:bookings_routingrule_changelist")).status_code == 403
    assert other_clinic.get(reverse("admin:bookings_clinic_changelist")).status_code == 403
