"""What reception reads: the home page's counts, the lists those counts open, the day sheet and
the week grid, every row through `for_staff`.

Each list is one function that narrows a queryset (the admin's list filters call it on their
list, the home page counts what it gives), so a count and the list it links to can never
disagree. Each page runs the same few queries however many rows there are.

The working-day rule: a still-New enquiry is overdue ("new for over a working day") once it
was received before this time of day on the clinic's previous working day. Working days are
Monday to Friday, less the clinic's closures (bank holidays, training days). On Monday at
10:00 that is anything new from before Friday 10:00; after a bank holiday Monday, on Tuesday at
10:00, also Friday 10:00. An enquiry sent on Saturday is overdue from the start of Tuesday:
all of Monday was there to answer it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from bookings.models import (
    Appointment,
    Clinic,
    ClinicClosure,
    ConsultationRequest,
    EnquiryPhoto,
    Notification,
    Practitioner,
    StaffUser,
)
from restoration_site.common.clinic_clock import clinic_moment, clinic_time, clinic_today

MIDNIGHT = datetime.time(0)
# How far back the previous working day is looked for. A clinic closed for longer than this
# takes the day before it as a working day: everything new from before it is overdue anyway.
LOOK_BACK_DAYS = 31

# The dates the day sheet and the week grid open (anything else is a 404, never a 500).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


# THE WORKING-DAY RULE


def is_working_day(day: datetime.date, *, closed: set[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in closed


def previous_working_day(today: datetime.date, *, closed: set[datetime.date]) -> datetime.date:
    """The last working day before `today` (at most LOOK_BACK_DAYS back)."""
    day = today - datetime.timedelta(days=1)
    while not is_working_day(day, closed=closed) and (today - day).days < LOOK_BACK_DAYS:
        day -= datetime.timedelta(days=1)
    return day


def overdue_before(*, now: datetime.datetime, closed: set[datetime.date]) -> datetime.datetime:
    """The moment before which a still-New enquiry is overdue: this time of day, on the clinic's
    wall clock, on its previous working day (the same wall time across a clock change)."""
    local = clinic_time(now)
    return clinic_moment(previous_working_day(local.date(), closed=closed), local.time())


def closed_days(
    *, user: StaffUser, clinic_ids: list[int], now: datetime.datetime
) -> dict[int, set[datetime.date]]:
    """Each clinic's closures in the weeks the working-day rule looks back over (one query)."""
    today = clinic_today(now)
    closed: dict[int, set[datetime.date]] = {clinic_id: set() for clinic_id in clinic_ids}
    rows = ClinicClosure.objects.for_staff(user).filter(
        clinic_id__in=clinic_ids,
        date__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS),
        date__lt=today,
    )
    for clinic_id, day in rows.values_list("clinic_id", "date"):
        closed[clinic_id].add(day)
    return closed


def overdue_moments(
    *, user: StaffUser, clinic_ids: list[int], now: datetime.datetime
) -> dict[int, datetime.datetime]:
    closed = closed_days(user=user, clinic_ids=clinic_ids, now=now)
    return {clinic_id: overdue_before(now=now, closed=days) for clinic_id, days in closed.items()}


# THE LISTS THE HOME PAGE COUNTS


def start_of_day(day: datetime.date) -> datetime.datetime:
    return clinic_moment(day, MIDNIGHT)


def received_today(enquiries: QuerySet, *, now: datetime.datetime) -> QuerySet:
    """Enquiries received since midnight on the clinic's clock, whatever their status now."""
    return enquiries.filter(is_spam=False, created_at__gte=start_of_day(clinic_today(now)))


def new_for_over_a_working_day(
    enquiries: QuerySet, *, user: StaffUser, now: datetime.datetime
) -> QuerySet:
    """Enquiries still New received before this time on their clinic's previous working day
    (the rule in this module's docstring), each clinic by its own closures."""
    clinic_ids = list(Clinic.objects.staffed_by(user).values_list("pk", flat=True))
    return _new_before(
        enquiries, moments=overdue_moments(user=user, clinic_ids=clinic_ids, now=now)
    )


def _new_before(enquiries: QuerySet, *, moments: dict[int, datetime.datetime]) -> QuerySet:
    if not moments:
        return enquiries.none()
    per_clinic = Q()
    for clinic_id, moment in moments.items():
        per_clinic |= Q(clinic_id=clinic_id, created_at__lt=moment)
    return enquiries.filter(per_clinic, status=ConsultationRequest.Status.NEW, is_spam=False)


def contacted_without_appointment(enquiries: QuerySet, *, user: StaffUser) -> QuerySet:
    """Enquiries marked Contacted that hold no booked appointment (none yet, or cancelled)."""
    booked = Appointment.objects.for_staff(user).booked().filter(request_id=OuterRef("pk"))
    return enquiries.filter(
        ~Exists(booked), status=ConsultationRequest.Status.CONTACTED, is_spam=False
    )


def starting_on(appointments: QuerySet, day: datetime.date) -> QuerySet:
    """Appointments that start on `day` by the clinic's clock (a 23- or 25-hour day at a clock
    change), booked or cancelled."""
    return appointments.filter(
        starts_at__gte=start_of_day(day),
        starts_at__lt=start_of_day(day + datetime.timedelta(days=1)),
    )


def appointments_today(appointments: QuerySet, *, now: datetime.datetime) -> QuerySet:
    return starting_on(appointments, clinic_today(now))


def unresolved(appointments: QuerySet, *, now: datetime.datetime) -> QuerySet:
    """Booked appointments that are over with no outcome recorded: only staff say what
    happened, so an appointment stays here until they do (it never becomes a no-show)."""
    return appointments.filter(status=Appointment.Status.BOOKED, outcome="", ends_at__lte=now)


# THE HOME PAGE


@dataclass
class ClinicToday:
    """One clinic's counts on the home page."""

    clinic: Clinic
    received_today: int = 0
    new_for_over_a_working_day: int = 0
    contacted_without_appointment: int = 0
    appointments_today: int = 0
    unresolved: int = 0


def _by_clinic(rows: QuerySet) -> dict[int, int]:
    return dict(rows.order_by().values_list("clinic_id").annotate(Count("pk")))


def clinics_today(*, user: StaffUser, now: datetime.datetime) -> list[ClinicToday]:
    """The staff member's clinic's counts (a superuser: every clinic's, one each), in seven
    queries however many rows there are: the clinics, their closures, and one count per list
    grouped by clinic."""
    clinics = list(Clinic.objects.staffed_by(user))
    if not clinics:
        return []
    ids = [clinic.pk for clinic in clinics]
    # Named clinic by clinic even for a superuser, so each count searches the (clinic, ...)
    # indexes instead of scanning every clinic's rows.
    enquiries = ConsultationRequest.objects.for_staff(user).filter(clinic_id__in=ids)
    appointments = Appointment.objects.for_staff(user).filter(clinic_id__in=ids)
    counts = {
        "received_today": _by_clinic(received_today(enquiries, now=now)),
        "new_for_over_a_working_day": _by_clinic(
            _new_before(enquiries, moments=overdue_moments(user=user, clinic_ids=ids, now=now))
        ),
        "contacted_without_appointment": _by_clinic(
            contacted_without_appointment(enquiries, user=user)
        ),
        "appointments_today": _by_clinic(appointments_today(appointments.booked(), now=now)),
        "unresolved": _by_clinic(unresolved(appointments, now=now)),
    }
    return [
        ClinicToday(
            clinic=clinic,
            **{name: per_clinic.get(clinic.pk, 0) for name, per_clinic in counts.items()},
        )
        for clinic in clinics
    ]


# THE DAY SHEET AND THE WEEK GRID


@dataclass
class PractitionerDay:
    practitioner: Practitioner
    appointments: list[Appointment] = field(default_factory=list)


@dataclass
class ClinicDay:
    """One clinic's day: whether it is closed, and each practitioner's appointments in time
    order (every active practitioner, and anyone else with an appointment that day)."""

    clinic: Clinic
    closure: str = ""
    practitioners: list[PractitionerDay] = field(default_factory=list)


def _practitioners(
    *, user: StaffUser, clinics: list[Clinic], appointments: list[Appointment]
) -> dict[int, list[Practitioner]]:
    """Each clinic's practitioners in team order: the active ones, and any others the
    appointments name (already read with them)."""
    people = {p.pk: p for p in Practitioner.objects.for_staff(user).active()}
    for appointment in appointments:
        people.setdefault(appointment.practitioner_id, appointment.practitioner)
    by_clinic: dict[int, list[Practitioner]] = {clinic.pk: [] for clinic in clinics}
    for person in sorted(people.values(), key=lambda p: (p.position, p.name, p.pk)):
        if person.clinic_id in by_clinic:
            by_clinic[person.clinic_id].append(person)
    return by_clinic


def day_sheet(*, user: StaffUser, day: datetime.date) -> list[ClinicDay]:
    """Each of the staff member's clinics on `day` (a superuser: every clinic), in four
    queries however many appointments: the clinics, the day's closures, the active
    practitioners, and the appointments with their client, consultation type, whether the
    reminder for this time went and whether the client sent photos."""
    clinics = list(Clinic.objects.staffed_by(user))
    reminder_sent = Notification.objects.for_staff(user).filter(
        appointment_id=OuterRef("pk"),
        appointment_sequence=OuterRef("sequence"),
        kind=Notification.Kind.REMINDER,
        status=Notification.Status.SENT,
    )
    photos = EnquiryPhoto.objects.for_staff(user).filter(request_id=OuterRef("request_id"))
    appointments = list(
        starting_on(Appointment.objects.for_staff(user), day)
        .select_related("request", "consultation_type", "practitioner", "clinic")
        .annotate(reminder_sent=Exists(reminder_sent), has_photos=Exists(photos))
        .order_by("starts_at", "pk")
    )
    closures = dict(
        ClinicClosure.objects.for_staff(user).filter(date=day).values_list("clinic_id", "name")
    )
    people = _practitioners(user=user, clinics=clinics, appointments=appointments)
    sheets = []
    for clinic in clinics:
        rows = {p.pk: PractitionerDay(practitioner=p) for p in people[clinic.pk]}
        for appointment in appointments:
            if appointment.practitioner_id in rows:
                rows[appointment.practitioner_id].appointments.append(appointment)
        sheets.append(
            ClinicDay(
                clinic=clinic,
                closure=closures.get(clinic.pk, ""),
                practitioners=list(rows.values()),
            )
        )
    return sheets


def week_of(day: datetime.date) -> list[datetime.date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


@dataclass
class PractitionerWeek:
    practitioner: Practitioner
    # One list per day, Monday first.
    days: list[list[Appointment]]


@dataclass
class ClinicWeek:
    clinic: Clinic
    # Each day's closure name ("" when open), Monday first.
    closures: list[str]
    practitioners: list[PractitionerWeek]


def week_grid(*, user: StaffUser, days: list[datetime.date]) -> list[ClinicWeek]:
    """Each of the staff member's clinics over `days` (a week): each practitioner's
    appointments day by day, in four queries however many there are."""
    clinics = list(Clinic.objects.staffed_by(user))
    first, last = days[0], days[-1]
    appointments = list(
        Appointment.objects.for_staff(user)
        .filter(
            starts_at__gte=start_of_day(first),
            starts_at__lt=start_of_day(last + datetime.timedelta(days=1)),
        )
        .select_related("request", "consultation_type", "practitioner")
        .order_by("starts_at", "pk")
    )
    closures = defaultdict(dict)
    for clinic_id, day, name in (
        ClinicClosure.objects.for_staff(user)
        .filter(date__gte=first, date__lte=last)
        .values_list("clinic_id", "date", "name")
    ):
        closures[clinic_id][day] = name
    people = _practitioners(user=user, clinics=clinics, appointments=appointments)
    column = {day: n for n, day in enumerate(days)}
    grids = []
    for clinic in clinics:
        rows = {
            p.pk: PractitionerWeek(practitioner=p, days=[[] for _ in days])
            for p in people[clinic.pk]
        }
        for appointment in appointments:
            row = rows.get(appointment.practitioner_id)
            if row is not None:
                row.days[column[clinic_time(appointment.starts_at).date()]].append(appointment)
        grids.append(
            ClinicWeek(
                clinic=clinic,
                closures=[closures[clinic.pk].get(day, "") for day in days],
                practitioners=list(rows.values()),
            )
        )
    return grids
