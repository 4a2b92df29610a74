"""The outbox worker: claiming due emails with a lease, sending them, retrying with backoff."""

import datetime
import logging
import os
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from bookings.models import Notification
from bookings.services import (
    appointment_emails,
    client_links,
    manage_links,
    offer_emails,
    waiting_list_emails,
)
from bookings.services.emails import build_email

logger = logging.getLogger("restoration.bookings")


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # for now: retried later
    refused: int = 0  # for good: not retried
    superseded: int = 0  # about an appointment changed since, or an offer gone: not sent

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.refused + self.superseded


def worker_name() -> str:
    """This worker's name in the logs: its machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff_seconds(*, attempts: int) -> int:
    """30 s, 1 min, 2 min, ... up to the configured ceiling: retried for ever, never dropped."""
    return min(30 * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_MAX_BACKOFF_SECONDS)


def _lease_from(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def claim_due_notifications(*, batch: int = 10) -> list[Notification]:
    """Take up to `batch` due emails for this worker, with a lease.

    On PostgreSQL, rows other workers are claiming are skipped (SELECT ... FOR UPDATE SKIP
    LOCKED); on SQLite the IMMEDIATE transaction serialises claims. A worker that dies leaves
    its lease to run out, and another worker then takes the email over.
    """
    now = timezone.now()
    lease = _lease_from(now)
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
            "request",
            "clinic",
            "appointment__request",
            "appointment__clinic",
            "appointment__practitioner",
            "appointment__consultation_type",
            "waiting_list_offer",
        )
    )


def is_permanent_failure(*, error: Exception) -> bool:
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
    lease = _lease_from(now)
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
    the reason, and to resend once corrected); CANCELLED when it is about an appointment that
    has changed since it was queued, or offers times or a waiting-list time that can no longer be
    taken (not sent, the reason kept for staff). None when the claim had run out before sending:
    another worker owns the email now, and nothing was sent.

    The text kept for staff is the text sent, without the client's manage or offer link.
    """
    if not renew_lease(notification=notification):
        logger.warning("notification_lease_lost id=%s", notification.pk)
        return None
    claim = notification.locked_until
    this_claim = Notification.objects.filter(pk=notification.pk, locked_until=claim)
    now = timezone.now()
    superseded = appointment_emails.superseded_reason(
        notification=notification, now=now
    ) or offer_emails.not_sent_reason(notification=notification, now=now)
    superseded = superseded or waiting_list_emails.held_back_reason(
        notification=notification, now=now
    )
    if superseded:
        this_claim.update(
            status=Notification.Status.CANCELLED, last_error=superseded, locked_until=None
        )
        logger.info("notification_superseded id=%s reason=%s", notification.pk, superseded)
        return Notification.Status.CANCELLED
    try:
        email = build_email(notification=notification)
        email.send()
    except Exception as error:  # any failure of rendering or SMTP: kept, never dropped
        reason = f"{type(error).__name__}: {error}"[:2000]
        if is_permanent_failure(error=error):
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
        delay = backoff_seconds(attempts=notification.attempts)
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
        body=client_links.without_client_links(
            text=manage_links.without_manage_links(text=email.body)
        ),
    )
    return Notification.Status.SENT


def send_pending_notifications(*, batch: int = 10, limit: int | None = None) -> DeliveryReport:
    """Deliver every email that is due, once each; for the worker, cron or a person."""
    report = DeliveryReport()
    while limit is None or report.handled < limit:
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
            elif outcome == Notification.Status.CANCELLED:
                report.superseded += 1
    return report


def oldest_pending_age_seconds() -> float | None:
    """Age in seconds of the oldest email that can still be delivered, or None when there is
    none (for /healthz). Asked as a filter on the unsent statuses, so the status index reads
    only the few unsent rows rather than every email ever sent, a few times a minute."""
    oldest = Notification.objects.unsent().order_by().aggregate(oldest=Min("created_at"))["oldest"]
    return (timezone.now() - oldest).total_seconds() if oldest else None
