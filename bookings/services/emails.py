"""The emails an enquiry and its appointment need: queued in the outbox, rendered when sent."""

import datetime
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    Notification,
    WaitingListEntry,
    WaitingListOffer,
)
from bookings.services import appointment_emails, offer_emails, waiting_list_emails
from bookings.services.routing import HOME_CLINIC_SLUG
from restoration_site.common.clinic_clock import appointment_label_with_zone
from restoration_site.common.site_url import site_host

CONTACT_PROMISE = "within one working day"

EMAIL_TEMPLATES = {
    Notification.Kind.STAFF: "staff_notification",
    Notification.Kind.COPY: "copy",
    Notification.Kind.CLIENT: "client_confirmation",
    Notification.Kind.REROUTED: "rerouted",
    Notification.Kind.HANDOVER: "handover",
    Notification.Kind.BOOKED: "appointment_booked",
    Notification.Kind.MOVED: "appointment_moved",
    Notification.Kind.APPOINTMENT_CANCELLED: "appointment_cancelled",
    Notification.Kind.REMINDER: "appointment_reminder",
    Notification.Kind.STAFF_CHANGE: "staff_appointment_change",
    Notification.Kind.WAITING_LIST_JOINED: "waiting_list_joined",
    Notification.Kind.WAITING_LIST_OFFER: "waiting_list_offer",
    Notification.Kind.TIME_OFFER: "time_offer",
}


def _subject(
    template: str,
    enquiry: ConsultationRequest,
    clinic: Clinic,
    appointment: Appointment | None = None,
    waiting_list_offer: WaitingListOffer | None = None,
) -> str:
    context = {"enquiry": enquiry, "clinic": clinic, "appointment": appointment}
    if appointment is not None:
        context["when"] = appointment_label_with_zone(appointment.starts_at)
    if waiting_list_offer is not None:
        context["when"] = appointment_label_with_zone(waiting_list_offer.starts_at)
    text = render_to_string(template, context)
    return " ".join(text.split())


def _queue(
    *,
    enquiry: ConsultationRequest,
    emails: list[tuple[Notification.Kind, Clinic, str]],
    now: datetime.datetime,
    appointment: Appointment | None = None,
    due: dict[Notification.Kind, datetime.datetime] | None = None,
    waiting_list_offer: WaitingListOffer | None = None,
) -> list[Notification]:
    """Write these emails (kind, the clinic they are about, the address) to the outbox in one
    insert, each due `now` unless `due` gives its kind another moment, each with its subject
    rendered from its kind's `<template>_subject.txt`. An email about an appointment (of a kind
    in ABOUT_AN_APPOINTMENT) names it and the version it describes (its sequence), so the
    sender can skip one a later change has overtaken. An email offering a freed time from the
    waiting list names its `waiting_list_offer`, so the sender can hold it back once the offer
    has ended."""
    due = due or {}

    def about(kind: Notification.Kind) -> Appointment | None:
        return appointment if kind in appointment_emails.ABOUT_AN_APPOINTMENT else None

    return Notification.objects.bulk_create(
        Notification(
            request=enquiry,
            kind=kind,
            clinic=clinic,
            appointment=about(kind),
            appointment_sequence=about(kind) and appointment.sequence,
            waiting_list_offer=waiting_list_offer,
            recipients=[to],
            subject=_subject(
                f"bookings/email/{EMAIL_TEMPLATES[kind]}_subject.txt",
                enquiry,
                clinic,
                appointment,
                waiting_list_offer,
            ),
            next_attempt_at=due.get(kind, now),
        )
        for kind, clinic, to in emails
    )


def _new_enquiry_emails(
    *, enquiry: ConsultationRequest, copy_to: Clinic | None
) -> list[tuple[Notification.Kind, Clinic, str]]:
    clinic = enquiry.clinic
    emails = [(Notification.Kind.STAFF, clinic, clinic.email)]
    if copy_to and copy_to != clinic:
        emails.append((Notification.Kind.COPY, copy_to, copy_to.email))
    return emails


def queue_new_enquiry_notifications(
    *, enquiry: ConsultationRequest, copy_to: Clinic | None, acknowledge_client: bool = True
) -> list[Notification]:
    """The staff notification to the routed clinic, a copy for `copy_to` (an email of its own:
    it says whose enquiry it is and carries no admin link that clinic could not open), and,
    with `acknowledge_client`, the client's confirmation, all due now."""
    emails = _new_enquiry_emails(enquiry=enquiry, copy_to=copy_to)
    if acknowledge_client:
        emails.append((Notification.Kind.CLIENT, enquiry.clinic, enquiry.email))
    return _queue(enquiry=enquiry, emails=emails, now=timezone.now())


def queue_booking_notifications(
    *, appointment: Appointment, copy_to: Clinic | None, now: datetime.datetime
) -> list[Notification]:
    """A new client's booking, in one insert: what the clinics are told of a new enquiry (as
    `queue_new_enquiry_notifications`, without the "we will contact you" email) and the
    client's confirmation and reminder (as `queue_appointment_notifications`)."""
    enquiry = appointment.request
    client, due = _appointment_emails(
        appointment=appointment, kind=Notification.Kind.BOOKED, now=now
    )
    return _queue(
        enquiry=enquiry,
        emails=_new_enquiry_emails(enquiry=enquiry, copy_to=copy_to) + client,
        now=now,
        appointment=appointment,
        due=due,
    )


def queue_appointment_notifications(
    *,
    appointment: Appointment,
    kind: Notification.Kind,
    now: datetime.datetime,
    tell_clinic: bool = False,
) -> list[Notification]:
    """The client's email about this version of the appointment (booked, moved or cancelled),
    due now; with `tell_clinic` (the client changed it online) an email telling the clinic; and,
    while it is booked, the reminder due BOOKING_REMINDER_HOURS before it, unless that moment
    has passed. Reminders for earlier versions stay queued but name an old sequence: the sender
    skips them."""
    emails, due = _appointment_emails(
        appointment=appointment, kind=kind, now=now, tell_clinic=tell_clinic
    )
    return _queue(
        enquiry=appointment.request, emails=emails, now=now, appointment=appointment, due=due
    )


def _appointment_emails(
    *,
    appointment: Appointment,
    kind: Notification.Kind,
    now: datetime.datetime,
    tell_clinic: bool = False,
) -> tuple[list[tuple[Notification.Kind, Clinic, str]], dict[Notification.Kind, datetime.datetime]]:
    enquiry = appointment.request
    clinic = appointment.clinic
    emails = [(kind, clinic, enquiry.email)]
    if tell_clinic:
        emails.append((Notification.Kind.STAFF_CHANGE, clinic, clinic.email))
    remind_at = appointment.starts_at - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    if appointment.is_booked and remind_at > now:
        emails.append((Notification.Kind.REMINDER, clinic, enquiry.email))
    return emails, {Notification.Kind.REMINDER: remind_at}


def queue_reroute_notifications(
    *, enquiry: ConsultationRequest, now: datetime.datetime
) -> list[Notification]:
    """The enquiry for the clinic it was re-routed to, and the client's email saying that
    clinic will contact them now, both due at `now`."""
    clinic = enquiry.clinic
    emails = [
        (Notification.Kind.REROUTED, clinic, clinic.email),
        # The client was told who would call; now someone else will.
        (Notification.Kind.HANDOVER, clinic, enquiry.email),
    ]
    return _queue(enquiry=enquiry, emails=emails, now=now)


def queue_waiting_list_joined(
    *, entry: WaitingListEntry, now: datetime.datetime
) -> list[Notification]:
    """The client's confirmation that they are on the waiting list, with what for and their
    link to leave it, due now."""
    enquiry = entry.request
    return _queue(
        enquiry=enquiry,
        emails=[(Notification.Kind.WAITING_LIST_JOINED, entry.clinic, enquiry.email)],
        now=now,
    )


def queue_waiting_list_offer(
    *, offer: WaitingListOffer, now: datetime.datetime
) -> list[Notification]:
    """The email offering a freed time to a waiting-list entry's client, with its deadline and
    the link to book it, due now; held back when sent after the offer has ended."""
    entry = offer.entry
    return _queue(
        enquiry=entry.request,
        emails=[(Notification.Kind.WAITING_LIST_OFFER, entry.clinic, entry.request.email)],
        now=now,
        waiting_list_offer=offer,
    )


def build_email(*, notification: Notification, preview: bool = False) -> EmailMultiAlternatives:
    """The multipart email for a notification, rendered when it is sent.

    Staff emails carry what staff need to get in touch and a link to the admin: never the
    photos or the visitor's message, which may hold health details. A client's email comes
    from the clinic that will contact them, or that hosts their appointment (its name in From),
    and replies go to that clinic. Emails about an appointment carry its calendar invite, and
    those to the client a manage link made for this send (`preview`, for staff reading an
    email before it goes, makes none; see appointment_emails). The waiting list's emails carry
    the client's links to claim a freed time and to leave the list, signed for this send
    (waiting_list_emails).
    """
    enquiry = notification.request
    template = EMAIL_TEMPLATES[notification.kind]
    appointment = appointment_emails.appointment_of(notification=notification)
    # An appointment's emails come from the clinic hosting it, whichever clinic they name.
    clinic = (
        appointment.clinic
        if notification.kind in appointment_emails.ABOUT_AN_APPOINTMENT
        else notification.clinic
    )
    context = {
        "enquiry": enquiry,
        "clinic": clinic,
        "subject": notification.subject,
        "admin_url": settings.SITE_URL
        + reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk]),
        "photo_count": enquiry.photos.count(),
        "contact_promise": CONTACT_PROMISE,
        "site_url": settings.SITE_URL,
        "home_clinic_slug": HOME_CLINIC_SLUG,
    }
    if appointment is not None:
        context |= appointment_emails.email_context(
            notification=notification, appointment=appointment, preview=preview
        )
    if notification.kind in waiting_list_emails.ABOUT_THE_WAITING_LIST:
        context |= waiting_list_emails.email_context(notification=notification, preview=preview)
    if notification.kind == Notification.Kind.TIME_OFFER:
        context |= offer_emails.email_context(notification=notification, preview=preview)
    text = render_to_string(f"bookings/email/{template}.txt", context)
    html = render_to_string(f"bookings/email/{template}.html", context)
    if notification.kind in Notification.TO_CLIENT:
        sender = formataddr((clinic.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
        reply_to = [clinic.email]
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
        headers={"Message-ID": f"<notification-{notification.pk}@{site_host()}>"},
    )
    message.attach_alternative(html, "text/html")
    if notification.kind in Notification.WITH_INVITE:
        appointment_emails.attach_invite(message=message, appointment=appointment)
    return message
