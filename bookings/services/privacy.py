"""Personal data over time: the retention purge, photo files, erasure and subject access."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bookings.models import ConsultationRequest, EnquiryEvent, EnquiryPhoto, Erasure, StaffUser

logger = logging.getLogger("restoration.bookings")


def purge_expired_enquiries(*, now: datetime.datetime | None = None) -> int:
    """Delete enquiries nobody has worked on for longer than the retention period (counted
    from the request or the latest staff action on it), with their photos, notes, history and
    emails. Returns how many enquiries were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
    expired = ConsultationRequest.objects.filter(last_activity_at__lt=cutoff)
    deleted = 0
    for pk in list(expired.values_list("pk", flat=True)):
        # One transaction each keeps the write lock short; the photo files go after commit.
        with transaction.atomic():
            ConsultationRequest.objects.filter(pk=pk, last_activity_at__lt=cutoff).delete()
        deleted += 1
    if deleted:
        logger.info("enquiries_purged count=%s", deleted)
    return deleted


def delete_photo_file(*, instance: EnquiryPhoto, **kwargs: object) -> None:
    """Remove a photo's file once its row is deleted for good, however it was deleted (an
    erasure, the purge, a cascade); after commit, so a rolled-back delete keeps its photo."""
    storage, name = instance.image.storage, instance.image.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def erase_enquiry(*, enquiry: ConsultationRequest, by: StaffUser | None, reason: str) -> Erasure:
    """Delete an enquiry with its photos, notes, history and emails (the right to erasure),
    leaving a record that says it was done and nothing about the person."""
    with transaction.atomic():
        erasure = Erasure.objects.create(
            reference=enquiry.reference,
            clinic_id=enquiry.clinic_id,
            reason=reason,
            erased_by=by,
            photos=enquiry.photos.count(),
            notes=enquiry.notes.count(),
            emails=enquiry.notifications.count(),
        )
        enquiry.delete()
    logger.info("enquiry_erased reference=%s reason=%s", erasure.reference, reason)
    return erasure


def subject_access_export(*, email: str, by: StaffUser) -> dict:
    """Everything stored about one person (by email address) that this member of staff may
    see, for a subject access request; another clinic's enquiries are that clinic's to give."""
    enquiries = (
        ConsultationRequest.objects.for_staff(by)
        .filter(email__iexact=email)
        .select_related("clinic")
        .prefetch_related("photos", "notes", "events", "notifications")
    )
    export = {"email": email, "exported_at": timezone.now().isoformat(), "enquiries": []}
    for enquiry in enquiries:
        export["enquiries"].append(
            {
                "reference": enquiry.reference,
                "created_at": enquiry.created_at.isoformat(),
                "full_name": enquiry.full_name,
                "email": enquiry.email,
                "phone": enquiry.phone,
                "contact_method": enquiry.get_contact_method_display(),
                "enquiry_type": enquiry.get_enquiry_type_display(),
                "preferred_dates": enquiry.preferred_dates,
                "preferred_time": enquiry.get_preferred_time_display(),
                "message": enquiry.message,
                "heard_about": enquiry.get_heard_about_display(),
                "consent_given_at": enquiry.consent_given_at.isoformat(),
                "privacy_policy_version": enquiry.privacy_policy_version,
                "marketing_opt_in": enquiry.marketing_opt_in,
                "clinic": enquiry.clinic.name,
                "status": enquiry.get_status_display(),
                "photos": [photo.image.name.rsplit("/", 1)[-1] for photo in enquiry.photos.all()],
                "notes": [
                    {"at": note.created_at.isoformat(), "text": note.text}
                    for note in enquiry.notes.all()
                ],
                "history": [
                    {"at": event.created_at.isoformat(), "event": event.description}
                    for event in enquiry.events.all()
                ],
                "emails": [
                    {"subject": n.subject, "to": n.recipients, "status": n.get_status_display()}
                    for n in enquiry.notifications.all()
                ],
            }
        )
    EnquiryEvent.objects.bulk_create(
        EnquiryEvent(
            request=enquiry,
            kind=EnquiryEvent.Kind.EXPORTED,
            description="Subject access export",
            actor=by,
        )
        for enquiry in enquiries
    )
    return export
