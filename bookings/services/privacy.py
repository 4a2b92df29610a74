"""Personal data over time: the retention purge, photo files, erasure and subject access."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bookings.models import (
    Appointment,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryPhoto,
    Erasure,
    StaffUser,
    TimeOffer,
    WaitingListEntry,
)
from restoration_site.common.clinic_clock import appointment_label_with_zone

logger = logging.getLogger("restoration.bookings")


def _expired(*, cutoff: datetime.datetime):
    """Enquiries whose retention clock ran out before `cutoff`: nobody has worked on them
    since, and they hold no booked appointment at or after it. A booked appointment is the
    enquiry's latest activity until its time has passed, so a client booked far ahead is
    never purged before they come (nor soon after)."""
    booked_since = Appointment.objects.booked().filter(
        request=OuterRef("pk"), starts_at__gte=cutoff
    )
    return ConsultationRequest.objects.filter(last_activity_at__lt=cutoff).exclude(
        Exists(booked_since)
    )


def purge_expired_enquiries(*, now: datetime.datetime | None = None) -> int:
    """Delete enquiries nobody has worked on for longer than the retention period (counted
    from the request, the latest staff action on it or its booked appointment's time), with
    their photos, notes, history, emails and appointment. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
    deleted = 0
    for pk in list(_expired(cutoff=cutoff).values_list("pk", flat=True)):
        # One transaction each keeps the write lock short; the photo files go after commit.
        with transaction.atomic():
            deleted += bool(_expired(cutoff=cutoff).filter(pk=pk).delete()[0])
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
    """Delete an enquiry with its photos, notes, history, emails and appointment (the right
    to erasure; the appointment's time is free again at once), leaving a record that says it
    was done and nothing about the person."""
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
    appointments = {
        appointment.request_id: appointment
        for appointment in Appointment.objects.for_staff(by)
        .filter(request__in=enquiries)
        .select_related("practitioner", "consultation_type", "clinic")
    }
    waiting = {
        entry.request_id: entry
        for entry in WaitingListEntry.objects.for_staff(by)
        .filter(request__in=enquiries)
        .select_related("practitioner", "consultation_type", "clinic")
        .prefetch_related("offers__practitioner")
    }
    offered: dict[int, list[TimeOffer]] = {}
    for offer in (
        TimeOffer.objects.for_staff(by)
        .filter(request__in=enquiries)
        .select_related("consultation_type")
        .prefetch_related("times__practitioner")
        .order_by("created_at", "pk")
    ):
        offered.setdefault(offer.request_id, []).append(offer)
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
                "appointment": _appointment_export(appointments.get(enquiry.pk)),
                "waiting_list": _waiting_list_export(waiting.get(enquiry.pk)),
                "times_offered": [_time_offer_export(o) for o in offered.get(enquiry.pk, [])],
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


def _appointment_export(appointment: Appointment | None) -> dict | None:
    """An appointment as its client may read it: the time as the clinic's clock showed it
    and in UTC, who and what it was with, and what became of it. The staff member who booked
    it is not the client's data: only how it was booked."""
    if appointment is None:
        return None
    return {
        "starts_at": appointment_label_with_zone(appointment.starts_at),
        "starts_at_utc": appointment.starts_at.isoformat(),
        "ends_at_utc": appointment.ends_at.isoformat(),
        "clinic": appointment.clinic.name,
        "practitioner": appointment.practitioner.name,
        "consultation_type": appointment.consultation_type.name,
        "booked": "By phone" if appointment.booked_by_id else "Online",
        "booked_at": appointment.created_at.isoformat(),
        "status": appointment.get_status_display(),
        "cancelled_at": appointment.cancelled_at.isoformat() if appointment.cancelled_at else None,
        "cancelled_by": appointment.get_cancelled_by_display() or None,
        "cancel_reason": appointment.cancel_reason or None,
        "outcome": appointment.get_outcome_display() or None,
    }


def _time_offer_export(offer: TimeOffer) -> dict:
    """Times the clinic offered by email, and what became of the offer (the email itself is
    among the enquiry's)."""
    return {
        "offered_at": offer.created_at.isoformat(),
        "consultation_type": offer.consultation_type.name,
        "times": [
            {
                "starts_at": appointment_label_with_zone(time.starts_at),
                "starts_at_utc": time.starts_at.isoformat(),
                "practitioner": time.practitioner.name,
            }
            for time in offer.times.all()
        ],
        "book_by": appointment_label_with_zone(offer.expires_at),
        "status": offer.get_status_display(),
    }


def _waiting_list_export(entry: WaitingListEntry | None) -> dict | None:
    """What a client on the waiting list asked for and every time offered to them, with what
    became of each (the offer emails are among the enquiry's)."""
    if entry is None:
        return None
    return {
        "joined_at": entry.created_at.isoformat(),
        "clinic": entry.clinic.name,
        "consultation_type": entry.consultation_type.name,
        "practitioner": entry.practitioner.name if entry.practitioner else "Any practitioner",
        "earliest": entry.earliest.isoformat(),
        "latest": entry.latest.isoformat(),
        "time_of_day": entry.get_time_of_day_display(),
        "status": entry.get_status_display(),
        "offers": [
            {
                "starts_at": appointment_label_with_zone(offer.starts_at),
                "starts_at_utc": offer.starts_at.isoformat(),
                "practitioner": offer.practitioner.name,
                "offered_at": offer.created_at.isoformat(),
                "book_by": appointment_label_with_zone(offer.expires_at),
                "status": offer.get_status_display(),
            }
            for offer in entry.offers.all()
        ],
    }
