"""The waiting list's emails: what they say and the links they carry when sent, and when an
offer's email has gone stale and must not be sent.

The rows are queued by bookings.services.waiting_list; everything here runs when the outbox
sends them (or when staff read one before it goes), so an offer's email always describes the
offer as it is, or is not sent at all.
"""

import datetime

from bookings.models import Notification, WaitingListEntry, WaitingListOffer
from bookings.services import client_links, manage_links
from restoration_site.common.clinic_clock import appointment_label_with_zone, day_label

Kind = Notification.Kind

# The emails about a waiting-list entry (their templates are named in emails.EMAIL_TEMPLATES).
ABOUT_THE_WAITING_LIST = frozenset((Kind.WAITING_LIST_JOINED, Kind.WAITING_LIST_OFFER))

OFFER_ENDED = "offer ended: the time was booked, passed on or withdrawn before this could be sent"
PAST_DEADLINE = "too late: the offer's deadline had passed before this could be sent"
# Kept as the email's last_error when it is held back, so staff see why.
NOT_SENT_REASONS = (OFFER_ENDED, PAST_DEADLINE)


def held_back_reason(*, notification: Notification, now: datetime.datetime) -> str | None:
    """Why this offer email must not be sent now, for staff to read, or None when it may go
    (and for every email that is not a waiting-list offer).

    An offer that has ended (claimed, passed on, withdrawn because the client left) has nothing
    left to take: its email would send the client to a page saying so. One whose deadline has
    passed while the email waited (a mail server down for hours) is about to be passed on.
    """
    if notification.kind != Kind.WAITING_LIST_OFFER:
        return None
    offer = notification.waiting_list_offer
    if offer is None:
        return None  # nothing to compare: building it fails, and staff see why
    if offer.status != WaitingListOffer.Status.OPEN:
        return OFFER_ENDED
    if offer.expires_at <= now:
        return PAST_DEADLINE
    return None


def window_label(entry: WaitingListEntry) -> str:
    """“Monday 11 January 2027 to Friday 22 January 2027”, or the one day."""
    if entry.earliest == entry.latest:
        return day_label(entry.earliest)
    return f"{day_label(entry.earliest)} to {day_label(entry.latest)}"


def entry_of(notification: Notification) -> WaitingListEntry:
    if notification.waiting_list_offer_id is not None:
        return notification.waiting_list_offer.entry
    return notification.request.waiting_list_entry


def email_context(*, notification: Notification, preview: bool) -> dict:
    """What the templates show of the entry (and, for an offer, of the time offered), every time
    through the clinic clock.

    The links to leave the list and to claim the time are signed when the email is sent, never
    stored; `preview` (staff reading an email not sent yet) shows where they will go instead.
    """
    entry = entry_of(notification)

    def link(view: str, purpose: str, pk: int) -> str:
        if preview:
            return manage_links.LINK_NOT_KEPT
        return client_links.absolute(
            view=view, token=client_links.make_token(purpose=purpose, pk=pk)
        )

    context = {
        "entry": entry,
        "consultation_type": entry.consultation_type,
        "practitioner": entry.practitioner,
        "window": window_label(entry),
        "time_of_day": entry.get_time_of_day_display(),
        "leave_url": link("bookings:waiting_list_leave", client_links.WAITING_LIST_ENTRY, entry.pk),
    }
    offer = notification.waiting_list_offer
    if notification.kind == Kind.WAITING_LIST_OFFER and offer is not None:
        context |= {
            "offer": offer,
            "practitioner": offer.practitioner,
            "consultation_type": offer.consultation_type,
            "when": appointment_label_with_zone(offer.starts_at),
            "deadline": appointment_label_with_zone(offer.expires_at),
            "claim_url": link(
                "bookings:waiting_list_offer", client_links.WAITING_LIST_OFFER, offer.pk
            ),
        }
    return context
