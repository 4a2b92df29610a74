"""The picture of the business, for the admin's report page: enquiries, appointments booked,
attended and no-shows per week or month, by clinic, by enquiry type and by the page the
visitor came from, and reception's median time to a first contact.

Reads only, and only through `for_staff`: staff of one clinic see their clinic's figures
whatever clinic they ask for; a superuser sees every clinic's, or the one chosen.

What each figure counts (the report page and the README say the same):
- enquiries: consultation requests received in the period, spam left out (a booking made
  online or by phone stores its enquiry too, so it counts here);
- appointments booked: appointments made in the period, counted on the day they were made,
  including any cancelled since;
- attended and no-shows: appointments whose time fell in the period, with that outcome set by
  staff (an appointment without one is unresolved and counts in neither);
- went on to book (by enquiry type, by page, by clinic): of the enquiries received in the
  period, those that have an appointment, booked then or since;
- time to first contact: from an enquiry's arrival to staff first contacting the client
  (`first_contact_at`), over the enquiries of the period that waited for it: one made by
  staff during a phone call was in contact from its first moment and is left out.

Periods are weeks (Monday to Sunday) or calendar months of the clinic's wall clock
(Europe/London). The first moment of each is worked out here (`clinic_moment`) and the
database finds a row's period by comparing its stored UTC moment with them, in a CASE that
halves the periods at each step. That is TruncWeek or TruncMonth in the clinic's time zone,
answer for answer, clock changes included; but SQLite runs Trunc* through a Python function
for every row, about a second for a year of 100,000 enquiries, where comparisons stay inside
the database on SQLite and PostgreSQL alike.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, Value, When

from bookings.models import Appointment, Clinic, ConsultationRequest, StaffUser
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import clinic_moment

WEEK = "week"
MONTH = "month"
PERIODS = {MONTH: "Month", WEEK: "Week"}
# The pages visitors came from, most enquiries first; the rest are added up in one row.
SOURCES_SHOWN = 15
OTHER_PAGES = "other"
NO_PAGE = ""
BY_PHONE = "phone"


@dataclass(frozen=True)
class PeriodFigures:
    """One week or month of the report."""

    starts: datetime.date
    period: str
    enquiries: int = 0
    booked: int = 0
    attended: int = 0
    no_shows: int = 0

    @property
    def label(self) -> str:
        """“Week of 5 Jan 2026” or “January 2026”."""
        if self.period == WEEK:
            return f"Week of {self.starts.day} {self.starts:%b %Y}"
        return f"{self.starts:%B %Y}"


@dataclass(frozen=True)
class Conversion:
    """Enquiries of one kind (a type, a page visitors came from) and how many went on to
    book. `key` is the enquiry type, or the page's path; `label` what staff read."""

    key: str
    label: str
    enquiries: int
    went_on_to_book: int

    @property
    def rate(self) -> float | None:
        """The share that went on to book, from 0 to 1; None without enquiries."""
        return self.went_on_to_book / self.enquiries if self.enquiries else None


@dataclass(frozen=True)
class FirstContact:
    """The median wait from an enquiry's arrival to its first contact, to the minute, and
    how many contacted enquiries it is the median of."""

    median: datetime.timedelta | None
    contacted: int


@dataclass(frozen=True)
class ClinicFigures:
    clinic_id: int
    name: str
    enquiries: int
    went_on_to_book: int
    booked: int
    attended: int
    no_shows: int
    first_contact: FirstContact


@dataclass(frozen=True)
class Report:
    """The figures of one report: the dates (inclusive), the period, the filters it was
    drawn with, and the figures."""

    start: datetime.date
    end: datetime.date
    period: str
    clinic_id: int | None
    enquiry_type: str | None
    periods: list[PeriodFigures]
    by_type: list[Conversion]
    by_source: list[Conversion]
    # Every clinic's row, for a superuser looking at all clinics; empty otherwise.
    by_clinic: list[ClinicFigures]
    first_contact: FirstContact
    # Enquiries of the period still New with no contact yet: the median cannot count them.
    awaiting_first_contact: int

    @property
    def totals(self) -> PeriodFigures:
        """The figures of the whole report."""
        return PeriodFigures(
            starts=self.start,
            period=self.period,
            enquiries=sum(p.enquiries for p in self.periods),
            booked=sum(p.booked for p in self.periods),
            attended=sum(p.attended for p in self.periods),
            no_shows=sum(p.no_shows for p in self.periods),
        )


def business_report(
    *,
    user: StaffUser,
    start: datetime.date,
    end: datetime.date,
    period: str,
    clinic_id: int | None = None,
    enquiry_type: str | None = None,
) -> Report:
    """The report from `start` to `end` (both included, clinic dates), per `period` (WEEK
    or MONTH), of what `user` may see: for a superuser, `clinic_id` chooses one clinic; for
    staff of one clinic it is ignored (they see their own). `enquiry_type` narrows it to
    one type. A handful of aggregate queries whatever the number of rows."""
    if period not in PERIODS:
        raise ValueError(f"period is {WEEK!r} or {MONTH!r}")
    if end < start:
        raise ValueError("the report ends before it starts")
    starts = period_starts(start=start, end=end, period=period)
    bounds = _bounds(starts=starts, start=start, end=end)
    enquiries = _enquiries(user=user, clinic_id=clinic_id, enquiry_type=enquiry_type).filter(
        created_at__gte=bounds[0], created_at__lt=bounds[-1]
    )
    appointments = _appointments(user=user, clinic_id=clinic_id, enquiry_type=enquiry_type)

    # Enquiries per period, clinic and type, and how many of them went on to book.
    counts = list(
        enquiries.values("clinic_id", "enquiry_type", period=_period_of("created_at", bounds))
        .annotate(
            enquiries=Count("pk"),
            went_on_to_book=Count("appointment"),
            awaiting=Count(
                "pk",
                filter=Q(first_contact_at__isnull=True, status=ConsultationRequest.Status.NEW),
            ),
        )
        .order_by()
    )
    sources = list(
        enquiries.values("source")
        .annotate(enquiries=Count("pk"), went_on_to_book=Count("appointment"))
        .order_by()
    )
    booked = list(
        appointments.filter(created_at__gte=bounds[0], created_at__lt=bounds[-1])
        .values("clinic_id", period=_period_of("created_at", bounds))
        .annotate(count=Count("pk"))
        .order_by()
    )
    outcomes = list(
        appointments.filter(
            starts_at__gte=bounds[0],
            starts_at__lt=bounds[-1],
            outcome__in=[Appointment.Outcome.ATTENDED, Appointment.Outcome.NO_SHOW],
        )
        .values("clinic_id", "outcome", period=_period_of("starts_at", bounds))
        .annotate(count=Count("pk"))
        .order_by()
    )
    waits = _first_contact_by_clinic(enquiries)

    per_period = _per_period(starts, period, counts, booked, outcomes)
    clinics = _clinic_rows(
        user=user,
        clinic_id=clinic_id,
        counts=counts,
        booked=booked,
        outcomes=outcomes,
        waits=waits,
    )
    return Report(
        start=start,
        end=end,
        period=period,
        clinic_id=clinic_id if user.is_superuser else None,
        enquiry_type=enquiry_type,
        periods=per_period,
        by_type=_by_type(counts),
        by_source=_by_source(sources),
        by_clinic=clinics,
        first_contact=waits.get(None, FirstContact(median=None, contacted=0)),
        awaiting_first_contact=sum(row["awaiting"] for row in counts),
    )


def report_appointments(
    *,
    user: StaffUser,
    start: datetime.date,
    end: datetime.date,
    clinic_id: int | None = None,
    enquiry_type: str | None = None,
) -> QuerySet[Appointment]:
    """The appointments whose time falls from `start` to `end` (clinic dates, both
    included), with the report's filters, in time order: what the report's CSV lists."""
    low, high = clinic_moment(start, datetime.time()), _day_after(end)
    return (
        _appointments(user=user, clinic_id=clinic_id, enquiry_type=enquiry_type)
        .filter(starts_at__gte=low, starts_at__lt=high)
        .order_by("starts_at", "pk")
    )


def period_starts(*, start: datetime.date, end: datetime.date, period: str) -> list[datetime.date]:
    """The first day of each week (a Monday) or month from the one holding `start` to the
    one holding `end`."""
    if period == WEEK:
        day = start - datetime.timedelta(days=start.weekday())
    else:
        day = start.replace(day=1)
    days = []
    while day <= end:
        days.append(day)
        day = _next_period(day, period)
    return days


def _next_period(day: datetime.date, period: str) -> datetime.date:
    if period == WEEK:
        return day + datetime.timedelta(days=7)
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _day_after(day: datetime.date) -> datetime.datetime:
    return clinic_moment(day + datetime.timedelta(days=1), datetime.time())


def _bounds(
    *, starts: list[datetime.date], start: datetime.date, end: datetime.date
) -> list[datetime.datetime]:
    """The moments the periods begin, the first at `start`'s midnight rather than its
    period's, and the moment after the last: the report counts its own dates only."""
    return [
        clinic_moment(start, datetime.time()),
        *(clinic_moment(day, datetime.time()) for day in starts[1:]),
        _day_after(end),
    ]


def _period_of(field_name: str, bounds: Sequence[datetime.datetime]):
    """The number of the period a moment falls in (rows are already within the report's
    dates): a CASE halving the periods at each step, so a year of weeks takes six
    comparisons a row, not fifty-three."""

    def within(low: int, high: int):
        if high - low == 1:
            return Value(low)
        middle = (low + high) // 2
        return Case(
            When(**{f"{field_name}__lt": bounds[middle]}, then=within(low, middle)),
            default=within(middle, high),
            output_field=IntegerField(),
        )

    return within(0, len(bounds) - 1)


def _enquiries(
    *, user: StaffUser, clinic_id: int | None, enquiry_type: str | None
) -> QuerySet[ConsultationRequest]:
    enquiries = ConsultationRequest.objects.for_staff(user).filter(is_spam=False)
    if clinic_id is not None and user.is_superuser:
        enquiries = enquiries.filter(clinic_id=clinic_id)
    if enquiry_type:
        enquiries = enquiries.filter(enquiry_type=enquiry_type)
    return enquiries


def _appointments(
    *, user: StaffUser, clinic_id: int | None, enquiry_type: str | None
) -> QuerySet[Appointment]:
    appointments = Appointment.objects.for_staff(user)
    if clinic_id is not None and user.is_superuser:
        appointments = appointments.filter(clinic_id=clinic_id)
    if enquiry_type:
        appointments = appointments.filter(request__enquiry_type=enquiry_type)
    return appointments


class WholeSeconds(Func):
    """Seconds from the second expression's moment to the first's, to the nearest whole
    second, in each database's own arithmetic (Django's subtraction of two datetimes runs a
    Python function for every row on SQLite). Julian days are fractional days: rounding
    keeps an exact 3 h 20 min from coming out a hair short."""

    output_field = IntegerField()
    arity = 2

    def _operands(self, compiler, connection):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return end, start, (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler, connection)
        return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)", params

    def as_sql(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler, connection)
        return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start}))) AS bigint)", params


def _first_contact_by_clinic(
    enquiries: QuerySet[ConsultationRequest],
) -> dict[int | None, FirstContact]:
    """The median wait to first contact of each clinic's enquiries, and of all of them
    (key None), to the minute, in one query however many enquiries and clinics there are.

    Sorting the waits themselves (a window function, or ORDER BY with OFFSET for each
    median) sorts the whole year once per median, and fetching them brings every row to
    Python. Instead the database counts the waits of each whole minute, per clinic: at most
    one row per minute of wait (a few thousand for waits of up to a few days, however many
    enquiries), from which the middle ones are read.
    """
    minutes: dict[int | None, Counter[int]] = defaultdict(Counter)
    for row in (
        enquiries.filter(first_contact_at__gt=F("created_at"))
        .values("clinic_id", minute=WholeSeconds("first_contact_at", "created_at") / 60)
        .annotate(count=Count("pk"))
        .order_by()
    ):
        minutes[row["clinic_id"]][row["minute"]] += row["count"]
        minutes[None][row["minute"]] += row["count"]
    result = {}
    for key, counts in minutes.items():
        total = sum(counts.values())
        # The middle wait, or the two middle waits of an even number.
        middle = [_counted_at(counts, place) for place in {(total - 1) // 2, total // 2}]
        result[key] = FirstContact(
            median=datetime.timedelta(minutes=sum(middle) / len(middle)), contacted=total
        )
    return result


def _counted_at(counts: Mapping[int, int], place: int) -> int:
    """The value at `place` (from 0) in the sorted values that `counts` counts (value: how
    many of it)."""
    before = 0
    for value in sorted(counts):
        before += counts[value]
        if place < before:
            return value
    raise IndexError(place)


def _per_period(
    starts: list[datetime.date],
    period: str,
    counts: list[dict],
    booked: list[dict],
    outcomes: list[dict],
) -> list[PeriodFigures]:
    figures: dict[int, Counter[str]] = defaultdict(Counter)
    for row in counts:
        figures[row["period"]]["enquiries"] += row["enquiries"]
    for row in booked:
        figures[row["period"]]["booked"] += row["count"]
    for row in outcomes:
        what = "attended" if row["outcome"] == Appointment.Outcome.ATTENDED else "no_shows"
        figures[row["period"]][what] += row["count"]
    return [
        PeriodFigures(starts=day, period=period, **figures[number])
        for number, day in enumerate(starts)
    ]


def _by_type(counts: list[dict]) -> list[Conversion]:
    enquiries: Counter[str] = Counter()
    went_on: Counter[str] = Counter()
    for row in counts:
        enquiries[row["enquiry_type"]] += row["enquiries"]
        went_on[row["enquiry_type"]] += row["went_on_to_book"]
    return [
        Conversion(
            key=value, label=label, enquiries=enquiries[value], went_on_to_book=went_on[value]
        )
        for value, label in EnquiryType.choices
        if enquiries[value]
    ]


def source_key(source: str) -> str:
    """The page an enquiry came from, as the report groups it: the path without its query
    string; NO_PAGE when none was recorded, BY_PHONE for one staff took on the phone (its
    source names who booked it)."""
    if not source:
        return NO_PAGE
    if not source.startswith("/"):
        return BY_PHONE
    return source.split("?", 1)[0].split("#", 1)[0]


SOURCE_LABELS = {
    NO_PAGE: "No page recorded",
    BY_PHONE: "Booked by staff on the phone",
    OTHER_PAGES: "All other pages",
}


def _by_source(rows: list[dict]) -> list[Conversion]:
    """Pages with the most enquiries first (SOURCES_SHOWN of them), then the rest in one
    row; labels are the paths, for the page to name the articles and cases."""
    enquiries: Counter[str] = Counter()
    went_on: Counter[str] = Counter()
    for row in rows:
        key = source_key(row["source"])
        enquiries[key] += row["enquiries"]
        went_on[key] += row["went_on_to_book"]
    ranked = sorted(enquiries, key=lambda key: (-enquiries[key], key))
    shown, rest = ranked[:SOURCES_SHOWN], ranked[SOURCES_SHOWN:]
    result = [
        Conversion(
            key=key,
            label=SOURCE_LABELS.get(key, key),
            enquiries=enquiries[key],
            went_on_to_book=went_on[key],
        )
        for key in shown
    ]
    if rest:
        result.append(
            Conversion(
                key=OTHER_PAGES,
                label=f"{SOURCE_LABELS[OTHER_PAGES]} ({len(rest)})",
                enquiries=sum(enquiries[key] for key in rest),
                went_on_to_book=sum(went_on[key] for key in rest),
            )
        )
    return result


def _clinic_rows(
    *,
    user: StaffUser,
    clinic_id: int | None,
    counts: list[dict],
    booked: list[dict],
    outcomes: list[dict],
    waits: dict[int | None, FirstContact],
) -> list[ClinicFigures]:
    """A row for each clinic, when the report covers more than one (a superuser's, with no
    clinic chosen)."""
    if not user.is_superuser or clinic_id is not None:
        return []
    figures: dict[int, Counter[str]] = defaultdict(Counter)
    for row in counts:
        figures[row["clinic_id"]]["enquiries"] += row["enquiries"]
        figures[row["clinic_id"]]["went_on_to_book"] += row["went_on_to_book"]
    for row in booked:
        figures[row["clinic_id"]]["booked"] += row["count"]
    for row in outcomes:
        what = "attended" if row["outcome"] == Appointment.Outcome.ATTENDED else "no_shows"
        figures[row["clinic_id"]][what] += row["count"]
    return [
        ClinicFigures(
            clinic_id=clinic.pk,
            name=clinic.name,
            enquiries=figures[clinic.pk]["enquiries"],
            went_on_to_book=figures[clinic.pk]["went_on_to_book"],
            booked=figures[clinic.pk]["booked"],
            attended=figures[clinic.pk]["attended"],
            no_shows=figures[clinic.pk]["no_shows"],
            first_contact=waits.get(clinic.pk, FirstContact(median=None, contacted=0)),
        )
        for clinic in Clinic.objects.staffed_by(user)
    ]
