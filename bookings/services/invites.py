"""Calendar invites (RFC 5545) for appointments, written with icalendar.

One event per appointment for its whole life: the UID never changes and the SEQUENCE is the
appointment's own, raised on every change, so a calendar updates (or removes) the event it
already holds instead of adding another. Times are written in UTC: the calendar shows them in
its owner's zone, and no VTIMEZONE is needed.
"""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from bookings.models import Appointment
from restoration_site.common.site_url import site_host

PRODUCT_ID = "-//Restoration U//Appointments//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def method_for(*, appointment: Appointment) -> str:
    """CANCEL for a cancelled appointment, REQUEST (add or update) for a booked one."""
    return REQUEST if appointment.is_booked else CANCEL


def event_uid(*, appointment: Appointment) -> str:
    """The event's UID: the appointment's own UUID at the site's host name (RFC 5545 asks for
    one that is globally unique)."""
    return f"{appointment.uid}@{site_host()}"


def calendar_invite(*, appointment: Appointment, method: str) -> bytes:
    """The VCALENDAR for this appointment as it stands: REQUEST adds or updates the client's
    event, CANCEL removes it.

    The description names the practitioner and the clinic's phone number, never anything the
    client told the clinic about their health; nor does it carry the client's manage link,
    since calendar events are often shared and synced where an email is not.
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"Unknown calendar method {method!r}")
    if method == REQUEST and not appointment.is_booked:
        # A REQUEST would put a cancelled appointment back in the client's calendar.
        raise ValueError("A cancelled appointment can only be sent as a CANCEL")
    clinic = appointment.clinic
    practitioner = appointment.practitioner

    event = Event()
    event.add("uid", event_uid(appointment=appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
    event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{appointment.consultation_type.name} at {clinic.name}")
    event.add("location", clinic.postal_address)
    event.add(
        "description",
        f"With {practitioner.name}, {practitioner.role}.\n"
        f"To move or cancel, use the link in your email or call {clinic.name} "
        f"on {clinic.phone}.\n"
        f"Reference: {appointment.request.reference}",
    )
    event.add("status", "CONFIRMED" if method == REQUEST else "CANCELLED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(clinic.email, name=clinic.name))
    # Already accepted, and no reply asked for: the client booked it (or agreed it by phone),
    # so calendars file it without offering Accept and Decline buttons that would email the
    # clinic.
    event.add(
        "attendee",
        _address(
            appointment.request.email,
            name=appointment.request.full_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="ACCEPTED",
            RSVP="FALSE",
        ),
    )

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()


def _address(email: str, *, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address
