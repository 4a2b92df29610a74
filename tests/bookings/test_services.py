import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from bookings.models import Clinic, ConsultationRequest, EnquiryEvent, Notification, RoutingRule
from bookings.services import exports, outbox, privacy, workflow
from tests.factories import AppointmentFactory, make_enquiry, staff_user
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def test_an_enquiry_gets_a_human_readable_reference():
    enquiry = make_enquiry()
    assert re.fullmatch(rf"RU-{timezone.now():%Y}-\d{{6}}", enquiry.reference)
    assert enquiry.reference.endswith(f"{enquiry.pk:06d}")


def test_an_enquiry_records_the_consent_time_and_privacy_policy_version(settings):
    enquiry = make_enquiry()
    assert abs((timezone.now() - enquiry.consent_given_at).total_seconds()) < 5
    assert enquiry.privacy_policy_version == settings.PRIVACY_POLICY_VERSION


@pytest.mark.parametrize("enquiry_type", ["laser_smp", "laser_tattoo"])
def test_laser_removal_enquiries_go_to_laser_reverse_with_restoration_u_copied(enquiry_type):
    enquiry = make_enquiry(enquiry_type=enquiry_type)
    staff = enquiry.notifications.get(kind=Notification.Kind.STAFF)
    copy = enquiry.notifications.get(kind=Notification.Kind.COPY)
    assert enquiry.clinic.slug == "laser-reverse"
    assert staff.recipients == [Clinic.objects.get(slug="laser-reverse").email]
    assert copy.recipients == [Clinic.objects.get(slug="restoration-u").email]


@pytest.mark.parametrize("enquiry_type", ["new_smp", "smp_correction", "other"])
def test_other_enquiries_stay_with_restoration_u(enquiry_type):
    enquiry = make_enquiry(enquiry_type=enquiry_type)
    assert enquiry.clinic.slug == "restoration-u"
    assert not enquiry.notifications.filter(kind=Notification.Kind.COPY).exists()


def test_routing_follows_the_rules_staff_edit():
    RoutingRule.objects.filter(enquiry_type="other").update(
        clinic=Clinic.objects.get(slug="laser-reverse")
    )
    assert make_enquiry(enquiry_type="other").clinic.slug == "laser-reverse"


def test_the_hand_off_is_recorded_on_the_enquiry():
    enquiry = make_enquiry(enquiry_type="laser_smp")
    assert enquiry.routed_by_rule == RoutingRule.objects.get(enquiry_type="laser_smp")
    assert "Laser Reverse" in enquiry.routing_reason
    assert enquiry.events.get().kind == EnquiryEvent.Kind.ROUTED


def test_an_enquiry_and_its_two_emails_are_stored_without_sending_anything():
    enquiry = make_enquiry()
    kinds = sorted(enquiry.notifications.values_list("kind", flat=True))
    assert kinds == ["client", "staff"]
    assert set(enquiry.notifications.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []


def test_an_enquiry_can_leave_the_client_email_to_its_booking_and_still_tell_the_clinics():
    enquiry = make_enquiry(enquiry_type="laser_smp", acknowledge_client=False)
    assert sorted(enquiry.notifications.values_list("kind", flat=True)) == ["copy", "staff"]


def test_spam_is_stored_flagged_and_sends_no_email():
    enquiry = make_enquiry(is_spam=True)
    assert enquiry.is_spam
    assert not enquiry.notifications.exists()


def test_photos_are_stored_outside_the_public_media_folder_under_a_new_name(settings):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    path = enquiry.photos.get().image.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "IMG_0001" not in path


def test_photos_are_stored_without_the_camera_or_the_place_they_were_taken():
    upload = photo_with_exif()
    with Image.open(upload) as sent:
        assert sent.getexif()[0x010F] == "CameraMaker"
        assert sent.getexif().get_ifd(0x8825)  # GPS
    enquiry = make_enquiry(photos=[upload])
    with enquiry.photos.get().image.open("rb") as file, Image.open(file) as stored:
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(0x8825)


def test_sending_delivers_each_pending_email_once():
    make_enquiry()
    first = outbox.send_pending_notifications()
    second = outbox.send_pending_notifications()
    assert (first.sent, second.sent) == (2, 0)
    assert len(mail.outbox) == 2


def test_the_staff_email_has_the_reference_a_reply_to_the_client_and_both_text_and_html():
    enquiry = make_enquiry(email="casey@client.example")
    outbox.send_pending_notifications()
    (staff,) = [m for m in mail.outbox if m.to == [enquiry.clinic.email]]
    assert enquiry.reference in staff.subject
    assert staff.reply_to == ["casey@client.example"]
    assert staff.alternatives[0].mimetype == "text/html"
    assert f"/admin/bookings/consultationrequest/{enquiry.pk}/change/" in staff.body


def test_the_staff_email_leaves_out_the_message_and_photos():
    enquiry = make_enquiry(message="I have alopecia areata and a scar.", photos=[photo_with_exif()])
    outbox.send_pending_notifications()
    (staff,) = [m for m in mail.outbox if m.to == [enquiry.clinic.email]]
    assert "alopecia" not in staff.body
    assert "alopecia" not in staff.alternatives[0].content
    assert staff.attachments == []
    assert "1 photo" in staff.body


def test_the_client_is_told_who_will_contact_them_and_when():
    enquiry = make_enquiry(enquiry_type="laser_smp", email="casey@client.example")
    outbox.send_pending_notifications()
    (client,) = [m for m in mail.outbox if m.to == ["casey@client.example"]]
    assert enquiry.reference in client.subject
    assert "Laser Reverse will contact you within one working day by email" in client.body
    assert "My hairline" not in client.body


def test_a_failed_send_is_kept_and_retried_later_with_backoff(settings, monkeypatch):
    make_enquiry()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    report = outbox.send_pending_notifications()
    assert (report.sent, report.failed) == (0, 2)
    failed = Notification.objects.first()
    assert failed.status == Notification.Status.RETRYING
    assert failed.attempts == 1
    assert "SMTPConnectError" in failed.last_error
    assert failed.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)


def test_a_failed_email_is_delivered_once_the_server_is_back(monkeypatch):
    make_enquiry()
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send",
        lambda *a, **k: (_ for _ in ()).throw(OSError("connection refused")),
    )
    outbox.send_pending_notifications()
    monkeypatch.undo()
    Notification.objects.update(next_attempt_at=timezone.now())
    assert outbox.send_pending_notifications().sent == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.first().last_error == ""


def test_backoff_grows_and_stops_at_the_ceiling(settings):
    settings.NOTIFICATION_MAX_BACKOFF_SECONDS = 3600
    assert [outbox.backoff_seconds(attempts=n) for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff_seconds(attempts=40) == 3600


def test_an_email_claimed_by_one_worker_is_not_claimed_by_another():
    make_enquiry()
    first = outbox.claim_due_notifications(batch=10)
    assert len(first) == 2
    assert outbox.claim_due_notifications(batch=10) == []


def test_an_email_whose_worker_died_is_taken_over_after_its_lease_runs_out():
    make_enquiry()
    outbox.claim_due_notifications(batch=10)  # a worker claims, then dies before sending
    Notification.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert outbox.send_pending_notifications().sent == 2
    assert len(mail.outbox) == 2


def test_an_email_whose_lease_ran_out_mid_batch_is_sent_only_by_the_worker_that_took_it_over():
    make_enquiry()
    slow_worker_batch = outbox.claim_due_notifications(batch=10)
    # The slow worker is still busy when the leases run out, and another worker claims them.
    Notification.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    other_worker_batch = outbox.claim_due_notifications(batch=10)
    outcomes = [outbox.deliver_notification(notification=n) for n in slow_worker_batch]
    assert outcomes == [None, None]
    assert [outbox.deliver_notification(notification=n) for n in other_worker_batch] == [
        "sent",
        "sent",
    ]
    assert len(mail.outbox) == 2


def test_a_worker_renews_its_lease_just_before_sending(settings):
    settings.NOTIFICATION_LEASE_SECONDS = 120
    make_enquiry()
    notification = outbox.claim_due_notifications(batch=1)[0]
    Notification.objects.filter(pk=notification.pk).update(
        locked_until=timezone.now() + datetime.timedelta(seconds=1)
    )
    notification.refresh_from_db()
    assert outbox.renew_lease(notification=notification)
    remaining = notification.locked_until - timezone.now()
    assert remaining > datetime.timedelta(seconds=100)


def test_rerouting_records_who_why_and_emails_the_new_clinic():
    enquiry = make_enquiry(enquiry_type="other")
    manager = staff_user("restoration-u")
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    workflow.reroute_enquiry(enquiry=enquiry, clinic=laser_reverse, by=manager, reason="Tattoo")
    enquiry.refresh_from_db()
    assert (enquiry.clinic, enquiry.routed_by, enquiry.routing_reason) == (
        laser_reverse,
        manager,
        "Tattoo",
    )
    assert enquiry.events.filter(kind=EnquiryEvent.Kind.REROUTED, actor=manager).exists()
    rerouted = enquiry.notifications.get(kind=Notification.Kind.REROUTED)
    assert rerouted.recipients == [laser_reverse.email]


def test_rerouting_an_enquiry_with_a_booked_appointment_is_refused():
    enquiry = AppointmentFactory().request
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    with pytest.raises(ValueError, match="cancel the appointment first"):
        workflow.reroute_enquiry(enquiry=enquiry, clinic=laser_reverse, by=None, reason="Tattoo")
    enquiry.refresh_from_db()
    assert enquiry.clinic.slug == "restoration-u"


def test_a_status_change_is_stamped_with_who_and_when():
    enquiry = make_enquiry()
    user = staff_user()
    workflow.change_status(enquiry=enquiry, status="contacted", by=user)
    enquiry.refresh_from_db()
    assert enquiry.status == "contacted"
    assert enquiry.status_changed_by == user
    assert enquiry.events.filter(kind="status", description="Status: New → Contacted").exists()


def test_expired_enquiries_are_purged_with_their_photos(
    settings, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_RETENTION_DAYS = 30
    old_closed = make_enquiry(photos=[photo_with_exif()])
    photo_path = old_closed.photos.get().image.path
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ConsultationRequest.objects.filter(pk=old_closed.pk).update(
        status="closed_treated", last_activity_at=long_ago
    )
    untouched = make_enquiry()
    ConsultationRequest.objects.filter(pk=untouched.pk).update(last_activity_at=long_ago)
    recent = make_enquiry()
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.purge_expired_enquiries() == 2
    assert list(ConsultationRequest.objects.all()) == [recent]
    assert not Notification.objects.exclude(request=recent).exists()
    import os

    assert not os.path.exists(photo_path)


def test_recently_closed_enquiries_are_kept(settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    enquiry = make_enquiry()
    workflow.change_status(enquiry=enquiry, status="closed_not_proceeding", by=None)
    assert privacy.purge_expired_enquiries() == 0


def test_a_subject_access_export_holds_everything_about_one_person(admin_user):
    mine = make_enquiry(email="casey@client.example", message="Scar at the crown.")
    make_enquiry(email="someone.else@client.example")
    workflow.add_note(enquiry=mine, author=None, text="Called back, booked Tuesday.")
    export = privacy.subject_access_export(email="CASEY@client.example", by=admin_user)
    (entry,) = export["enquiries"]
    assert entry["reference"] == mine.reference
    assert entry["message"] == "Scar at the crown."
    assert entry["notes"][0]["text"] == "Called back, booked Tuesday."
    assert {e["subject"] for e in entry["emails"]} == set(
        mine.notifications.values_list("subject", flat=True)
    )


def test_the_csv_export_cannot_smuggle_a_spreadsheet_formula():
    make_enquiry(full_name='=HYPERLINK("http://evil.example")')
    header, row = list(exports.csv_rows(enquiries=ConsultationRequest.objects.all()))
    assert row[header.index("Name")].startswith("'=")
