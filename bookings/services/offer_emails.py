"""The email of times staff offer an enquiry: what it says, the link it carries, and when it
has gone stale and must not be sent.

The offer's state is worked out here, from the offer as stored, because the outbox asks it
when it sends (an email for an offer withdrawn, booked or past its deadline would send the
client to a page that can no longer book), and the offer pages and services ask the same
question (`bookings.services.time_offers`).
"""

import datetime
from enum import StrEnum

from bookings.models import Appointment, ConsultationRequest, Notification, TimeOffer
from bookings.services import client_links
from bookings.services.manage_links import LINK_NOT_KEPT
from restoration_site.common.clinic_clock import appointment_label_with_zone


class OfferState(StrEnum):
    """Where an offer stands for the client, whatever its stored status says alone."""

    OPEN = "open"  # times can be chosen
    BOOKED = "booked"  # accepted, or the enquiry was booked another way meanwhile
    WITHDRAWN = "withdrawn"  # replaced by a newer offer, or the enquiry was closed
    EXPIRED = "expired"  # past its deadline, unanswered


def offer_state(*, offer: TimeOffer, now: datetime.datetime) -> OfferState:
    """The offer's state now: booked when it was accepted or the enquiry has an appointment
    (by phone, say), withdrawn when staff replaced it or closed the enquiry, expired once its
    deadline has passed, otherwise open."""
    enquiry = offer.request
    if offer.status == TimeOffer.Status.ACCEPTED:
        return OfferState.BOOKED
    if offer.status == TimeOffer.Status.WITHDRAWN:
        return OfferState.WITHDRAWN
    if Appointment.objects.filter(request_id=offer.request_id).exists():
        return OfferState.BOOKED
    if enquiry.is_spam or enquiry.status in ConsultationRequest.CLOSED:
        return OfferState.WITHDRAWN
    if offer.expires_at <= now:
        return OfferState.EXPIRED
    return OfferState.OPEN


WITHDRAWN = "not sent: staff withdrew these times (or closed the enquiry) before it went"
BOOKED_SINCE = "not sent: the enquiry was booked before this could be sent"
EXPIRED = "not sent: the offer's deadline had passed before this could be sent"
# Kept as the email's last_error when it is held back, so staff see why.
NOT_SENT_REASONS = (WITHDRAWN, BOOKED_SINCE, EXPIRED)
_REASONS = {
    OfferState.WITHDRAWN: WITHDRAWN,
    OfferState.BOOKED: BOOKED_SINCE,
    OfferState.EXPIRED: EXPIRED,
}


def not_sent_reason(*, notification: Notification, now: datetime.datetime) -> str | None:
    """Why this email of offered times must not be sent now, for staff to read, or None when
    it may go (and for every other email). An offer is a link to choose a time: once the offer
    cannot be taken, the email would only disappoint."""
    if notification.kind != Notification.Kind.TIME_OFFER or notification.time_offer is None:
        return None
    return _REASONS.get(offer_state(offer=notification.time_offer, now=now))


def offer_url(*, offer: TimeOffer) -> str:
    """The full address of the offer's page, with a signed token made now (never stored)."""
    token = client_links.make_token(purpose=client_links.TIME_OFFER, pk=offer.pk)
    return client_links.absolute(view="bookings:time_offer", token=token)


def email_context(*, notification: Notification, preview: bool) -> dict:
    """What the email shows of the offer: each time with its practitioner, the deadline and
    the link (made for this send; `preview`, staff reading the email before it goes, shows
    where the link will go instead)."""
    offer = notification.time_offer
    return {
        "offer": offer,
        "consultation_type": offer.consultation_type,
        "offered_times": [
            {"when": appointment_label_with_zone(time.starts_at), "practitioner": time.practitioner}
            for time in offer.times.select_related("practitioner")
        ],
        "deadline": appointment_label_with_zone(offer.expires_at),
        "offer_url": LINK_NOT_KEPT if preview else offer_url(offer=offer),
    }
