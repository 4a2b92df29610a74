"""Self-service links: random tokens of which only a hash is kept.

A client's email carries a link with a fresh random token; the database keeps its SHA-256
only, so nothing read from the database (a backup, an export, the admin) can be used to open
someone's appointment. A token of 256 random bits needs no slow hash: it cannot be guessed, and
looking a hash up by equality gives away nothing about the token.
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, AppointmentLink

TOKEN_BYTES = 32
# secrets.token_urlsafe(32): 32 bytes in unpadded URL-safe base64 are 43 characters.
TOKEN_LENGTH = 43
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
# A link works until a week after the appointment, long enough to find the clinic's details
# again, and no longer.
LINK_LIFETIME_AFTER_APPOINTMENT = datetime.timedelta(days=7)

# What staff read in place of a client's link, in an email's text kept after sending and in the
# admin's preview of one not sent yet: the link is a key to the client's appointment.
LINK_NOT_KEPT = "[the client's own link, made when the email is sent and never kept]"
_MANAGE_URL_IN_TEXT = re.compile(r"https?://\S+?/appointments/[A-Za-z0-9_-]+/?")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def manage_url(*, token: str) -> str:
    """The address a client opens to move or cancel their appointment: the page
    `bookings:manage`, under `/appointments/<token>/`, the shape `without_manage_links`
    recognises."""
    return settings.SITE_URL + reverse("bookings:manage", kwargs={"token": token})


def issue_link(*, appointment: Appointment) -> str:
    """A new link for this appointment; returns its token, which is stored nowhere."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    AppointmentLink.objects.create(
        appointment=appointment,
        token_hash=token_hash(token),
        expires_at=appointment.ends_at + LINK_LIFETIME_AFTER_APPOINTMENT,
    )
    return token


def appointment_for_token(
    *, token: str, now: datetime.datetime | None = None
) -> Appointment | None:
    """The appointment a link opens, or None for a token that is malformed, unknown, revoked
    or expired (the page says the same for all four)."""
    # Anything not shaped like one of our tokens is turned away before hashing or a query.
    if len(token) != TOKEN_LENGTH or not _TOKEN.fullmatch(token):
        return None
    link = (
        AppointmentLink.objects.filter(
            token_hash=token_hash(token),
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        # What the appointment's pages show: its clinic, practitioner, type and reference.
        .select_related(
            "appointment__clinic",
            "appointment__practitioner",
            "appointment__consultation_type",
            "appointment__request",
        )
        .first()
    )
    return link.appointment if link else None


def revoke_links(*, appointment: Appointment, now: datetime.datetime | None = None) -> int:
    """Stop every link sent for this appointment so far (it changed: the email about the change
    carries a new one); returns how many were still live."""
    return appointment.links.filter(revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def without_manage_links(*, text: str) -> str:
    """The text with every manage link replaced by a note that it is not kept."""
    return _MANAGE_URL_IN_TEXT.sub(LINK_NOT_KEPT, text)
