"""The emails about an appointment: what they say, the invite and link they carry, and when
one has gone stale and must not be sent.

The rows are queued by the booking services with the appointment's SEQUENCE at that moment;
everything here runs when the outbox sends them, so an email always describes the appointment
as it is, or is not sent at all.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from bookings.models import Appointment, Notification
from bookings.services import invites, manage_links
from restoration_site.common.clinic_clock import appointment_label_with_zone

Kind = Notification.Kind

# The emails about an appointment (their templates are named in emails.EMAIL_TEMPLATES).
ABOUT_AN_APPOINTMENT = frozenset(
    (Kind.BOOKED, Kind.MOVED, Kind.APPOINTMENT_CANCELLED, Kind.REMINDER, Kind.STAFF_CHANGE)
)
# Emails about a booked appointment: they carry a link to move or cancel it, and are stale
# once it is cancelled.
ABOUT_A_BOOKED_APPOINTMENT = (Kind.BOOKED, Kind.MOVED, Kind.REMINDER)

SUPERSEDED = "superseded: the appointment changed after this was queued"
CANCELLED_SINCE = "superseded: the appointment was cancelled after this was queued"
NOT_CANCELLED = "superseded: the appointment is booked, not cancelled"
TOO_LATE = "too late: the appointment had started before this could be sent"
# Kept as the email's last_error when it is held back, so staff see why.
NOT_SENT_REASONS = (SUPERSEDED, CANCELLED_SINCE, NOT_CANCELLED, TOO_LATE)


def superseded_reason(*, notification: Notification, now: datetime.datetime) -> str | None:
    """Why this appointment email must not be sent now, for staff to read, or None when it
    may go (and for every email that is not about an appointment).

    An email describes the version of the appointment it was queued for: once the appointment
    has changed, a later email describes it, and this one (a reminder for a time since moved, a
    confirmation of an appointment since cancelled) would mislead.
    """
    if notification.kind not in ABOUT_AN_APPOINTMENT:
        return None
    appointment = notification.appointment
    if appointment is None:
        return None  # nothing to compare: building it fails, and staff see why
    if notification.appointment_sequence != appointment.sequence:
        return SUPERSEDED
    if notification.kind in ABOUT_A_BOOKED_APPOINTMENT and not appointment.is_booked:
        return CANCELLED_SINCE
    if notification.kind == Kind.APPOINTMENT_CANCELLED and appointment.is_booked:
        return NOT_CANCELLED
    if notification.kind == Kind.REMINDER and appointment.starts_at <= now:
        return TOO_LATE
    return None


def appointment_of(*, notification: Notification) -> Appointment | None:
    """The appointment an email talks about: its own for an appointment email; for an
    enquiry's emails, the appointment the request has, if any."""
    if notification.kind in ABOUT_AN_APPOINTMENT:
        return notification.appointment
    try:
        return notification.request.appointment
    except Appointment.DoesNotExist:
        return None


def email_context(*, notification: Notification, appointment: Appointment, preview: bool) -> dict:
    """What the templates show of an appointment, every time through the clinic clock.

    Emails that let the client move or cancel carry a manage link minted now, a new token on
    every send; `preview` (staff reading an email not sent yet) mints nothing and shows where
    the link will go instead.
    """
    context = {
        "appointment": appointment,
        "practitioner": appointment.practitioner,
        "consultation_type": appointment.consultation_type,
        "when": appointment_label_with_zone(appointment.starts_at),
        # The clinic's "Visit us" page: the way there, parking and access, which the address
        # alone does not tell a first-time client.
        "visit_url": settings.SITE_URL + appointment.clinic.get_absolute_url(),
    }
    if notification.kind in ABOUT_A_BOOKED_APPOINTMENT:
        context["manage_url"] = (
            manage_links.LINK_NOT_KEPT
            if preview
            else manage_links.manage_url(token=manage_links.issue_link(appointment=appointment))
        )
    if notification.kind == Kind.APPOINTMENT_CANCELLED:
        # The times page for the same kind of consultation: choosing a new time is one step.
        query = urlencode({"type": appointment.request.enquiry_type})
        context["book_again_url"] = f"{settings.SITE_URL}{reverse('bookings:times')}?{query}"
    return context


def attach_invite(*, message: EmailMultiAlternatives, appointment: Appointment) -> None:
    """The appointment's calendar invite, twice, as mail clients look for it: a text/calendar
    part beside the text and HTML (Outlook and Gmail offer to add or update the event from it)
    and an invite.ics file for every other client."""
    method = invites.method_for(appointment=appointment)
    invite = invites.calendar_invite(appointment=appointment, method=method).decode()
    content_type = f"text/calendar; method={method}"
    message.attach_alternative(invite, content_type)
    message.attach("invite.ics", invite, content_type)
