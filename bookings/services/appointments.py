"""Placing, moving and cancelling appointments, with the time guaranteed by the database.

Every change runs in one transaction with the emails it needs. No two booked appointments of a
practitioner can overlap, buffers included: on PostgreSQL the exclusion constraint of migration
0005 refuses the second of two racing inserts (the next practitioner free is tried, or the
client is told the time has gone); on SQLite every write transaction is IMMEDIATE, so the check
and the write below hold the database's write lock and cannot interleave with another booking.

The rules (the schedule, closures, notice, who works then) are read before the transaction, so
the lock is held only for one overlap query and the writes: SQLite has one writer at a time,
and every booking waits for the lock the one before it holds.

A client (`by` None) is held to the online rules (bookable times, minimum notice, horizon, the
change cut-off); a member of staff (`by` set) to the schedule and the appointments only, or,
with `outside_hours`, to the appointments only.
"""

import datetime
from collections.abc import Callable, Iterable

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    ConsultationType,
    EnquiryEvent,
    Notification,
    Practitioner,
    StaffUser,
    TimeOfDay,
)
from bookings.services import (
    availability,
    emails,
    enquiries,
    manage_links,
    routing,
    waiting_list,
    workflow,
)
from bookings.services.availability import FreeTime
from restoration_site.common import ratelimit
from restoration_site.common.clinic_clock import appointment_label, appointment_label_with_zone
from restoration_site.common.images import CleanImage

TAKEN = "Sorry, that time has just been taken."
ALREADY_BOOKED = "This enquiry already has an appointment: move that one instead."
ALTERNATIVES = 3
# PostgreSQL's SQLSTATE for "deadlock detected".
DEADLOCK_DETECTED = "40P01"


class BookingRefused(Exception):
    """A booking, move or cancellation the rules do not allow; `reason` says why, for people."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TimeUnavailable(BookingRefused):
    """The time cannot be booked; `alternatives` are the nearest free times (none when the
    request could never be booked this way, such as a practitioner of another clinic)."""

    def __init__(self, reason: str, alternatives: Iterable[FreeTime] = ()):
        super().__init__(reason)
        self.alternatives = list(alternatives)


class ChangeTooLate(BookingRefused):
    """Inside the consultation type's change cut-off: the client must phone the clinic."""


class TooManyAttempts(Exception):
    """The visitor's address has used its bookings for now (CONSULTATION_RATE_LIMIT)."""


class _Taken(Exception):
    """Raised inside a transaction when the time is not free; turned into TimeUnavailable, with
    alternatives, once the transaction (and on SQLite the write lock) is over."""


def _refuse_other_clinics(
    *,
    clinic_id: int,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None,
) -> None:
    if consultation_type.clinic_id != clinic_id:
        raise TimeUnavailable(f"{consultation_type.name} is not offered at this clinic.")
    if practitioner is not None and practitioner.clinic_id != clinic_id:
        raise TimeUnavailable(f"{practitioner.name} does not work at this clinic.")


def _spans(
    consultation_type: ConsultationType, starts_at: datetime.datetime
) -> dict[str, datetime.datetime]:
    ends_at = starts_at + consultation_type.duration
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "blocked_from": starts_at
        - datetime.timedelta(minutes=consultation_type.buffer_before_minutes),
        "blocked_until": ends_at
        + datetime.timedelta(minutes=consultation_type.buffer_after_minutes),
    }


def _candidates(
    *,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None,
    now: datetime.datetime,
    by: StaffUser | None,
    outside_hours: bool,
    prefer_id: int | None = None,
    moving: Appointment | None = None,
) -> tuple[int, ...]:
    """Who may take the time by the schedule, best first: the practitioner asked for or, with no
    preference, `prefer_id` when free, then everyone free in team order. Read before the write
    transaction (on SQLite, before the write lock), so the lock is held only for
    `_still_free` and the writes. Raises _Taken when no one is free."""
    if outside_hours:
        if practitioner is not None:
            free: tuple[int, ...] = (practitioner.pk,)
        else:
            free = tuple(
                Practitioner.objects.filter(clinic_id=consultation_type.clinic_id, active=True)
                .order_by("position", "name", "pk")
                .values_list("pk", flat=True)
            )
    else:
        free = availability.free_practitioners(
            consultation_type=consultation_type,
            starts_at=starts_at,
            now=now,
            practitioner_id=practitioner.pk if practitioner else None,
            for_staff=by is not None,
            excluding_appointment_id=moving.pk if moving else None,
        )
    if not free:
        raise _Taken
    if prefer_id in free:
        return (prefer_id, *(pid for pid in free if pid != prefer_id))
    return free


def _still_free(
    candidates: tuple[int, ...],
    *,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    moving: Appointment | None = None,
) -> tuple[int, ...]:
    """The candidates no booked appointment overlaps now, buffers included, in their order: the
    check that makes the time theirs, run inside the write transaction (one query). Raises
    _Taken when none is."""
    spans = _spans(consultation_type, starts_at)
    busy = availability.practitioners_taken(
        list(candidates),
        blocked_from=spans["blocked_from"],
        blocked_until=spans["blocked_until"],
        excluding_appointment_id=moving.pk if moving else None,
    )
    free = tuple(pid for pid in candidates if pid not in busy)
    if not free:
        raise _Taken
    return free


def _first_to_hold(
    candidates: tuple[int, ...],
    write: Callable[[int], Appointment],
    *,
    explain: Callable[[], None] = lambda: None,
) -> Appointment:
    """`write(practitioner_id)` for each candidate in turn until one holds. On PostgreSQL the
    exclusion constraint refuses a practitioner whose time a racing booking has just taken;
    each try is a savepoint, so the transaction goes on to the next practitioner free.
    `explain()` raises when a refusal was about something other than the time. Raises _Taken
    when no one holds."""
    for practitioner_id in candidates:
        try:
            with transaction.atomic():
                return write(practitioner_id)
        except IntegrityError:
            explain()
        except OperationalError as error:
            # Two bookings each waiting on the other's uncommitted appointment (the exclusion
            # constraint checks against rows not yet committed): PostgreSQL ends one try with
            # a deadlock. The other booking holds that time, so this one moves on, as when
            # the constraint refuses it.
            if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
    raise _Taken


def _taken(
    *,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None,
    around: datetime.datetime,
    now: datetime.datetime,
    by: StaffUser | None,
    moving: Appointment | None = None,
) -> TimeUnavailable:
    """The refusal of a time that has gone, with the free times nearest to it."""
    return TimeUnavailable(
        TAKEN,
        availability.nearest_free_times(
            consultation_type=consultation_type,
            practitioner=practitioner,
            around=around,
            now=now,
            count=ALTERNATIVES,
            for_staff=by is not None,
            excluding_appointment_id=moving.pk if moving else None,
        ),
    )


def _check_staff_only(*, by: StaffUser | None, outside_hours: bool) -> None:
    if outside_hours and by is None:
        raise ValueError("Only staff can book outside a practitioner's hours.")


def online_changes_closed(*, appointment: Appointment, now: datetime.datetime) -> bool:
    """Whether the client can no longer move or cancel online: inside the type's change
    cut-off, the clinic takes changes by phone."""
    hours = appointment.consultation_type.change_cutoff_hours
    return now > appointment.starts_at - datetime.timedelta(hours=hours)


def _check_cutoff(*, appointment: Appointment, now: datetime.datetime) -> None:
    if online_changes_closed(appointment=appointment, now=now):
        hours = appointment.consultation_type.change_cutoff_hours
        raise ChangeTooLate(
            f"Online changes close {hours} hours before the appointment: "
            f"please call {appointment.clinic.name} on {appointment.clinic.phone}."
        )


def _record_change(
    *, appointment: Appointment, now: datetime.datetime, by: StaffUser | None, what: str
) -> None:
    """A change to the appointment is work on its enquiry: the retention clock moves on (a
    booking does so through the enquiry's new status), and its history says what changed and
    who changed it (the client online, or a member of staff)."""
    ConsultationRequest.objects.filter(pk=appointment.request_id).update(last_activity_at=now)
    EnquiryEvent.objects.create(
        request_id=appointment.request_id,
        kind=EnquiryEvent.Kind.APPOINTMENT,
        description=f"{what} {'by staff' if by else 'online by the client'}"[:300],
        actor=by,
    )


def _has_appointment(request: ConsultationRequest) -> bool:
    return Appointment.objects.filter(request=request).exists()


def _already_submitted(submission_key: str | None) -> Appointment | None:
    if not submission_key:
        return None
    return Appointment.objects.filter(submission_key=submission_key).first()


def _book(
    *,
    enquiry: Callable[[], ConsultationRequest],
    new_enquiry: bool,
    clinic: Clinic,
    copy_to: Clinic | None = None,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None,
    submission_key: str | None,
    now: datetime.datetime,
    by: StaffUser | None,
    outside_hours: bool,
    visitor_address: str | None = None,
) -> Appointment:
    """The enquiry `enquiry()` gives (made, or found when not `new_enquiry`), its appointment,
    its new status and its emails (for a new enquiry, the clinics' and `copy_to`'s too), in one
    transaction. Everything that only reads (the rules, the schedule) is settled first,
    outside it. A submission sent again is found by its key only when it cannot book: its time
    is taken (by itself), or its appointment's key is refused as a duplicate."""
    attempt = None
    try:
        _refuse_other_clinics(
            clinic_id=clinic.pk, consultation_type=consultation_type, practitioner=practitioner
        )
        candidates = _candidates(
            consultation_type=consultation_type,
            starts_at=starts_at,
            practitioner=practitioner,
            now=now,
            by=by,
            outside_hours=outside_hours,
        )
        with transaction.atomic():
            if visitor_address is not None:
                # Taken in the booking's own transaction: on SQLite one write lock per booking,
                # not two (make bench, Booking), and undone with it if the booking fails.
                attempt = ratelimit.reserve_attempt(ip=visitor_address)
                if attempt is None:
                    raise TooManyAttempts
            request = enquiry()
            if not new_enquiry and _has_appointment(request):
                raise BookingRefused(ALREADY_BOOKED)
            free = _still_free(candidates, consultation_type=consultation_type, starts_at=starts_at)

            def write(practitioner_id: int) -> Appointment:
                return Appointment.objects.create(
                    request=request,
                    clinic=clinic,
                    practitioner_id=practitioner_id,
                    consultation_type=consultation_type,
                    outside_hours=outside_hours,
                    booked_by=by,
                    submission_key=submission_key,
                    **_spans(consultation_type, starts_at),
                )

            def explain() -> None:
                # The same submission won a race (answered with its appointment below), or
                # this enquiry was booked meanwhile.
                if _already_submitted(submission_key):
                    raise _Taken
                if _has_appointment(request):
                    raise BookingRefused(ALREADY_BOOKED)

            appointment = _first_to_hold(free, write, explain=explain)
            workflow.change_status(enquiry=request, status=ConsultationRequest.Status.BOOKED, by=by)
            if new_enquiry:
                emails.queue_booking_notifications(
                    appointment=appointment, copy_to=copy_to, now=now
                )
            else:
                emails.queue_appointment_notifications(
                    appointment=appointment, kind=Notification.Kind.BOOKED, now=now
                )
            return appointment
    except (_Taken, BookingRefused) as refusal:
        # A cache outside the database (Redis) keeps the attempt the rollback could not undo.
        if attempt is not None:
            ratelimit.release_attempt(attempt)
        # The same submission may have won a race this one lost (its writes are undone).
        if existing := _already_submitted(submission_key):
            return existing
        if isinstance(refusal, BookingRefused):
            raise
        raise _taken(
            consultation_type=consultation_type,
            practitioner=practitioner,
            around=starts_at,
            now=now,
            by=by,
        ) from None


def book_appointment(
    *,
    request: ConsultationRequest,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None = None,
    submission_key: str | None = None,
    now: datetime.datetime | None = None,
    by: StaffUser | None = None,
    outside_hours: bool = False,
) -> Appointment:
    """Book `starts_at` for an enquiry, with `practitioner` or (None) the first free one in team
    order; the enquiry becomes "Consultation booked" and the client's confirmation and reminder
    are queued, all in one transaction.

    The same `submission_key` twice books once: the second call returns the first appointment.
    A client's time must be one `availability.free_times` offers, checked again here; staff
    with `outside_hours` may book any time that overlaps no other appointment. Raises
    TimeUnavailable (with the nearest free times when the time was taken) or BookingRefused.
    """
    _check_staff_only(by=by, outside_hours=outside_hours)
    return _book(
        enquiry=lambda: request,
        new_enquiry=False,
        clinic=request.clinic,
        consultation_type=consultation_type,
        starts_at=starts_at,
        practitioner=practitioner,
        submission_key=submission_key,
        now=now or timezone.now(),
        by=by,
        outside_hours=outside_hours,
    )


def book_consultation(
    *,
    full_name: str,
    email: str,
    phone: str,
    contact_method: str,
    enquiry_type: str,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None = None,
    submission_key: str | None = None,
    preferred_dates: Iterable[datetime.date] = (),
    preferred_time: str = TimeOfDay.ANY,
    message: str = "",
    heard_about: str = "",
    marketing_opt_in: bool = False,
    source: str = "",
    photos: Iterable[CleanImage] = (),
    now: datetime.datetime | None = None,
    by: StaffUser | None = None,
    outside_hours: bool = False,
    route: routing.Route | None = None,
    visitor_address: str | None = None,
) -> Appointment:
    """A new client's booking: the consultation request (as
    `enquiries.create_consultation_request` stores it, the clinics told as usual) and its
    appointment, in one transaction. The client gets the booking confirmation instead of the
    "we will contact you" email.

    A visitor books online (`by` None); a member of staff books by phone for a caller (`by`
    set, held to the schedule or, with `outside_hours`, only to the other appointments).
    If the time is taken nothing is stored and TimeUnavailable is raised; the same
    `submission_key` twice stores one request and one appointment. Spam (a filled honeypot)
    must not take a time: store it with `create_consultation_request(is_spam=True)` instead.
    `route` is `routing.route_enquiry`'s answer for `enquiry_type` when the caller has it.

    A visitor booking online gives `visitor_address`: each booking takes one of that address's
    attempts (the request form's limit, CONSULTATION_RATE_LIMIT per window), and when they are
    used up nothing is stored and TooManyAttempts is raised. A booking that fails gives its
    attempt back.
    """
    _check_staff_only(by=by, outside_hours=outside_hours)
    route = route or routing.route_enquiry(enquiry_type=enquiry_type)

    def enquiry() -> ConsultationRequest:
        return enquiries.create_consultation_request(
            full_name=full_name,
            email=email,
            phone=phone,
            contact_method=contact_method,
            enquiry_type=enquiry_type,
            preferred_dates=list(preferred_dates),
            preferred_time=preferred_time,
            message=message,
            heard_about=heard_about,
            marketing_opt_in=marketing_opt_in,
            source=source,
            photos=photos,
            queue_emails=False,
            route=route,
            # Stored booked (the appointment is written in the same transaction), so the status
            # change below has nothing left to do.
            status=ConsultationRequest.Status.BOOKED,
            by=by,
        )

    return _book(
        enquiry=enquiry,
        new_enquiry=True,
        clinic=route[0],
        copy_to=route[1],
        visitor_address=visitor_address,
        consultation_type=consultation_type,
        starts_at=starts_at,
        practitioner=practitioner,
        submission_key=submission_key,
        now=now or timezone.now(),
        by=by,
        outside_hours=outside_hours,
    )


def _locked(appointment: Appointment) -> Appointment:
    """The appointment as stored now, its row locked on PostgreSQL until the transaction ends
    (two changes at once cannot both raise the sequence from the same number)."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("consultation_type", "clinic", "request")
        .get(pk=appointment.pk)
    )


def reschedule_appointment(
    *,
    appointment: Appointment,
    starts_at: datetime.datetime,
    practitioner: Practitioner | None = None,
    now: datetime.datetime | None = None,
    by: StaffUser | None = None,
    outside_hours: bool = False,
) -> Appointment:
    """Move a booked appointment to `starts_at`, with `practitioner` or (None) its own
    practitioner when free then, else the first free in team order.

    The same row keeps its calendar UID and raises its sequence; the manage links sent so far
    stop working; the client is sent the new time and a new reminder (the old one is skipped),
    and when the client moved it online the clinic is told. Clients can move it only until the
    type's change cut-off (ChangeTooLate). Returns the appointment as saved.
    """
    now = now or timezone.now()
    _check_staff_only(by=by, outside_hours=outside_hours)
    consultation_type = appointment.consultation_type
    _refuse_other_clinics(
        clinic_id=appointment.clinic_id,
        consultation_type=consultation_type,
        practitioner=practitioner,
    )
    try:
        # The schedule is read before the write transaction; inside it, only whether an
        # appointment has taken the time meanwhile.
        candidates = _candidates(
            consultation_type=consultation_type,
            starts_at=starts_at,
            practitioner=practitioner,
            now=now,
            by=by,
            outside_hours=outside_hours,
            prefer_id=appointment.practitioner_id,
            moving=appointment,
        )
        with transaction.atomic():
            current = _locked(appointment)
            if not current.is_booked:
                raise BookingRefused("This appointment was cancelled: book a new time instead.")
            if by is None:
                _check_cutoff(appointment=current, now=now)
            free = _still_free(
                candidates, consultation_type=consultation_type, starts_at=starts_at, moving=current
            )
            was = appointment_label(current.starts_at)
            was_with, was_at = current.practitioner_id, current.starts_at
            for name, value in _spans(consultation_type, starts_at).items():
                setattr(current, name, value)
            current.outside_hours = outside_hours
            current.sequence += 1

            def write(practitioner_id: int) -> Appointment:
                current.practitioner_id = practitioner_id
                current.save()
                return current

            _first_to_hold(free, write)
            manage_links.revoke_links(appointment=current, now=now)
            with_whom = (
                f", with {Practitioner.objects.get(pk=current.practitioner_id).name}"
                if current.practitioner_id != was_with
                else ""
            )
            _record_change(
                appointment=current,
                now=now,
                by=by,
                what=f"Appointment moved from {was} to "
                f"{appointment_label_with_zone(current.starts_at)}{with_whom},",
            )
            emails.queue_appointment_notifications(
                appointment=current, kind=Notification.Kind.MOVED, now=now, tell_clinic=by is None
            )
            if (was_with, was_at) != (current.practitioner_id, current.starts_at):
                waiting_list.offer_when_committed(
                    practitioner_id=was_with,
                    starts_at=was_at,
                    consultation_type=consultation_type,
                    now=now,
                )
    except _Taken:
        raise _taken(
            consultation_type=consultation_type,
            practitioner=practitioner,
            around=starts_at,
            now=now,
            by=by,
            moving=appointment,
        ) from None
    return current


def cancel_appointment(
    *,
    appointment: Appointment,
    reason: str,
    by: StaffUser | None = None,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Cancel an appointment: the row stays (cancelled, with when, by whom and why), its time is
    free at once, its manage links stop working and the client is told; when the client
    cancelled online, so is the clinic. Clients can cancel online only until the type's change
    cut-off (ChangeTooLate); staff cancelling inside it record a late cancellation as its
    outcome. Cancelling twice changes nothing. Returns the appointment as saved.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        if not current.is_booked:
            return current
        if by is None:
            _check_cutoff(appointment=current, now=now)
        current.status = Appointment.Status.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = (
            Appointment.CancelledBy.CLIENT if by is None else Appointment.CancelledBy.STAFF
        )
        current.cancel_reason = reason[:300]
        current.sequence += 1
        late = (
            by is not None
            and not current.outcome
            and online_changes_closed(appointment=current, now=now)
        )
        if late:
            # Staff cancelling once the client no longer could online is a late cancellation:
            # an outcome derived from the cut-off, never chosen (services/outcomes.py).
            current.outcome = Appointment.Outcome.LATE_CANCELLATION
            current.outcome_set_at, current.outcome_set_by = now, by
        current.save()
        manage_links.revoke_links(appointment=current, now=now)
        _record_change(
            appointment=current,
            now=now,
            by=by,
            what=f"Appointment of {appointment_label_with_zone(current.starts_at)} cancelled",
        )
        if late:
            EnquiryEvent.objects.create(
                request_id=current.request_id,
                kind=EnquiryEvent.Kind.APPOINTMENT,
                description=f"Outcome: {current.get_outcome_display()}",
                actor=by,
            )
        emails.queue_appointment_notifications(
            appointment=current,
            kind=Notification.Kind.APPOINTMENT_CANCELLED,
            now=now,
            tell_clinic=by is None,
        )
        waiting_list.offer_when_committed(
            practitioner_id=current.practitioner_id,
            starts_at=current.starts_at,
            consultation_type=current.consultation_type,
            now=now,
        )
    return current
