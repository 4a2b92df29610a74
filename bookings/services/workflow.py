"""What staff do to an enquiry: re-route it, move its status, add notes, manage its emails."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    Notification,
    StaffUser,
)
from bookings.services import emails
from restoration_site.common.clinic_clock import appointment_label_with_zone


def record_staff_activity(*, enquiries: QuerySet[ConsultationRequest]) -> None:
    """Move the retention clock of these enquiries on: staff are working on them."""
    enquiries.update(last_activity_at=timezone.now())


def why_not_reroutable(*, enquiry: ConsultationRequest) -> str | None:
    """Why the enquiry cannot be passed to another clinic now, or None. A booked appointment
    holds a time in its own clinic's calendar, and its emails and invite come from that clinic:
    it is cancelled first (the client is told), then the enquiry passed on."""
    appointment = (
        Appointment.objects.booked().filter(request_id=enquiry.pk).select_related("clinic").first()
    )
    if appointment is None:
        return None
    return (
        f"It has an appointment booked at {appointment.clinic} on "
        f"{appointment_label_with_zone(appointment.starts_at)}: cancel the appointment first "
        "(the client is told), then pass the enquiry on."
    )


def reroute_enquiry(
    *, enquiry: ConsultationRequest, clinic: Clinic, by: StaffUser | None, reason: str
) -> ConsultationRequest:
    """Hand an enquiry to another clinic: recorded on the enquiry and in its history; the new
    clinic is sent the enquiry and the client is told who will contact them now. An enquiry
    with a booked appointment is refused (ValueError, saying why: `why_not_reroutable`)."""
    if refusal := why_not_reroutable(enquiry=enquiry):
        raise ValueError(refusal)
    previous = enquiry.clinic
    now = timezone.now()
    with transaction.atomic():
        enquiry.clinic = clinic
        enquiry.routed_at = now
        enquiry.routed_by = by
        enquiry.routed_by_rule = None
        enquiry.routing_reason = reason or f"Re-routed by {by}"
        enquiry.last_activity_at = now
        enquiry.save()
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.REROUTED,
            description=f"Re-routed from {previous} to {clinic}: {enquiry.routing_reason}",
            actor=by,
        )
        emails.queue_reroute_notifications(enquiry=enquiry, now=now)
    return enquiry


def change_status(
    *, enquiry: ConsultationRequest, status: str, by: StaffUser | None
) -> ConsultationRequest:
    """Move an enquiry along the pipeline, stamped with who and when."""
    if status == enquiry.status:
        return enquiry
    previous = enquiry.get_status_display()
    fields = ["status", "status_changed_at", "status_changed_by", "last_activity_at", "updated_at"]
    if by is not None and enquiry.status == ConsultationRequest.Status.NEW:
        fields += mark_first_contact(enquiry=enquiry, now=timezone.now())
    enquiry.status = status
    enquiry.status_changed_at = enquiry.last_activity_at = timezone.now()
    enquiry.status_changed_by = by
    # Inside a booking's transaction no savepoint is needed: a failure undoes the whole booking.
    with transaction.atomic(savepoint=False):
        enquiry.save(update_fields=fields)
        status_event(enquiry=enquiry, previous=previous, by=by).save()
    return enquiry


def mark_first_contact(*, enquiry: ConsultationRequest, now: datetime.datetime) -> list[str]:
    """Stamp the enquiry's first contact by staff, once (the report's response time); returns
    the fields to save, none when it was stamped before."""
    if enquiry.first_contact_at is not None:
        return []
    enquiry.first_contact_at = now
    return ["first_contact_at"]


def status_event(
    *, enquiry: ConsultationRequest, previous: str, by: StaffUser | None
) -> EnquiryEvent:
    """The history line of a status change to the enquiry's status now, not yet saved."""
    return EnquiryEvent(
        request=enquiry,
        kind=EnquiryEvent.Kind.STATUS,
        description=f"Status: {previous} → {enquiry.get_status_display()}",
        actor=by,
    )


def add_note(*, enquiry: ConsultationRequest, author: StaffUser | None, text: str) -> EnquiryNote:
    """An internal note on the enquiry; writing one is working on it."""
    with transaction.atomic():
        note = EnquiryNote.objects.create(request=enquiry, author=author, text=text)
        record_staff_activity(enquiries=ConsultationRequest.objects.filter(pk=enquiry.pk))
    return note


def resend_notifications(*, notifications: QuerySet[Notification]) -> int:
    """Queue emails again (a "resend" from the admin); the worker sends them shortly.

    Any email can be resent, whatever its status: a sent one goes again, and a refused or
    cancelled one is queued again. A client's confirmation goes to the address the enquiry
    holds now, so an email refused for a mistyped address reaches the client once staff have
    corrected it.
    """
    with transaction.atomic():
        ids = list(notifications.values_list("pk", flat=True))
        for notification in Notification.objects.filter(
            pk__in=ids, kind__in=Notification.TO_CLIENT
        ).select_related("request"):
            if notification.recipients != [notification.request.email]:
                notification.recipients = [notification.request.email]
                notification.save(update_fields=["recipients"])
        count = Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.PENDING,
            next_attempt_at=timezone.now(),
            locked_until=None,
            last_error="",
        )
        _record_work_on_emails(ids)
    return count


def cancel_notifications(*, notifications: QuerySet[Notification]) -> int:
    """Stop emails that have not gone yet (staff reached the client another way, or the
    address is wrong); a cancelled email can be queued again with a resend."""
    with transaction.atomic():
        ids = list(notifications.unsent().values_list("pk", flat=True))
        count = Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.CANCELLED, locked_until=None
        )
        _record_work_on_emails(ids)
    return count


def _record_work_on_emails(ids: list[int]) -> None:
    """Resending or cancelling an enquiry's emails is working on the enquiry."""
    record_staff_activity(enquiries=ConsultationRequest.objects.filter(notifications__pk__in=ids))


def correct_client_email(
    *, enquiry: ConsultationRequest, email: str, by: StaffUser | None
) -> ConsultationRequest:
    """Put right a client's email address (one the mail server refused, say), recorded in the
    enquiry's history without either address; a resend then reaches the new one."""
    with transaction.atomic():
        enquiry.email = email
        enquiry.last_activity_at = timezone.now()
        enquiry.save(update_fields=["email", "last_activity_at", "updated_at"])
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.CORRECTED,
            description="Client's email address corrected",
            actor=by,
        )
    return enquiry
