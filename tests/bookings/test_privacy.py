"""Retention counts from the last thing anyone did with an enquiry; erasure takes everything
and leaves only the record that it was done; a photo's file goes with its row, however the
row goes."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    Appointment,
    AppointmentLink,
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
)
from bookings.services import appointments, availability, privacy, workflow
from restoration_site.common.clinic_clock import clinic_time
from tests.bookings.helpers import CHANGELIST, change_form, change_url
from tests.bookings.test_appointment_admin import stored_at
from tests.factories import (
    AppointmentFactory,
    AppointmentNotificationFactory,
    hours,
    make_enquiry,
    staff_user,
)
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db
RETENTION_DAYS = 30


@pytest.fixture
def untouched_for_a_long_time(settings):
    """An enquiry whose retention clock ran out yesterday."""
    settings.ENQUIRY_RETENTION_DAYS = RETENTION_DAYS
    enquiry = make_enquiry()
    long_ago = timezone.now() - datetime.timedelta(days=RETENTION_DAYS + 1)
    ConsultationRequest.objects.filter(pk=enquiry.pk).update(
        last_activity_at=long_ago, created_at=long_ago
    )
    return enquiry


def test_an_enquiry_nobody_touched_within_the_retention_period_is_purged(
    untouched_for_a_long_time,
):
    assert privacy.purge_expired_enquiries() == 1


@pytest.mark.parametrize(
    "staff_action",
    [
        lambda e, user: workflow.add_note(enquiry=e, author=user, text="Left a voicemail."),
        lambda e, user: workflow.change_status(enquiry=e, status="contacted", by=user),
        lambda e, user: workflow.reroute_enquiry(
            enquiry=e, clinic=Clinic.objects.get(slug="laser-reverse"), by=user, reason="Tattoo"
        ),
        lambda e, user: workflow.resend_notifications(notifications=e.notifications.all()),
        lambda e, user: workflow.cancel_notifications(notifications=e.notifications.all()),
        lambda e, user: workflow.correct_client_email(
            enquiry=e, email="jamie.b@client.example", by=user
        ),
    ],
    ids=["note", "status", "re-route", "resend", "cancel", "correction"],
)
def test_any_staff_action_restarts_the_retention_clock(untouched_for_a_long_time, staff_action):
    staff_action(ConsultationRequest.objects.get(), staff_user())
    assert privacy.purge_expired_enquiries() == 0


def test_a_note_added_in_the_admin_keeps_the_enquiry(client, untouched_for_a_long_time):
    client.force_login(staff_user("restoration-u"))
    enquiry = untouched_for_a_long_time
    client.post(
        change_url(enquiry),
        change_form(enquiry, **{"notes-TOTAL_FORMS": "1", "notes-0-text": "Called, no answer."}),
    )
    assert EnquiryNote.objects.filter(request=enquiry).exists()
    assert privacy.purge_expired_enquiries() == 0


def test_a_superuser_erases_an_enquiry_with_its_photos_notes_and_emails(
    admin_client, django_capture_on_commit_callbacks
):
    enquiry = make_enquiry(
        full_name="Robin Erase", email="robin@client.example", photos=[photo_with_exif()]
    )
    workflow.add_note(enquiry=enquiry, author=None, text="Asked us to delete everything.")
    photo_path = enquiry.photos.get().image.path
    confirmation = admin_client.post(
        CHANGELIST, {"action": "erase", "_selected_action": [enquiry.pk]}
    )
    assert "deleted for good" in confirmation.content.decode()
    assert ConsultationRequest.objects.filter(pk=enquiry.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            CHANGELIST,
            {
                "action": "erase",
                "_selected_action": [enquiry.pk],
                "confirm_erasure": "yes",
                "reason": Erasure.Reason.REQUEST,
            },
        )
    assert not ConsultationRequest.objects.exists()
    for model in (EnquiryNote, EnquiryPhoto, EnquiryEvent, Notification):
        assert not model.objects.exists()
    import os

    assert not os.path.exists(photo_path)


def test_an_erasure_is_recorded_without_anything_about_the_person(admin_client, admin_user):
    enquiry = make_enquiry(full_name="Robin Erase", email="robin@client.example")
    privacy.erase_enquiry(enquiry=enquiry, by=admin_user, reason=Erasure.Reason.REQUEST)
    record = Erasure.objects.get()
    assert (record.reference, record.erased_by, record.emails) == (enquiry.reference, admin_user, 2)
    stored = " ".join(str(value) for value in Erasure.objects.values().get().values())
    assert "Robin" not in stored and "robin@" not in stored
    listing = admin_client.get(reverse("admin:bookings_erasure_changelist")).content.decode()
    assert enquiry.reference in listing


def test_reception_can_neither_erase_nor_delete_an_enquiry(client):
    enquiry = make_enquiry()
    client.force_login(staff_user("restoration-u"))
    client.post(
        CHANGELIST,
        {
            "action": "erase",
            "_selected_action": [enquiry.pk],
            "confirm_erasure": "yes",
            "reason": "request",
        },
    )
    delete = client.post(
        reverse("admin:bookings_consultationrequest_delete", args=[enquiry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ConsultationRequest.objects.filter(pk=enquiry.pk).exists()


def test_deleting_a_photo_any_way_removes_its_file_after_commit(
    django_capture_on_commit_callbacks,
):
    enquiry = make_enquiry(photos=[photo_with_exif(), photo_with_exif()])
    paths = [photo.image.path for photo in enquiry.photos.all()]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        EnquiryPhoto.objects.filter(request=enquiry).delete()
    import os

    assert all(os.path.exists(path) for path in paths)  # not before the commit
    for callback in pending:
        callback()
    assert not any(os.path.exists(path) for path in paths)


def test_a_delete_that_is_rolled_back_keeps_the_photo_file():
    from django.db import transaction

    enquiry = make_enquiry(photos=[photo_with_exif()])
    path = enquiry.photos.get().image.path

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        enquiry.delete()
        raise Undo
    import os

    assert os.path.exists(path)


def resend_through_both_lists(client, enquiry) -> None:
    emails = list(enquiry.notifications.values_list("pk", flat=True))
    client.post(CHANGELIST, {"action": "resend", "_selected_action": [enquiry.pk]})
    client.post(
        reverse("admin:bookings_notification_changelist"),
        {"action": "resend", "_selected_action": emails},
    )


def test_a_member_of_staff_who_may_only_view_cannot_resend_emails(client):
    enquiry = make_enquiry()
    viewer = User.objects.create_user("viewer", password="a-long-staff-password-123")
    viewer.is_staff = True
    viewer.save()
    reception = Group.objects.get(name="Reception")
    viewer.user_permissions.set(
        reception.permissions.exclude(codename="change_consultationrequest")
    )
    enquiry.clinic.staff.create(user=viewer)
    Notification.objects.update(status=Notification.Status.SENT)
    client.force_login(viewer)
    resend_through_both_lists(client, enquiry)
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_reception_resends_emails_from_either_list(client):
    enquiry = make_enquiry()
    Notification.objects.update(status=Notification.Status.SENT)
    client.force_login(staff_user("restoration-u"))
    resend_through_both_lists(client, enquiry)
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}


# APPOINTMENTS


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_an_upcoming_appointment_keeps_an_enquiry_nobody_has_touched(untouched_for_a_long_time):
    AppointmentFactory(request=untouched_for_a_long_time)
    assert privacy.purge_expired_enquiries() == 0


@pytest.mark.parametrize(
    ("appointment_days_ago", "purged"),
    [(RETENTION_DAYS - 1, 0), (RETENTION_DAYS + 1, 1)],
    ids=["within-retention", "beyond-retention"],
)
def test_retention_counts_from_a_booked_appointments_time(
    untouched_for_a_long_time, appointment_days_ago, purged
):
    appointment = AppointmentFactory(request=untouched_for_a_long_time)
    stored_at(appointment, days_ago(appointment_days_ago))
    assert privacy.purge_expired_enquiries() == purged
    assert Appointment.objects.count() == 1 - purged


def test_a_cancelled_appointment_does_not_keep_an_enquiry(untouched_for_a_long_time):
    appointment = AppointmentFactory(request=untouched_for_a_long_time)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    assert privacy.purge_expired_enquiries() == 1
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda appointment, user: appointments.cancel_appointment(
            appointment=appointment, reason="Unwell", by=user
        ),
        lambda appointment, user: appointments.reschedule_appointment(
            appointment=appointment,
            starts_at=appointment.starts_at + datetime.timedelta(hours=2),
            practitioner=appointment.practitioner,
            outside_hours=True,
            by=user,
        ),
    ],
    ids=["cancel", "move"],
)
def test_moving_or_cancelling_an_appointment_restarts_the_retention_clock(
    untouched_for_a_long_time, change
):
    appointment = AppointmentFactory(request=untouched_for_a_long_time)
    stored_at(appointment, days_ago(RETENTION_DAYS + 1) + datetime.timedelta(days=40))
    appointment.refresh_from_db()
    change(appointment, staff_user())
    Appointment.objects.update(status=Appointment.Status.CANCELLED)  # only the clock holds it
    assert privacy.purge_expired_enquiries() == 0


def test_a_subject_access_export_holds_the_appointment(admin_user, reception_user):
    enquiry = make_enquiry(email="casey@client.example")
    appointment = AppointmentFactory(
        request=enquiry,
        starts_at=datetime.datetime(2027, 7, 12, 9, 30, tzinfo=datetime.UTC),
        practitioner__name="Amelia Hart",
        consultation_type__name="Free SMP consultation",
    )
    appointments.cancel_appointment(appointment=appointment, reason="Moving abroad", by=admin_user)
    export = privacy.subject_access_export(email="casey@client.example", by=reception_user)
    (entry,) = export["enquiries"]
    assert entry["appointment"] | {"booked_at": None, "cancelled_at": None} == {
        "starts_at": "Monday 12 July 2027, 10:30 UK time",
        "starts_at_utc": "2027-07-12T09:30:00+00:00",
        "ends_at_utc": "2027-07-12T10:00:00+00:00",
        "clinic": "Restoration U",
        "practitioner": "Amelia Hart",
        "consultation_type": "Free SMP consultation",
        "booked": "Online",
        "booked_at": None,
        "status": "Cancelled",
        "cancelled_at": None,
        "cancelled_by": "Staff",
        "cancel_reason": "Moving abroad",
        "outcome": None,
    }
    assert any("cancelled" in email["subject"] for email in entry["emails"])


def test_an_enquiry_without_an_appointment_exports_none(reception_user):
    make_enquiry(email="casey@client.example")
    export = privacy.subject_access_export(email="casey@client.example", by=reception_user)
    assert export["enquiries"][0]["appointment"] is None


def test_erasure_takes_the_appointment_its_links_and_emails_and_frees_the_time(admin_user):
    enquiry = make_enquiry()
    appointment = AppointmentFactory(request=enquiry)
    hours(
        appointment.practitioner,
        clinic_time(appointment.starts_at).weekday(),
        "09:00",
        "17:00",
    )
    AppointmentLink.objects.create(
        appointment=appointment, token_hash="a" * 64, expires_at=appointment.ends_at
    )
    AppointmentNotificationFactory(appointment=appointment)

    def offered() -> bool:
        return availability.is_offered(
            consultation_type=appointment.consultation_type,
            practitioner_id=appointment.practitioner_id,
            starts_at=appointment.starts_at,
            now=timezone.now(),
            for_staff=True,
        )

    assert not offered()
    privacy.erase_enquiry(enquiry=enquiry, by=admin_user, reason=Erasure.Reason.REQUEST)
    for model in (Appointment, AppointmentLink, Notification):
        assert not model.objects.exists()
    assert offered()


@pytest.fixture
def reception_user():
    return staff_user("restoration-u")
