"""Enquiries and appointments placed at chosen moments, for the business report's tests:
made the way the site makes them, then dated (their times are stamped when saved)."""

import datetime

from django.contrib.auth.models import User

from bookings.models import Appointment, ConsultationRequest
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import AppointmentFactory, make_enquiry


def uk(day: str, at: str = "10:00") -> datetime.datetime:
    """A clinic wall-clock moment: uk("2026-03-30", "00:30")."""
    return clinic_moment(datetime.date.fromisoformat(day), datetime.time.fromisoformat(at))


def received(
    at: datetime.datetime, *, contacted_after: datetime.timedelta | None = None, **fields
) -> ConsultationRequest:
    """An enquiry that arrived `at`, first contacted `contacted_after` it (or not yet);
    `fields` go to the service (enquiry_type, source, is_spam)."""
    enquiry = make_enquiry(**fields)
    first_contact = at + contacted_after if contacted_after is not None else None
    ConsultationRequest.objects.filter(pk=enquiry.pk).update(
        created_at=at, first_contact_at=first_contact
    )
    enquiry.refresh_from_db()
    return enquiry


def booked(
    enquiry: ConsultationRequest,
    *,
    starts_at: datetime.datetime,
    booked_at: datetime.datetime | None = None,
    outcome: str = "",
    **fields,
) -> Appointment:
    """An appointment for `enquiry` at `starts_at`, made `booked_at` (by default when the
    enquiry arrived), with an outcome staff set, if any."""
    appointment = AppointmentFactory(
        request=enquiry, starts_at=starts_at, outcome=outcome, **fields
    )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=booked_at or enquiry.created_at)
    appointment.refresh_from_db()
    return appointment


def superuser(username: str = "owner") -> User:
    return User.objects.create_superuser(username, f"{username}@staff.example", "a-long-password-1")
