"""Consultation requests: storing, routing, the email outbox, the staff workflow and retention.

Everything with a side effect lives here; views and the admin call these functions.
"""

import datetime
import logging
import os
import smtplib
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Min, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    Clinic,
    ConsultationRequest,
    ContactMethod,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    Erasure,
    Notification,
    RoutingRule,
    TimeOfDay,
)
from restoration_site.common.choices import EnquiryType
from restoration_site.common.images import CleanImage

logger = logging.getLogger("restoration.bookings")

HOME_CLINIC_SLUG = "restoration-u"
CONTACT_PROMISE = "within one working day"


# ROUTING


def route_enquiry(*, enquiry_type: str) -> tuple[Clinic, Clinic | None, RoutingRule | None]:
    """The clinic an enquiry of this type goes to, the clinic copied in, and the rule used.

    Without a rule for the type, Restoration U handles it itself.
    """
    rule = (
        RoutingRule.objects.select_related("clinic", "copy_to")
        .filter(enquiry_type=enquiry_type)
        .first()
    )
    if rule:
        return rule.clinic, rule.copy_to, rule
    return Clinic.objects.get(slug=HOME_CLINIC_SLUG), None, None


def enquiry_types_routed_away() -> dict[str, str]:
    """Enquiry types handled by a clinic other than Restoration U, with that clinic's name,
    so the form can say where the details will go before they are sent."""
    return dict(
        RoutingRule.objects.exclude(clinic__slug=HOME_CLINIC_SLUG).values_list(
            "enquiry_type", "clinic__name"
        )
    )


# CREATING A REQUEST


def make_reference(enquiry: ConsultationRequest) -> str:
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
) -> ConsultationRequest:
    """Store a consultation request and, in the same transaction, the emails it needs.

    Nothing here talks to an SMTP server: the notification worker sends the emails, so the
    visitor never waits on email and a failing server loses nothing. Spam (a filled honeypot)
    is stored, flagged, and sends no email. `photos` are already cleaned (by the form's
    `clean_enquiry_photo`): they are stored as they are, never decoded again.
    """
    now = timezone.now()
    # Everything that can happen before the write transaction does, so the database's write
    # lock (one writer at a time on SQLite) is held as briefly as possible.
    clinic, copy_to, rule = route_enquiry(enquiry_type=enquiry_type)
    with transaction.atomic():
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
            status_changed_at=now,
        )
        enquiry.reference = make_reference(enquiry)
        enquiry.save(update_fields=["reference"])
        for photo in photos:
            EnquiryPhoto.objects.create(request=enquiry, image=photo.file)
        EnquiryEvent.objects.create(
            request=enquiry, kind=EnquiryEvent.Kind.ROUTED, description=enquiry.routing_reason
        )
        if is_spam:
            logging.getLogger("restoration.security").info(
                "honeypot_hit reference=%s", enquiry.reference
            )
        else:
            queue_new_enquiry_notifications(enquiry=enquiry, copy_to=copy_to)
    return enquiry


def _subject(template: str, enquiry: ConsultationRequest, clinic: Clinic) -> str:
    text = render_to_string(template, {"enquiry": enquiry, "clinic": clinic})
    return " ".join(text.split())


def queue_new_enquiry_notifications(
    *, enquiry: ConsultationRequest, copy_to: Clinic | None
) -> list[Notification]:
    """The staff notification to the routed clinic, a copy for `copy_to` (an email of its own:
    it says whose enquiry it is and carries no admin link that clinic could not open), and the
    client's confirmation, all due now."""
    now = timezone.now()
    clinic = enquiry.clinic
    emails = [
        Notification(
            request=enquiry,
            kind=Notification.Kind.STAFF,
            clinic=clinic,
            recipients=[clinic.email],
            subject=_subject("bookings/email/staff_notification_subject.txt", enquiry, clinic),
            next_attempt_at=now,
        ),
        Notification(
            request=enquiry,
            kind=Notification.Kind.CLIENT,
            clinic=clinic,
            recipients=[enquiry.email],
            subject=_subject("bookings/email/client_confirmation_subject.txt", enquiry, clinic),
            next_attempt_at=now,
        ),
    ]
    if copy_to and copy_to != clinic:
        emails.insert(
            1,
            Notification(
                request=enquiry,
                kind=Notification.Kind.COPY,
                clinic=copy_to,
                recipients=[copy_to.email],
                subject=_subject("bookings/email/copy_subject.txt", enquiry, copy_to),
                next_attempt_at=now,
            ),
        )
    return Notification.objects.bulk_create(emails)


# THE STAFF WORKFLOW


def record_staff_activity(*, enquiries: QuerySet[ConsultationRequest]) -> None:
    """Move the retention clock of these enquiries on: staff are working on them."""
    enquiries.update(last_activity_at=timezone.now())


def reroute_enquiry(
    *, enquiry: ConsultationRequest, clinic: Clinic, by, reason: str
) -> ConsultationRequest:
    """Hand an enquiry to another clinic: recorded on the enquiry and in its history; the new
    clinic is sent the enquiry and the client is told who will contact them now."""
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
        Notification.objects.bulk_create(
            [
                Notification(
                    request=enquiry,
                    kind=Notification.Kind.REROUTED,
                    clinic=clinic,
                    recipients=[clinic.email],
                    subject=_subject("bookings/email/rerouted_subject.txt", enquiry, clinic),
                    next_attempt_at=now,
                ),
                # The client was told who would call; now someone else will.
                Notification(
                    request=enquiry,
                    kind=Notification.Kind.HANDOVER,
                    clinic=clinic,
                    recipients=[enquiry.email],
                    subject=_subject("bookings/email/handover_subject.txt", enquiry, clinic),
                    next_attempt_at=now,
                ),
            ]
        )
    return enquiry


def change_status(*, enquiry: ConsultationRequest, status: str, by) -> ConsultationRequest:
    """Move an enquiry along the pipeline, stamped with who and when."""
    if status == enquiry.status:
        return enquiry
    previous = enquiry.get_status_display()
    enquiry.status = status
    enquiry.status_changed_at = enquiry.last_activity_at = timezone.now()
    enquiry.status_changed_by = by
    with transaction.atomic():
        enquiry.save(
            update_fields=[
                "status",
                "status_changed_at",
                "status_changed_by",
                "last_activity_at",
                "updated_at",
            ]
        )
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.STATUS,
            description=f"Status: {previous} → {enquiry.get_status_display()}",
            actor=by,
        )
    return enquiry


def add_note(*, enquiry: ConsultationRequest, author, text: str) -> EnquiryNote:
    with transaction.atomic():
        note = EnquiryNote.objects.create(request=enquiry, author=author, text=text)
        record_staff_activity(enquiries=ConsultationRequest.objects.filter(pk=enquiry.pk))
    return note


def resend_notifications(*, notifications: QuerySet[Notification]) -> int:
    """Queue emails again (a "resend" from the admin); the worker sends them shortly.

    A client's confirmation goes to the address the enquiry holds now, so an email refused for
    a mistyped address reaches the client once staff have corrected it.
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
        record_staff_activity(
            enquiries=ConsultationRequest.objects.filter(notifications__pk__in=ids)
        )
    return count


def cancel_notifications(*, notifications: QuerySet[Notification]) -> int:
    """Stop emails that have not gone yet (staff reached the client another way, or the
    address is wrong); a cancelled email can be queued again with a resend."""
    with transaction.atomic():
        ids = list(notifications.unsent().values_list("pk", flat=True))
        count = Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.CANCELLED, locked_until=None
        )
        record_staff_activity(
            enquiries=ConsultationRequest.objects.filter(notifications__pk__in=ids)
        )
    return count


def correct_client_email(*, enquiry: ConsultationRequest, email: str, by) -> ConsultationRequest:
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


# THE OUTBOX


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # for now: retried later
    refused: int = 0  # for good: not retried


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff_seconds(attempts: int) -> int:
    """30 s, 1 min, 2 min, ... up to the configured ceiling: retried for ever, never dropped."""
    return min(30 * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_MAX_BACKOFF_SECONDS)


def claim_due_notifications(*, batch: int = 10) -> list[Notification]:
    """Take up to `batch` due emails for this worker, with a lease.

    On PostgreSQL, rows other workers are claiming are skipped (SELECT ... FOR UPDATE SKIP
    LOCKED); on SQLite the IMMEDIATE transaction serialises claims. A worker that dies leaves
    its lease to run out, and another worker then takes the email over.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    due = Notification.objects.due(now=now).order_by("next_attempt_at", "pk")
    # A plain read first: an idle worker polling every few seconds never takes the write lock.
    if not due.exists():
        return []
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:batch])
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.SENDING, locked_until=lease, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(pk__in=ids, locked_until=lease).select_related(
            "request", "clinic"
        )
    )


EMAIL_TEMPLATES = {
    Notification.Kind.STAFF: "staff_notification",
    Notification.Kind.COPY: "copy",
    Notification.Kind.CLIENT: "client_confirmation",
    Notification.Kind.REROUTED: "rerouted",
    Notification.Kind.HANDOVER: "handover",
}


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """The multipart email for a notification, rendered when it is sent.

    Staff emails carry what staff need to get in touch and a link to the admin: never the
    photos or the visitor's message, which may hold health details. A client's email comes
    from the clinic that will contact them (its name in From), and replies go to that clinic.
    """
    enquiry = notification.request
    template = EMAIL_TEMPLATES[notification.kind]
    context = {
        "enquiry": enquiry,
        "clinic": notification.clinic,
        "subject": notification.subject,
        "admin_url": settings.SITE_URL
        + reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk]),
        "photo_count": enquiry.photos.count(),
        "contact_promise": CONTACT_PROMISE,
        "site_url": settings.SITE_URL,
        "home_clinic_slug": HOME_CLINIC_SLUG,
    }
    text = render_to_string(f"bookings/email/{template}.txt", context)
    html = render_to_string(f"bookings/email/{template}.html", context)
    if notification.kind in Notification.TO_CLIENT:
        sender = formataddr((notification.clinic.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
        reply_to = [notification.clinic.email]
    else:
        sender = settings.DEFAULT_FROM_EMAIL
        # A copy's questions are for the clinic handling the enquiry, not its client.
        reply_to = [
            enquiry.clinic.email if notification.kind == Notification.Kind.COPY else enquiry.email
        ]
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=sender,
        to=notification.recipients,
        cc=notification.copy_to,
        reply_to=reply_to,
        # The same Message-ID on every attempt, so a mail system can tell a repeat.
        headers={"Message-ID": f"<notification-{notification.pk}@{message_id_domain()}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def message_id_domain() -> str:
    """The site's own host name, so the Message-IDs it writes are its own."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def is_permanent_failure(error: Exception) -> bool:
    """Whether the mail server refused this email for good (a 5xx for its recipients or its
    content): sending it again unchanged can only be refused again.

    A refused sign-in or sender is the site's own configuration, and a 4xx, a timeout or a
    connection failure pass; those are retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def renew_lease(*, notification: Notification) -> bool:
    """Extend this worker's claim on an email just before sending it; False if the claim ran
    out and may belong to another worker now.

    A batch is claimed in one go, so without this the last emails of a slow batch could outlive
    their lease, be taken over by another worker, and then be sent by both.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    renewed = Notification.objects.filter(
        pk=notification.pk, locked_until=notification.locked_until, locked_until__gt=now
    ).update(locked_until=lease)
    if renewed:
        notification.locked_until = lease
    return bool(renewed)


def deliver_notification(*, notification: Notification) -> str | None:
    """Send one claimed email and record the outcome.

    Returns the email's new status: SENT; RETRYING when it failed for now (a retry is
    scheduled); FAILED when the mail server refused it for good (kept for staff to see, with
    the reason, and to resend once corrected). None when the claim had run out before sending:
    another worker owns the email now, and nothing was sent.
    """
    if not renew_lease(notification=notification):
        logger.warning("notification_lease_lost id=%s", notification.pk)
        return None
    claim = notification.locked_until
    this_claim = Notification.objects.filter(pk=notification.pk, locked_until=claim)
    try:
        email = build_email(notification)
        email.send()
    except Exception as error:  # any failure of rendering or SMTP: kept, never dropped
        reason = f"{type(error).__name__}: {error}"[:2000]
        if is_permanent_failure(error):
            this_claim.update(
                status=Notification.Status.FAILED, last_error=reason, locked_until=None
            )
            logger.warning(
                "notification_refused id=%s attempts=%s error=%s",
                notification.pk,
                notification.attempts,
                type(error).__name__,
            )
            return Notification.Status.FAILED
        delay = backoff_seconds(notification.attempts)
        this_claim.update(
            status=Notification.Status.RETRYING,
            last_error=reason,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            locked_until=None,
        )
        logger.warning(
            "notification_failed id=%s attempts=%s retry_in=%ss error=%s",
            notification.pk,
            notification.attempts,
            delay,
            type(error).__name__,
        )
        return Notification.Status.RETRYING
    this_claim.update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        locked_until=None,
        body=email.body,
    )
    return Notification.Status.SENT


def send_pending_notifications(*, batch: int = 10, limit: int | None = None) -> DeliveryReport:
    """Deliver every email that is due, once each; for the worker, cron or a person."""
    report = DeliveryReport()
    while limit is None or report.sent + report.failed + report.refused < limit:
        claimed = claim_due_notifications(batch=batch)
        if not claimed:
            break
        for notification in claimed:
            outcome = deliver_notification(notification=notification)
            if outcome == Notification.Status.SENT:
                report.sent += 1
            elif outcome == Notification.Status.RETRYING:
                report.failed += 1
            elif outcome == Notification.Status.FAILED:
                report.refused += 1
    return report


def oldest_pending_age_seconds() -> float | None:
    """Age in seconds of the oldest email that can still be delivered, or None when there is
    none (for /healthz). Asked as a filter on the unsent statuses, so the status index reads
    only the few unsent rows rather than every email ever sent, a few times a minute."""
    oldest = Notification.objects.unsent().order_by().aggregate(oldest=Min("created_at"))["oldest"]
    return (timezone.now() - oldest).total_seconds() if oldest else None


# PRIVACY


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


def delete_photo_file(*, instance: EnquiryPhoto, **kwargs) -> None:
    """Remove a photo's file once its row is deleted for good, however it was deleted (an
    erasure, the purge, a cascade); after commit, so a rolled-back delete keeps its photo."""
    storage, name = instance.image.storage, instance.image.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def erase_enquiry(*, enquiry: ConsultationRequest, by, reason: str) -> Erasure:
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


def subject_access_export(*, email: str, by) -> dict:
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


CSV_COLUMNS = [
    ("reference", "Reference"),
    ("created_at", "Received"),
    ("full_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("contact_method", "Contact by"),
    ("enquiry_type", "Enquiry type"),
    ("preferred_dates", "Preferred dates"),
    ("preferred_time", "Time of day"),
    ("clinic__name", "Clinic"),
    ("status", "Status"),
    ("marketing_opt_in", "Marketing emails"),
    ("source", "Source"),
]
# Excel on Windows reads a CSV file as UTF-8 only when it starts with a byte order mark;
# without it, every accented name comes out garbled.
CSV_BYTE_ORDER_MARK = "\ufeff"


def csv_rows(queryset: QuerySet[ConsultationRequest]) -> Iterator[list[str]]:
    """Header and rows for the CSV export, read in chunks so memory stays flat at any size.

    Each enquiry's internal notes come last, in one cell, oldest first.
    """
    yield [label for _, label in CSV_COLUMNS] + ["Notes"]
    choices = {
        "enquiry_type": dict(EnquiryType.choices),
        "status": dict(ConsultationRequest.Status.choices),
        "contact_method": dict(ContactMethod.choices),
        "preferred_time": dict(TimeOfDay.choices),
    }
    fields = [field for field, _ in CSV_COLUMNS]
    rows = queryset.order_by("pk").values_list("pk", *fields)
    for chunk in _chunks(rows.iterator(chunk_size=2000), size=2000):
        notes = _notes_by_enquiry([row[0] for row in chunk])
        for pk, *row in chunk:
            values = dict(zip(fields, row, strict=True))
            values["created_at"] = timezone.localtime(values["created_at"]).strftime(
                "%Y-%m-%d %H:%M"
            )
            for field, labels in choices.items():
                values[field] = labels.get(values[field], values[field])
            values["preferred_dates"] = ", ".join(values["preferred_dates"] or [])
            values["marketing_opt_in"] = "Yes" if values["marketing_opt_in"] else "No"
            cells = [_csv_safe(str(values[field])) for field in fields]
            # A phone number is stored checked (E.164): written the way people dial it, it
            # starts with a digit, so no spreadsheet takes it for a formula and it needs none
            # of the apostrophe that guards the free-text cells.
            cells[fields.index("phone")] = dialled_phone_number(values["phone"])
            yield [*cells, _csv_safe(notes.get(pk, ""))]


def _chunks(iterable, *, size: int) -> Iterator[list]:
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _notes_by_enquiry(ids: list[int]) -> dict[int, str]:
    notes: dict[int, list[str]] = {}
    for request_id, created_at, text in (
        EnquiryNote.objects.filter(request_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("request_id", "created_at", "text")
    ):
        stamp = timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M")
        notes.setdefault(request_id, []).append(f"{stamp}: {text}")
    return {request_id: "\n".join(lines) for request_id, lines in notes.items()}


def dialled_phone_number(number: str) -> str:
    """A stored (E.164) number as people dial it from the UK: `07911 123456` for a UK number,
    `00 33 6 12 34 56 78` for another country's (00, not +, is the UK's international prefix,
    and a leading + would make a spreadsheet read a formula)."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return _csv_safe(number)
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return "00 " + international.removeprefix("+")


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a visitor's text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
