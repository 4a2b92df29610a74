"""What happened at an appointment, recorded by staff and only by staff.

Once an appointment has started, reception records that the client came (attended) or did not
(no-show); a mistake is put right by recording the other, and both lines stay in the enquiry's
history. Nothing records an outcome by itself: a past appointment without one is "unresolved"
(bookings.reception) until someone says what happened.

A late cancellation is never chosen as such: it is derived from the consultation type's change
cut-off. When staff cancel a booked appointment once the client could no longer cancel online
(`appointments.online_changes_closed`), `appointments.cancel_appointment` records the outcome
"Late cancellation" for that member of staff. `cancel_late` is the day sheet's button for it.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from bookings.models import Appointment, ConsultationRequest, EnquiryEvent, StaffUser
from bookings.services import appointments, workflow
from restoration_site.common.clinic_clock import appointment_label_with_zone

# What staff may record for an appointment that has started.
RECORDED = (Appointment.Outcome.ATTENDED, Appointment.Outcome.NO_SHOW)
# The reason a late cancellation from the day sheet keeps (and the client's email gives).
LATE_CANCELLATION_REASON = "Late cancellation"
# Where an enquiry can be in the pipeline before its client is seen: attending moves it on.
BEFORE_ATTENDING = (
    ConsultationRequest.Status.NEW,
    ConsultationRequest.Status.CONTACTED,
    ConsultationRequest.Status.BOOKED,
    ConsultationRequest.Status.WAITING,
)


class OutcomeRefused(Exception):
    """An outcome the rules do not allow; `reason` says why, for people."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _staff_only(by: StaffUser | None) -> None:
    if by is None:
        raise ValueError("Only staff record what happened at an appointment.")


def set_outcome(
    *,
    appointment: Appointment,
    outcome: str,
    by: StaffUser,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Record that the client attended or did not come (`Appointment.Outcome` ATTENDED or
    NO_SHOW), for a booked appointment that has started, stamped with who and when, in the
    enquiry's history ("Outcome: Attended"). Attending moves the enquiry to "Attended";
    correcting an attendance back to a no-show moves it back to "Consultation booked" (unless
    staff have moved it on since). The same outcome again changes nothing. Raises
    OutcomeRefused for anything else (a cancelled appointment, one not started yet)."""
    _staff_only(by)
    if outcome not in RECORDED:
        raise OutcomeRefused("Choose attended or no-show.")
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("request")
            .get(pk=appointment.pk)
        )
        if not current.is_booked:
            raise OutcomeRefused(
                "This appointment was cancelled: there is nothing to record for it."
            )
        if current.starts_at > now:
            raise OutcomeRefused(
                f"This appointment starts {appointment_label_with_zone(current.starts_at)}: "
                "record what happened once it has started."
            )
        if current.outcome == outcome:
            return current
        previous = current.get_outcome_display() if current.outcome else ""
        current.outcome = outcome
        current.outcome_set_at = now
        current.outcome_set_by = by
        current.save(update_fields=["outcome", "outcome_set_at", "outcome_set_by", "updated_at"])
        line = f"Outcome: {current.get_outcome_display()}"
        EnquiryEvent.objects.create(
            request_id=current.request_id,
            kind=EnquiryEvent.Kind.APPOINTMENT,
            description=f"{line} (was {previous})" if previous else line,
            actor=by,
        )
        _move_enquiry(enquiry=current.request, outcome=outcome, now=now, by=by)
    return current


def _move_enquiry(
    *, enquiry: ConsultationRequest, outcome: str, now: datetime.datetime, by: StaffUser
) -> None:
    """The enquiry follows its client: seen, it is "Attended"; an attendance recorded by
    mistake puts it back to "Consultation booked". Recording an outcome is work on it either
    way (the retention clock moves on)."""
    status = enquiry.status
    if outcome == Appointment.Outcome.ATTENDED and status in BEFORE_ATTENDING:
        workflow.change_status(enquiry=enquiry, status=ConsultationRequest.Status.ATTENDED, by=by)
    elif outcome != Appointment.Outcome.ATTENDED and status == ConsultationRequest.Status.ATTENDED:
        workflow.change_status(enquiry=enquiry, status=ConsultationRequest.Status.BOOKED, by=by)
    else:
        ConsultationRequest.objects.filter(pk=enquiry.pk).update(last_activity_at=now)


def may_cancel_late(*, appointment: Appointment, now: datetime.datetime) -> bool:
    """Whether the appointment is booked, still to come and inside its type's change cut-off:
    cancelled now by staff, it is a late cancellation."""
    return (
        appointment.is_booked
        and appointment.starts_at > now
        and appointments.online_changes_closed(appointment=appointment, now=now)
    )


def may_record(*, appointment: Appointment, now: datetime.datetime) -> bool:
    """Whether attended or no-show can be recorded (or corrected) now."""
    return appointment.is_booked and appointment.starts_at <= now


def cancel_late(
    *, appointment: Appointment, by: StaffUser, now: datetime.datetime | None = None
) -> Appointment:
    """Cancel for the client an upcoming appointment inside its type's change cut-off (they
    phoned, too late to cancel online): a staff cancellation with the reason "Late
    cancellation", so the client is emailed as for any cancellation and the outcome is derived
    from the cut-off by `appointments.cancel_appointment`. Raises OutcomeRefused outside the
    cut-off (an ordinary cancellation then), once it has started, or when already cancelled."""
    _staff_only(by)
    now = now or timezone.now()
    if not appointment.is_booked:
        raise OutcomeRefused("This appointment is already cancelled.")
    if appointment.starts_at <= now:
        raise OutcomeRefused("This appointment has started: record attended or no-show instead.")
    if not may_cancel_late(appointment=appointment, now=now):
        hours = appointment.consultation_type.change_cutoff_hours
        raise OutcomeRefused(
            f"It is more than {hours} hours away, so it is not a late cancellation: "
            "cancel it from the appointment's page if the client asked."
        )
    return appointments.cancel_appointment(
        appointment=appointment, reason=LATE_CANCELLATION_REASON, by=by, now=now
    )
