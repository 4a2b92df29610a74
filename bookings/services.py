"""Consultation requests: storing, routing, the email outbox, the staff workflow and retention.

Everything with a side effect lives here; views and the admin call these functions.
"""

import datetime
import logging
import os
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Min, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    Clinic,
    ConsultationRequest,
    EnquiryEvent,
    EnquiryNote,
    EnquiryPhoto,
    EnquiryType,
    Notification,
    RoutingRule,
)
from restoration_site.images import CleanImage

logger = logging.getLogger("restoration.bookings")

HOME_CLINIC_SLUG = "restoration-u"
CONTACT_PROMISE = "within one working day"


# SPAM AND ABUSE


def client_ip(request: HttpRequest) -> str:
    """The visitor's address; behind a trusted proxy, the one it appended last."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def is_rate_limited(*, ip: str, scope: str = "consultation") -> bool:
    """Count one attempt from this address and say whether it is over the limit.

    The count lives in Django's cache, so with REDIS_URL set every web process shares it.
    """
    key = f"ratelimit:{scope}:{ip}"
    window = settings.CONSULTATION_RATE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > settings.CONSULTATION_RATE_LIMIT


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
    """The staff notification to the routed clinic (copying `copy_to`) and the client's
    confirmation, due now."""
    now = timezone.now()
    clinic = enquiry.clinic
    return Notification.objects.bulk_create(
        [
            Notification(
                request=enquiry,
                kind=Notification.Kind.STAFF,
                clinic=clinic,
                recipients=[clinic.email],
                copy_to=[copy_to.email] if copy_to and copy_to != clinic else [],
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
    )


# THE STAFF WORKFLOW


def reroute_enquiry(
    *, enquiry: ConsultationRequest, clinic: Clinic, by, reason: str
) -> ConsultationRequest:
    """Hand an enquiry to another clinic: recorded on the enquiry and in its history, and the
    new clinic is sent a notification."""
    previous = enquiry.clinic
    now = timezone.now()
    with transaction.atomic():
        enquiry.clinic = clinic
        enquiry.routed_at = now
        enquiry.routed_by = by
        enquiry.routed_by_rule = None
        enquiry.routing_reason = reason or f"Re-routed by {by}"
        enquiry.save()
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.REROUTED,
            description=f"Re-routed from {previous} to {clinic}: {enquiry.routing_reason}",
            actor=by,
        )
        Notification.objects.create(
            request=enquiry,
            kind=Notification.Kind.REROUTED,
            clinic=clinic,
            recipients=[clinic.email],
            subject=_subject("bookings/email/rerouted_subject.txt", enquiry, clinic),
            next_attempt_at=now,
        )
    return enquiry


def change_status(*, enquiry: ConsultationRequest, status: str, by) -> ConsultationRequest:
    """Move an enquiry along the pipeline, stamped with who and when."""
    if status == enquiry.status:
        return enquiry
    previous = enquiry.get_status_display()
    enquiry.status = status
    enquiry.status_changed_at = timezone.now()
    enquiry.status_changed_by = by
    with transaction.atomic():
        enquiry.save(
            update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"]
        )
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.STATUS,
            description=f"Status: {previous} → {enquiry.get_status_display()}",
            actor=by,
        )
    return enquiry


def add_note(*, enquiry: ConsultationRequest, author, text: str) -> EnquiryNote:
    return EnquiryNote.objects.create(request=enquiry, author=author, text=text)


def resend_notifications(*, notifications: QuerySet[Notification]) -> int:
    """Queue emails again (a "resend" from the admin); the worker sends them shortly."""
    return notifications.update(
        status=Notification.Status.PENDING, next_attempt_at=timezone.now(), locked_until=None
    )


# THE OUTBOX


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


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
    due = Notification.objects.filter(
        ~Q(status=Notification.Status.SENT),
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "pk")
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


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """The multipart email for a notification, rendered when it is sent.

    Staff emails carry what staff need to get in touch and a link to the admin: never the
    photos or the visitor's message, which may hold health details.
    """
    enquiry = notification.request
    template = {
        Notification.Kind.STAFF: "staff_notification",
        Notification.Kind.CLIENT: "client_confirmation",
        Notification.Kind.REROUTED: "rerouted",
    }[notification.kind]
    context = {
        "enquiry": enquiry,
        "clinic": notification.clinic,
        "admin_url": settings.SITE_URL
        + reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk]),
        "photo_count": enquiry.photos.count(),
        "contact_promise": CONTACT_PROMISE,
        "site_url": settings.SITE_URL,
    }
    text = render_to_string(f"bookings/email/{template}.txt", context)
    html = render_to_string(f"bookings/email/{template}.html", context)
    staff_email = notification.kind != Notification.Kind.CLIENT
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        to=notification.recipients,
        cc=notification.copy_to,
        reply_to=[enquiry.email] if staff_email else [notification.clinic.email],
        headers={"Message-ID": f"<notification-{notification.pk}@restoration-u.example>"},
    )
    message.attach_alternative(html, "text/html")
    return message


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


def deliver_notification(*, notification: Notification) -> bool | None:
    """Send one claimed email and record the outcome; a failure is scheduled for a retry.

    Returns True when sent, False when it failed and will be retried, and None when the claim
    had run out before sending (another worker owns the email now; nothing was sent).
    """
    if not renew_lease(notification=notification):
        logger.warning("notification_lease_lost id=%s", notification.pk)
        return None
    claim = notification.locked_until
    try:
        build_email(notification).send()
    except Exception as error:  # any failure of rendering or SMTP: keep it and retry later
        delay = backoff_seconds(notification.attempts)
        Notification.objects.filter(pk=notification.pk, locked_until=claim).update(
            status=Notification.Status.RETRYING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
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
        return False
    Notification.objects.filter(pk=notification.pk, locked_until=claim).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error="", locked_until=None
    )
    return True


def send_pending_notifications(*, batch: int = 10, limit: int | None = None) -> DeliveryReport:
    """Deliver every email that is due, once each; for the worker, cron or a person."""
    report = DeliveryReport()
    while limit is None or report.sent + report.failed < limit:
        claimed = claim_due_notifications(batch=batch)
        if not claimed:
            break
        for notification in claimed:
            outcome = deliver_notification(notification=notification)
            if outcome:
                report.sent += 1
            elif outcome is False:
                report.failed += 1
    return report


def oldest_pending_age_seconds() -> float | None:
    """Age in seconds of the oldest email not yet sent, or None when every email has gone
    (for /healthz). Asked as a filter on the unsent statuses, so the status index reads only
    the few unsent rows rather than every email ever sent, a few times a minute."""
    unsent = [status for status in Notification.Status if status != Notification.Status.SENT]
    oldest = (
        Notification.objects.filter(status__in=unsent)
        .order_by()
        .aggregate(oldest=Min("created_at"))["oldest"]
    )
    return (timezone.now() - oldest).total_seconds() if oldest else None


# PRIVACY


def purge_expired_enquiries(*, now: datetime.datetime | None = None) -> int:
    """Delete enquiries closed, or untouched, for longer than the retention period, with their
    photos, notes, history and emails. Returns how many enquiries were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
    expired = ConsultationRequest.objects.filter(
        Q(status__in=ConsultationRequest.CLOSED, status_changed_at__lt=cutoff)
        | Q(updated_at__lt=cutoff)
    )
    deleted = 0
    for enquiry in expired.prefetch_related("photos").iterator(chunk_size=200):
        photo_names = [photo.image.name for photo in enquiry.photos.all()]
        with transaction.atomic():
            enquiry.delete()
        for name in photo_names:
            EnquiryPhoto._meta.get_field("image").storage.delete(name)
        deleted += 1
    if deleted:
        logger.info("enquiries_purged count=%s", deleted)
    return deleted


def subject_access_export(*, email: str, by) -> dict:
    """Everything stored about one person (by email address), for a subject access request."""
    enquiries = (
        ConsultationRequest.objects.filter(email__iexact=email)
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
    for enquiry in enquiries:
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.EXPORTED,
            description="Subject access export",
            actor=by,
        )
    return export


CSV_COLUMNS = [
    ("reference", "Reference"),
    ("created_at", "Received"),
    ("full_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("enquiry_type", "Enquiry type"),
    ("clinic__name", "Clinic"),
    ("status", "Status"),
    ("source", "Source"),
]


def csv_rows(queryset: QuerySet[ConsultationRequest]) -> Iterator[list[str]]:
    """Header and rows for the CSV export, read in chunks so memory stays flat at any size."""
    yield [label for _, label in CSV_COLUMNS]
    types = dict(EnquiryType.choices)
    statuses = dict(ConsultationRequest.Status.choices)
    rows = queryset.order_by("pk").values_list(*(field for field, _ in CSV_COLUMNS))
    for row in rows.iterator(chunk_size=2000):
        values = dict(zip((field for field, _ in CSV_COLUMNS), row, strict=True))
        values["created_at"] = timezone.localtime(values["created_at"]).strftime("%Y-%m-%d %H:%M")
        values["enquiry_type"] = types.get(values["enquiry_type"], values["enquiry_type"])
        values["status"] = statuses.get(values["status"], values["status"])
        yield [_csv_safe(str(values[field])) for field, _ in CSV_COLUMNS]


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a visitor's text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
