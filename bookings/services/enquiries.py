"""A new consultation request: stored with its photos and reference, its emails queued."""

import datetime
import logging
import os
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bookings.models import ConsultationRequest, EnquiryEvent, EnquiryPhoto, StaffUser
from bookings.services import emails, workflow
from bookings.services.routing import Route, route_enquiry
from restoration_site.common.images import CleanImage


def make_reference(*, enquiry: ConsultationRequest) -> str:
    """The reference the client and both clinics quote: the year and the enquiry's number."""
    return f"RU-{enquiry.created_at:%Y}-{enquiry.pk:06d}"


def create_consultation_request(
    *,
    full_name: str,
    email: str,
    phone: str,
    contact_method: str,
    enquiry_type: str,
    preferred_dates: list[datetime.date],
    preferred_time: str,
    message: str = "",
    heard_about: str = "",
    marketing_opt_in: bool = False,
    source: str = "",
    photos: Iterable[CleanImage] = (),
    is_spam: bool = False,
    acknowledge_client: bool = True,
    route: Route | None = None,
    status: str = ConsultationRequest.Status.NEW,
    by: StaffUser | None = None,
    queue_emails: bool = True,
) -> ConsultationRequest:
    """Store a consultation request and, in the same transaction, the emails it needs.

    Nothing here talks to an SMTP server: the notification worker sends the emails, so the
    visitor never waits on email and a failing server loses nothing. Spam (a filled honeypot)
    is stored, flagged, and sends no email. `photos` are already cleaned (by the form's
    `clean_enquiry_photo`): they are stored as they are, never decoded again. Without
    `acknowledge_client` the client is not sent the "we will contact you" email (a booking
    sends its own confirmation instead); the clinics are told either way. `route` is
    `route_enquiry`'s answer for `enquiry_type` when the caller has already asked it. A
    booking stores its enquiry with the status it ends in (`status`, changed by `by`), its
    history saying it moved there from New. Without `queue_emails` the caller queues the
    emails (a booking writes them with its appointment's, in one insert).
    """
    now = timezone.now()
    # Everything that can happen before the write transaction does, so the database's write
    # lock (one writer at a time on SQLite) is held as briefly as possible.
    clinic, copy_to, rule = route or route_enquiry(enquiry_type=enquiry_type)
    # Within a booking's transaction a savepoint would buy nothing: a failure undoes it all.
    with transaction.atomic(savepoint=False):
        enquiry = ConsultationRequest.objects.create(
            reference=f"new-{os.urandom(6).hex()}",
            full_name=full_name,
            email=email,
            phone=phone,
            contact_method=contact_method,
            enquiry_type=enquiry_type,
            preferred_dates=[day.isoformat() for day in preferred_dates],
            preferred_time=preferred_time,
            message=message,
            heard_about=heard_about,
            consent_given_at=now,
            privacy_policy_version=settings.PRIVACY_POLICY_VERSION,
            marketing_opt_in=marketing_opt_in,
            source=source,
            is_spam=is_spam,
            clinic=clinic,
            routed_at=now,
            routed_by_rule=rule,
            routing_reason=f"Routing rule: {rule}" if rule else "No rule: handled by Restoration U",
            status=status,
            status_changed_at=now,
            status_changed_by=by,
            # Staff booking a caller by phone are in contact from the first moment.
            first_contact_at=now if by is not None else None,
        )
        enquiry.reference = make_reference(enquiry=enquiry)
        enquiry.save(update_fields=["reference"])
        for photo in photos:
            EnquiryPhoto.objects.create(request=enquiry, image=photo.file)
        events = [
            EnquiryEvent(
                request=enquiry, kind=EnquiryEvent.Kind.ROUTED, description=enquiry.routing_reason
            )
        ]
        if status != ConsultationRequest.Status.NEW:
            new = ConsultationRequest.Status.NEW.label
            events.append(workflow.status_event(enquiry=enquiry, previous=new, by=by))
        EnquiryEvent.objects.bulk_create(events)
        if is_spam:
            logging.getLogger("restoration.security").info(
                "honeypot_hit reference=%s", enquiry.reference
            )
        elif queue_emails:
            emails.queue_new_enquiry_notifications(
                enquiry=enquiry, copy_to=copy_to, acknowledge_client=acknowledge_client
            )
    return enquiry
