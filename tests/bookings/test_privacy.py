"""Retention counts from the last thing anyone did with an enquiry; erasure takes everything
and leaves only the record that it was done; a photo's file goes with its row, however the
row goes."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
)
from bookings.services import privacy, workflow
from tests.bookings.helpers import CHANGELIST, change_form, change_url
from tests.factories import make_enquiry, staff_user
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
