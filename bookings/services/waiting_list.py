"""The waiting list: visitors who found no suitable time ask to be told if one comes up, and a
time freed by a cancellation or a move is offered to them by email, oldest first, one at a time.

- Joining stores an enquiry (status "On the waiting list", routed like any enquiry of its type,
  so consent, retention, erasure and subject access work as for every enquiry) and a
  WaitingListEntry with the wish: a consultation type, a practitioner or anyone, a window of
  dates, and mornings, afternoons or either.
- A freed time (the old start of an appointment cancelled or moved away, with the same
  practitioner) is offered for each active consultation type of the clinic that a client could
  book then (availability's online rules: the schedule, the minimum notice, the horizon, nothing
  booked over it) to the oldest waiting entry that matches it and was never offered that same
  time before. A time is offered to one entry at a time, and an entry with an open offer is
  offered nothing else until that offer ends.
- The offer is the client's until its deadline: WAITING_LIST_CLAIM_HOURS from the moment it is
  made, but never later than the time's start minus its consultation type's minimum notice,
  after which the client rules refuse to book it. An offer with less than SHORTEST_CLAIM to
  run is not made at all: its email could hardly be read in time.
- Unclaimed by then, the offer lapses and the same time, if still free, is offered to the next
  entry in an offer row of its own (`pass_on_lapsed_offers`, run by the email worker on every
  loop and by cron as `manage.py pass_on_waiting_list_offers`), so staff see every offer made.
- Claiming books the time for the entry's enquiry through `appointments.book_appointment`
  under the client rules. An offered time is not held (the times page still shows it): taken
  meanwhile, the offer ends as GONE and the entry goes back on the list.

Entries and offers change status by conditional updates (only from the status they were read
in), so two workers passing on the same lapsed offer, or two freed times reaching the same
entry, make one offer, never two.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bookings.models import (
    ConsultationRequest,
    ConsultationType,
    ContactMethod,
    Practitioner,
    StaffUser,
    TimeOfDay,
    WaitingListEntry,
    WaitingListOffer,
    WaitingListTime,
)
from bookings.services import (
    appointments,
    availability,
    client_links,
    emails,
    enquiries,
    routing,
    workflow,
)
from bookings.services.routing import Route
from restoration_site.common.caching import PAGE_CACHE
from restoration_site.common.clinic_clock import clinic_time, clinic_today

logger = logging.getLogger("restoration.bookings")

Entry = WaitingListEntry
Offer = WaitingListOffer

# Mornings are the times starting before midday on the clinic's clock; afternoons the rest.
MIDDAY = datetime.time(12)
SHORTEST_CLAIM = datetime.timedelta(minutes=30)
# Entries still on the list: waiting for a time, or holding an offer.
ON_THE_LIST = (Entry.Status.WAITING, Entry.Status.OFFERED)
# More than enough entries to try for one freed time: only a race for the same entry skips one.
CANDIDATES = 10
DAY_SECONDS = 24 * 60 * 60

# What the entry's enquiry records as the preferred time of day.
PREFERRED_TIME = {
    WaitingListTime.ANY: TimeOfDay.ANY,
    WaitingListTime.MORNING: TimeOfDay.MORNING,
    WaitingListTime.AFTERNOON: TimeOfDay.AFTERNOON,
}


def join_waiting_list(
    *,
    full_name: str,
    email: str,
    phone: str,
    enquiry_type: str,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None,
    earliest: datetime.date,
    latest: datetime.date,
    time_of_day: str = WaitingListTime.ANY,
    source: str = "",
    route: Route | None = None,
    now: datetime.datetime | None = None,
) -> WaitingListEntry:
    """Put a visitor on the waiting list: their enquiry (stored as
    `enquiries.create_consultation_request` stores any, routed by its type, status "On the
    waiting list", the clinics not emailed: there is nothing to call about yet), the entry
    with what they wait for, and their confirmation email with the link to leave, in one
    transaction. `practitioner` None is anyone. The consultation type and the practitioner
    must be of the clinic the enquiry type is routed to (`route`, when the caller has it), and
    the window in order: ValueError otherwise (the form checks both first)."""
    now = now or timezone.now()
    route = route or routing.route_enquiry(enquiry_type=enquiry_type)
    clinic = route[0]
    if consultation_type.clinic_id != clinic.pk or (
        practitioner is not None and practitioner.clinic_id != clinic.pk
    ):
        raise ValueError(f"{enquiry_type} enquiries are booked at {clinic}, not elsewhere.")
    if latest < earliest:
        raise ValueError("The latest date is before the earliest.")
    with transaction.atomic():
        enquiry = enquiries.create_consultation_request(
            full_name=full_name,
            email=email,
            phone=phone,
            # The offers come by email; the clinic still has the number to call.
            contact_method=ContactMethod.EMAIL,
            enquiry_type=enquiry_type,
            preferred_dates=[],
            preferred_time=PREFERRED_TIME[WaitingListTime(time_of_day)],
            source=source,
            route=route,
            status=ConsultationRequest.Status.WAITING,
            queue_emails=False,
        )
        entry = Entry.objects.create(
            request=enquiry,
            clinic=clinic,
            consultation_type=consultation_type,
            practitioner=practitioner,
            earliest=earliest,
            latest=latest,
            time_of_day=time_of_day,
        )
        emails.queue_waiting_list_joined(entry=entry, now=now)
    logger.info("waiting_list_joined entry=%s reference=%s", entry.pk, enquiry.reference)
    return entry


def time_of_day(starts_at: datetime.datetime) -> WaitingListTime:
    """Whether a time is a morning or an afternoon one, on the clinic's clock."""
    if clinic_time(starts_at).time() < MIDDAY:
        return WaitingListTime.MORNING
    return WaitingListTime.AFTERNOON


def claim_deadline(
    *, consultation_type: ConsultationType, starts_at: datetime.datetime, now: datetime.datetime
) -> datetime.datetime:
    """Until when an offer made `now` of `starts_at` can be claimed: WAITING_LIST_CLAIM_HOURS,
    but never past the last moment the client rules let it be booked online."""
    return min(
        now + datetime.timedelta(hours=settings.WAITING_LIST_CLAIM_HOURS),
        starts_at - datetime.timedelta(hours=consultation_type.minimum_notice_hours),
    )


def _offerable_types(
    *,
    practitioner: Practitioner,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    consultation_type: ConsultationType | None,
) -> dict[int, ConsultationType]:
    """The consultation types (by id) a client could book online at `starts_at` with this
    practitioner now, with time enough to claim an offer: the freed appointment's own type
    and every other active type of the clinic (a 60-minute cancellation frees a 30-minute
    consultation too). About three queries a type, read only when the time is worth offering."""
    kinds = list(
        ConsultationType.objects.filter(clinic_id=practitioner.clinic_id, active=True).order_by(
            "position", "pk"
        )
    )
    if consultation_type is not None and consultation_type not in kinds:
        kinds.insert(0, consultation_type)
    return {
        kind.pk: kind
        for kind in kinds
        if claim_deadline(consultation_type=kind, starts_at=starts_at, now=now) - now
        >= SHORTEST_CLAIM
        and availability.is_offered(
            consultation_type=kind, practitioner_id=practitioner.pk, starts_at=starts_at, now=now
        )
    }


def matching_entries(
    *, practitioner: Practitioner, starts_at: datetime.datetime, type_ids: list[int]
) -> QuerySet[WaitingListEntry]:
    """The waiting entries a time with this practitioner could be offered to, oldest first:
    one of these consultation types, this practitioner or anyone, the day inside their
    window, the time of day they asked for, never offered this same time before, and an
    enquiry still open, at this clinic and not booked already (an enquiry books once)."""
    already = Offer.objects.filter(
        entry=OuterRef("pk"), practitioner=practitioner, starts_at=starts_at
    )
    day = clinic_today(starts_at)
    return (
        Entry.objects.filter(
            consultation_type_id__in=type_ids,
            status=Entry.Status.WAITING,
            clinic_id=practitioner.clinic_id,
            request__clinic_id=practitioner.clinic_id,
            earliest__lte=day,
            latest__gte=day,
            time_of_day__in=[WaitingListTime.ANY, time_of_day(starts_at)],
            request__appointment__isnull=True,
            request__is_spam=False,
        )
        .filter(Q(practitioner__isnull=True) | Q(practitioner=practitioner))
        .exclude(request__status__in=ConsultationRequest.CLOSED)
        .exclude(Exists(already))
        .select_related("request")
        .order_by("created_at", "pk")
    )


def offer_freed_time(
    *,
    practitioner: Practitioner,
    starts_at: datetime.datetime,
    consultation_type: ConsultationType | None = None,
    now: datetime.datetime | None = None,
) -> WaitingListOffer | None:
    """Offer a time that has come free (`consultation_type`: the freed appointment's own) to
    the oldest matching waiting entry (`matching_entries`), if a client could book it online
    now: the offer, its deadline (`claim_deadline`) and its email, in one transaction. None
    when nobody is offered it: no match, not bookable online, too close to claim, or already
    offered to someone who may still claim it."""
    now = now or timezone.now()
    if Offer.objects.filter(
        practitioner=practitioner, starts_at=starts_at, status=Offer.Status.OPEN
    ).exists():
        return None
    kinds = _offerable_types(
        practitioner=practitioner,
        starts_at=starts_at,
        now=now,
        consultation_type=consultation_type,
    )
    if not kinds:
        return None
    entries = matching_entries(practitioner=practitioner, starts_at=starts_at, type_ids=[*kinds])
    for entry in entries[:CANDIDATES]:
        offer = _offer(
            entry=entry,
            practitioner=practitioner,
            consultation_type=kinds[entry.consultation_type_id],
            starts_at=starts_at,
            now=now,
        )
        if offer is not None:
            return offer
    return None


def _offer(
    *,
    entry: WaitingListEntry,
    practitioner: Practitioner,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    now: datetime.datetime,
) -> WaitingListOffer | None:
    """The offer to one entry, or None when the entry stopped waiting since it was read."""
    with transaction.atomic():
        if not Entry.objects.filter(pk=entry.pk, status=Entry.Status.WAITING).update(
            status=Entry.Status.OFFERED, updated_at=timezone.now()
        ):
            return None
        entry.status = Entry.Status.OFFERED
        offer = Offer.objects.create(
            entry=entry,
            practitioner=practitioner,
            consultation_type=consultation_type,
            starts_at=starts_at,
            expires_at=claim_deadline(
                consultation_type=consultation_type, starts_at=starts_at, now=now
            ),
        )
        # Offering a time is work on the enquiry: its retention clock moves on.
        ConsultationRequest.objects.filter(pk=entry.request_id).update(last_activity_at=now)
        emails.queue_waiting_list_offer(offer=offer, now=now)
    logger.info("waiting_list_offered offer=%s entry=%s", offer.pk, entry.pk)
    return offer


def offer_when_committed(
    *,
    practitioner_id: int,
    starts_at: datetime.datetime,
    consultation_type: ConsultationType,
    now: datetime.datetime,
) -> None:
    """Offer the time an appointment change frees (`offer_freed_time`) once the change is
    committed: before that the time is not free, and a rolled-back change frees nothing. A
    failure here is logged, never the change's: the appointment is cancelled or moved
    whatever becomes of the offer."""

    def offer() -> None:
        offer_freed_time(
            practitioner=Practitioner.objects.get(pk=practitioner_id),
            starts_at=starts_at,
            consultation_type=consultation_type,
            now=now,
        )

    transaction.on_commit(offer, robust=True)


def _end_offer(*, offer: WaitingListOffer, status: str, now: datetime.datetime) -> bool:
    """End an open offer (LAPSED or GONE) and put its entry back on the list; False when it
    had already ended (another worker, or the client, got there first)."""
    with transaction.atomic():
        if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(status=status):
            return False
        Entry.objects.filter(pk=offer.entry_id, status=Entry.Status.OFFERED).update(
            status=Entry.Status.WAITING, updated_at=now
        )
    offer.status = status
    return True


@dataclass
class PassOnReport:
    lapsed: int = 0  # offers not claimed by their deadline
    offered: int = 0  # their times offered to the next entry
    ended: int = 0  # entries whose window has passed

    @property
    def handled(self) -> int:
        return self.lapsed + self.offered + self.ended


def pass_on_lapsed_offers(*, now: datetime.datetime | None = None) -> PassOnReport:
    """Offers not claimed by their deadline lapse, their entries go back on the list, and each
    time, if still free, is offered to the next matching entry; then entries whose window has
    passed end. For the email worker's every loop and for cron: with nothing to do it is one
    read through the offers' deadline index."""
    now = now or timezone.now()
    report = PassOnReport()
    lapsed = (
        Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now)
        .select_related("practitioner", "consultation_type")
        .order_by("expires_at", "pk")
    )
    for offer in lapsed:
        if not _end_offer(offer=offer, status=Offer.Status.LAPSED, now=now):
            continue
        report.lapsed += 1
        logger.info("waiting_list_offer_lapsed offer=%s entry=%s", offer.pk, offer.entry_id)
        if offer_freed_time(
            practitioner=offer.practitioner,
            starts_at=offer.starts_at,
            consultation_type=offer.consultation_type,
            now=now,
        ):
            report.offered += 1
    report.ended = end_passed_windows(now=now)
    return report


def end_passed_windows(*, now: datetime.datetime) -> int:
    """Waiting entries whose last date has gone end, and their enquiries close. Returns how
    many ended.

    Asked at most once a clinic day in each process: a window passes only at midnight, and no
    index serves this question for a loop that asks every few seconds. The day is remembered
    in the process's own memory (the cache the booking pages keep there), so remembering it
    costs no query either; a process that forgets it only asks again."""
    today = clinic_today(now)
    key = f"waiting-list:windows-ended:{today.isoformat()}"
    cache = caches[PAGE_CACHE]
    if not cache.add(key, True, timeout=DAY_SECONDS):
        return 0
    ended = 0
    try:
        passed = Entry.objects.filter(status=Entry.Status.WAITING, latest__lt=today)
        for entry in passed.select_related("request"):
            with transaction.atomic():
                if Entry.objects.filter(pk=entry.pk, status=Entry.Status.WAITING).update(
                    status=Entry.Status.ENDED, updated_at=now
                ):
                    _close_enquiry(enquiry=entry.request, by=None)
                    ended += 1
    except Exception:
        cache.delete(key)  # the next loop tries again
        raise
    if ended:
        logger.info("waiting_list_windows_ended count=%s", ended)
    return ended


def _close_enquiry(*, enquiry: ConsultationRequest, by: StaffUser | None) -> None:
    """An entry off the list (left, or its window passed) closes its enquiry, recorded in the
    history, unless staff have moved the enquiry on from the waiting list themselves."""
    if enquiry.status == ConsultationRequest.Status.WAITING:
        workflow.change_status(
            enquiry=enquiry, status=ConsultationRequest.Status.CLOSED_NOT_PROCEEDING, by=by
        )


def claim_offer(
    *, offer: WaitingListOffer, now: datetime.datetime | None = None
) -> WaitingListOffer:
    """The client takes the offered time ("Book this time"): it is booked for the entry's
    enquiry in one step (`appointments.book_appointment` under the client rules, which
    emails the confirmation and the reminder), the offer is CLAIMED, the entry BOOKED, and the
    clinic is told as of any new online booking, all in one transaction.

    Returns the offer as it ends: CLAIMED with its appointment; GONE when the time was taken
    meanwhile (or can no longer be booked), the entry back on the list; LAPSED when past its
    deadline, the time passed on. An offer already ended is returned as it is, so pressing
    the button twice books once."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("entry__request__clinic", "practitioner", "consultation_type")
            .get(pk=offer.pk)
        )
        if current.status != Offer.Status.OPEN:
            return current
        if current.expires_at <= now:
            lapsed = _end_offer(offer=current, status=Offer.Status.LAPSED, now=now)
        else:
            lapsed = False
            _book(offer=current, now=now)
    if lapsed:
        offer_freed_time(
            practitioner=current.practitioner,
            starts_at=current.starts_at,
            consultation_type=current.consultation_type,
            now=now,
        )
    return current


def _book(*, offer: WaitingListOffer, now: datetime.datetime) -> None:
    entry = offer.entry
    enquiry = entry.request
    try:
        appointment = appointments.book_appointment(
            request=enquiry,
            consultation_type=offer.consultation_type,
            starts_at=offer.starts_at,
            practitioner=offer.practitioner,
            now=now,
        )
    except appointments.BookingRefused as refusal:
        _end_offer(offer=offer, status=Offer.Status.GONE, now=now)
        logger.info("waiting_list_offer_gone offer=%s reason=%s", offer.pk, refusal.reason)
        return
    offer.status = Offer.Status.CLAIMED
    offer.appointment = appointment
    offer.save(update_fields=["status", "appointment"])
    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.BOOKED, updated_at=now)
    entry.status = Entry.Status.BOOKED
    # The clinic hears of the new client as of any booked online (it was not emailed when
    # they joined): who they are, the appointment, the link to the enquiry.
    emails.queue_new_enquiry_notifications(
        enquiry=enquiry,
        copy_to=routing.route_enquiry(enquiry_type=enquiry.enquiry_type)[1],
        acknowledge_client=False,
    )
    logger.info("waiting_list_offer_claimed offer=%s appointment=%s", offer.pk, appointment.pk)


def leave_waiting_list(
    *,
    entry: WaitingListEntry,
    now: datetime.datetime | None = None,
    by: StaffUser | None = None,
) -> WaitingListEntry:
    """Take an entry off the list: the client with their link, or staff (`by`). It is LEFT,
    its enquiry closed (unless staff moved it on already), and an open offer withdrawn (GONE,
    its email held back if not sent yet) and its time offered to the next entry. An entry
    already off the list is returned as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Entry.objects.select_for_update(of=("self",)).select_related("request").get(pk=entry.pk)
        )
        if current.status not in ON_THE_LIST:
            return current
        withdrawn = list(
            current.offers.filter(status=Offer.Status.OPEN).select_related(
                "practitioner", "consultation_type"
            )
        )
        Offer.objects.filter(pk__in=[offer.pk for offer in withdrawn]).update(
            status=Offer.Status.GONE
        )
        current.status = Entry.Status.LEFT
        current.save(update_fields=["status", "updated_at"])
        _close_enquiry(enquiry=current.request, by=by)
    logger.info("waiting_list_left entry=%s by=%s", current.pk, "staff" if by else "client")
    for offer in withdrawn:
        offer_freed_time(
            practitioner=offer.practitioner,
            starts_at=offer.starts_at,
            consultation_type=offer.consultation_type,
            now=now,
        )
    return current


def offer_for_link(*, token: str) -> WaitingListOffer | None:
    """The offer a claim link opens, with what its page shows; None for a link that is forged,
    altered, made for something else, or whose offer has gone with its enquiry."""
    pk = client_links.read_token(purpose=client_links.WAITING_LIST_OFFER, token=token)
    if pk is None:
        return None
    return (
        Offer.objects.select_related(
            "entry__request",
            "entry__clinic",
            "practitioner",
            "consultation_type",
            "appointment",
        )
        .filter(pk=pk)
        .first()
    )


def entry_for_link(*, token: str) -> WaitingListEntry | None:
    """The entry a leave link opens; None as for `offer_for_link`."""
    pk = client_links.read_token(purpose=client_links.WAITING_LIST_ENTRY, token=token)
    if pk is None:
        return None
    return (
        Entry.objects.select_related("request", "clinic", "consultation_type", "practitioner")
        .filter(pk=pk)
        .first()
    )
