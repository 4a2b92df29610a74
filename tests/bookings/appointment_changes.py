"""Changes to an appointment as the booking services make them, for tests of what is sent
afterwards: the time or status changes, its SEQUENCE rises and earlier links are revoked."""

import datetime

from django.utils import timezone

from bookings.models import Appointment
from bookings.services import manage_links


def move(appointment: Appointment, *, to: datetime.datetime) -> Appointment:
    shift = to - appointment.starts_at
    appointment.starts_at += shift
    appointment.ends_at += shift
    appointment.blocked_from += shift
    appointment.blocked_until += shift
    appointment.sequence += 1
    appointment.save()
    manage_links.revoke_links(appointment=appointment)
    return appointment


def cancel(
    appointment: Appointment,
    *,
    reason: str = "Cannot make that day after all",
    by: str = Appointment.CancelledBy.CLIENT,
) -> Appointment:
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancel_reason = reason
    appointment.cancelled_by = by
    appointment.cancelled_at = timezone.now()
    appointment.sequence += 1
    appointment.save()
    manage_links.revoke_links(appointment=appointment)
    return appointment
