"""Times offered to an enquiry: reception picks up to three free times, the client is emailed
a link, and choosing one books it for the enquiry in one step.

Offered times are not held: each is a time a client could book online when it was offered, and
the first person to book a time takes it. The client's page lists the offered times still free;
when every one has gone, it lists the type's live availability instead, and a time chosen there
is booked for the same enquiry. The booking itself is `appointments.book_appointment` for the
enquiry, under the online rules (a client booking), so the enquiry becomes "Consultation
booked" and the client's confirmation, invite and reminder are queued exactly as for any other
booking.

The deadline (`expires_at`) is the start of the latest offered time less the type's minimum
notice: after that moment none of the offered times can be booked online any more, so the
offer has nothing left to give; before it, at least that time may still be free.
"""

import datetime
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from bookings.models import (
    Appointment,
    ConsultationRequest,
    ConsultationType,
    EnquiryEvent,
    Notification,
    OfferedTime,
    Practitioner,
    StaffUser,
    TimeOfDay,
    TimeOffer,
    staff_clinic_id,
)
from bookings.services import appointments, availability, emails, workflow
from bookings.services.appointments import BookingRefused, TimeUnavailable
from bookings.services.offer_emails import OfferState, offer_state
from restoration_site.common.clinic_clock import appointment_label, clinic_time

# The clinic's words for the parts of a day, on the clinic's clock (a time's start decides).
MORNING_ENDS = datetime.time(12)
EVENING_STARTS = datetime.time(17)


class OfferRefused(BookingRefused):
    """Times that cannot be offered; `reason` says why, for staff."""


class OfferNotOpen(BookingRefused):
    """The offer can no longer be taken; `state` says why (booked, withdrawn or expired)."""

    def __init__(self, reason: str, state: OfferState):
        super().__init__(reason)
        self.state = state


def fits_time_of_day(*, starts_at: datetime.datetime, time_of_day: str) -> bool:
    """Whether a time falls in the part of the day a client asked for (TimeOfDay): morning
    before 12:00, afternoon 12:00 to 17:00, early evening from 17:00, on the clinic's clock."""
    at = clinic_time(starts_at).time()
    if time_of_day == TimeOfDay.MORNING:
        return at < MORNING_ENDS
    if time_of_day == TimeOfDay.AFTERNOON:
        return MORNING_ENDS <= at < EVENING_STARTS
    if time_of_day == TimeOfDay.EVENING:
        return at >= EVENING_STARTS
    return True


def _free_online(
    *,
    consultation_type: ConsultationType,
    times: Iterable[tuple[int, datetime.datetime]],
    now: datetime.datetime,
) -> set[tuple[int, datetime.datetime]]:
    """Which of these (practitioner id, start) pairs a client could book online now: one read
    of the free times over the dates they span (availability's three queries)."""
    times = list(times)
    if not times:
        return set()
    days = [clinic_time(starts_at).date() for _, starts_at in times]
    first, last = min(days), max(days)
    free = set()
    for day in availability.free_times(
        consultation_type=consultation_type,
        now=now,
        first_day=first,
        days=(last - first).days + 1,
    ):
        for time in day.times:
            free.update((pid, time.starts_at) for pid in time.practitioner_ids)
    return {pair for pair in times if pair in free}


def preselected_times(
    *,
    enquiry: ConsultationRequest,
    consultation_type: ConsultationType,
    now: datetime.datetime | None = None,
    count: int = TimeOffer.MAX_TIMES,
) -> list[tuple[Practitioner, datetime.datetime]]:
    """Up to `count` free times (each with the practitioner to see) to suggest offering: on the
    client's preferred dates, in their preferred time of day, spread across those dates and
    across practitioners; when the preferred dates have too few, the next free times in that
    part of the day, one a day. Free means bookable online now (the times the client's page
    can book). In time order."""
    now = now or timezone.now()
    listed = availability.free_times(consultation_type=consultation_type, now=now)
    by_day = {
        day.day: [
            time
            for time in day.times
            if fits_time_of_day(starts_at=time.starts_at, time_of_day=enquiry.preferred_time)
        ]
        for day in listed
    }
    preferred = sorted({day for day in enquiry.preferred_days if by_day.get(day)})
    later = [day for day in sorted(by_day) if by_day[day] and day not in preferred]
    chosen: list[tuple[int, datetime.datetime]] = []
    seen: Counter[int] = Counter()  # how many times each practitioner was chosen
    for days in (preferred, later):
        pools = {day: list(by_day[day]) for day in days}
        # Round after round, one time a day, so three preferred dates give one time each.
        while len(chosen) < count and any(pools.values()):
            for day in days:
                if len(chosen) == count or not pools[day]:
                    continue
                # The day's time with the practitioner chosen least so far, earliest first.
                _, index, practitioner_id = min(
                    (seen[pid], index, pid)
                    for index, time in enumerate(pools[day])
                    for pid in time.practitioner_ids
                )
                chosen.append((practitioner_id, pools[day].pop(index).starts_at))
                seen[practitioner_id] += 1
    people = Practitioner.objects.in_bulk({pid for pid, _ in chosen})
    return [(people[pid], starts_at) for pid, starts_at in sorted(chosen, key=lambda c: c[1])]


def _refuse(
    *,
    enquiry: ConsultationRequest,
    consultation_type: ConsultationType,
    times: Sequence[tuple[Practitioner, datetime.datetime]],
    by: StaffUser | None,
    now: datetime.datetime,
) -> None:
    """Raise OfferRefused when these times cannot be offered to the enquiry."""
    if by is None or not by.is_staff:
        raise OfferRefused("Only staff can offer times.")
    if not by.is_superuser and staff_clinic_id(by) != enquiry.clinic_id:
        raise OfferRefused("This enquiry belongs to another clinic.")
    if enquiry.is_spam or enquiry.is_closed:
        raise OfferRefused("This enquiry is closed: reopen it before offering times.")
    if Appointment.objects.filter(request_id=enquiry.pk).exists():
        raise OfferRefused(appointments.ALREADY_BOOKED)
    if consultation_type.clinic_id != enquiry.clinic_id or not consultation_type.active:
        raise OfferRefused(f"{consultation_type.name} is not offered at {enquiry.clinic}.")
    if not times:
        raise OfferRefused("Choose at least one time to offer.")
    if len(times) > TimeOffer.MAX_TIMES:
        raise OfferRefused(f"Choose at most {TimeOffer.MAX_TIMES} times.")
    pairs = [(practitioner.pk, starts_at) for practitioner, starts_at in times]
    if len(set(pairs)) != len(pairs):
        raise OfferRefused("The same time is chosen twice.")
    for practitioner, _ in times:
        if practitioner.clinic_id != enquiry.clinic_id:
            raise OfferRefused(f"{practitioner.name} does not work at {enquiry.clinic}.")
    free = _free_online(consultation_type=consultation_type, times=pairs, now=now)
    gone = [(practitioner, at) for practitioner, at in times if (practitioner.pk, at) not in free]
    if gone:
        raise OfferRefused(
            "; ".join(f"{appointment_label(at)} with {who.name}" for who, at in gone)
            + (" is" if len(gone) == 1 else " are")
            + " not free for a client to book online now: choose another time."
        )


def offer_times(
    *,
    enquiry: ConsultationRequest,
    consultation_type: ConsultationType,
    times: Sequence[tuple[Practitioner, datetime.datetime]],
    by: StaffUser,
    now: datetime.datetime | None = None,
) -> TimeOffer:
    """Offer the client of a call-back enquiry up to three (practitioner, start) times by
    email, in one transaction: any earlier offer still open is withdrawn (its email, if not
    sent yet, is held back), the client's email is queued, the history records who offered
    what, the enquiry's first contact is stamped and a new enquiry becomes "Contacted".

    Only staff of the enquiry's clinic (or a superuser) may offer; each time must be free for
    a client to book online now, of a consultation type of the enquiry's clinic; the enquiry
    must have no appointment and be neither closed nor spam. Raises OfferRefused, saying why.
    """
    now = now or timezone.now()
    times = sorted(times, key=lambda pair: (pair[1], pair[0].pk))
    _refuse(enquiry=enquiry, consultation_type=consultation_type, times=times, by=by, now=now)
    latest = max(starts_at for _, starts_at in times)
    with transaction.atomic():
        TimeOffer.objects.filter(request=enquiry, status=TimeOffer.Status.OPEN).update(
            status=TimeOffer.Status.WITHDRAWN
        )
        offer = TimeOffer.objects.create(
            request=enquiry,
            consultation_type=consultation_type,
            offered_by=by,
            expires_at=latest - datetime.timedelta(hours=consultation_type.minimum_notice_hours),
        )
        OfferedTime.objects.bulk_create(
            OfferedTime(offer=offer, practitioner=practitioner, starts_at=starts_at)
            for practitioner, starts_at in times
        )
        (email,) = emails._queue(
            enquiry=enquiry,
            emails=[(Notification.Kind.TIME_OFFER, enquiry.clinic, enquiry.email)],
            now=now,
        )
        Notification.objects.filter(pk=email.pk).update(time_offer=offer)
        EnquiryEvent.objects.create(
            request=enquiry,
            kind=EnquiryEvent.Kind.APPOINTMENT,
            description=(
                "Times offered by email: "
                + "; ".join(f"{appointment_label(at)} with {who.name}" for who, at in times)
            )[:300],
            actor=by,
        )
        fields = workflow.mark_first_contact(enquiry=enquiry, now=now)
        enquiry.last_activity_at = now
        enquiry.save(update_fields=[*fields, "last_activity_at", "updated_at"])
        if enquiry.status == ConsultationRequest.Status.NEW:
            workflow.change_status(
                enquiry=enquiry, status=ConsultationRequest.Status.CONTACTED, by=by
            )
    return offer


def still_free_times(*, offer: TimeOffer, now: datetime.datetime) -> list[OfferedTime]:
    """The offered times a client could still book online now, in time order."""
    offered = list(offer.times.select_related("practitioner"))
    free = _free_online(
        consultation_type=offer.consultation_type,
        times=[(time.practitioner_id, time.starts_at) for time in offered],
        now=now,
    )
    return [time for time in offered if (time.practitioner_id, time.starts_at) in free]


def submission_key(
    *, offer: TimeOffer, practitioner_id: int | None, starts_at: datetime.datetime
) -> str:
    """The booking's one-time key for this choice on this offer: the same choice sent twice (a
    double click, the page sent again) books once."""
    choice = f"time-offer:{offer.pk}:{practitioner_id or 'any'}:{starts_at.timestamp():.0f}"
    return hashlib.sha256(choice.encode()).hexdigest()


_NOT_OPEN = {
    OfferState.BOOKED: "This enquiry is already booked.",
    OfferState.WITHDRAWN: "These times are no longer offered.",
    OfferState.EXPIRED: "The time to choose from these times has passed.",
}


def accept_time(
    *,
    offer: TimeOffer,
    practitioner_id: int | None,
    starts_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book the client's choice for the offer's enquiry: one of the offered times while any is
    still free, or, once every offered time has gone, any time the type's live availability
    offers online (`practitioner_id` None: the first practitioner free then). The enquiry
    becomes "Consultation booked", the client's confirmation with its invite is queued and the
    offer is marked accepted with its appointment, in one transaction.

    The same choice sent twice returns the first appointment. Raises OfferNotOpen when the
    offer is booked, withdrawn or expired, TimeUnavailable (with the nearest free times) when
    the time has just been taken, and BookingRefused for a time that was never offered while
    offered ones remain.
    """
    now = now or timezone.now()
    key = submission_key(offer=offer, practitioner_id=practitioner_id, starts_at=starts_at)
    with transaction.atomic():
        # The offer as stored, locked on PostgreSQL (on SQLite the transaction holds the write
        # lock): staff replacing it and the client choosing cannot both win.
        current = (
            TimeOffer.objects.select_for_update(of=("self",))
            .select_related("request__clinic", "consultation_type")
            .get(pk=offer.pk)
        )
        if existing := Appointment.objects.filter(submission_key=key).first():
            return existing  # this choice was booked already
        state = offer_state(offer=current, now=now)
        if state != OfferState.OPEN:
            raise OfferNotOpen(_NOT_OPEN[state], state)
        offered = current.times.filter(practitioner_id=practitioner_id, starts_at=starts_at)
        if not offered.exists() and still_free_times(offer=current, now=now):
            raise BookingRefused("Please choose one of the times offered.")
        practitioner = None
        if practitioner_id is not None:
            practitioner = Practitioner.objects.filter(
                pk=practitioner_id, clinic_id=current.request.clinic_id
            ).first()
            if practitioner is None:
                raise TimeUnavailable("This practitioner does not work at this clinic.")
        appointment = appointments.book_appointment(
            request=current.request,
            consultation_type=current.consultation_type,
            starts_at=starts_at,
            practitioner=practitioner,
            submission_key=key,
            now=now,
        )
        current.status = TimeOffer.Status.ACCEPTED
        current.appointment = appointment
        current.save(update_fields=["status", "appointment"])
    return appointment
