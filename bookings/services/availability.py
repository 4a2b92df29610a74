"""Free times: a clinic's schedule minus closures and booked appointments.

The rules, for one consultation type at its clinic:

- Only an active consultation type is offered online, and only active practitioners offer
  times.
- A practitioner's working windows on a date are their schedule overrides for that date when
  there are any (a day-off row means no windows at all), otherwise their weekly hours for that
  weekday; several windows make a split shift.
- Nothing is offered on a date the clinic is closed.
- A start time T is offered when [T, T + duration] lies inside one window, T is a whole number of
  start steps after that window's start, T is at least the minimum notice after now, T's date is
  no later than the horizon (that many days after today, clinic time), and the practitioner's
  span [T - buffer before, T + duration + buffer after) meets no booked appointment's blocked span.

Windows are worked out on the clinic's wall clock (clinic_clock.clinic_moment), so a shift that
starts at 09:00 starts at 09:00 UK time on both sides of a clock change. The minimum notice and
the horizon are online-booking rules: staff booking by phone (`for_staff`) are held to the
schedule and the appointments only, from now on.

Everything is read in three queries (the practitioners with their weekly hours; their dated
exceptions with the clinic's closures; the appointments) whatever the number of days,
practitioners and appointments, and the
times are computed on whole seconds with a binary search per candidate.
"""

import datetime
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate

from django.db import connection

from bookings.models import (
    Appointment,
    ClinicClosure,
    ConsultationType,
    Practitioner,
    ScheduleOverride,
    WorkingHours,
)
from restoration_site.common import sql
from restoration_site.common.clinic_clock import (
    appointment_label,
    appointment_label_with_zone,
    clinic_moment,
    clinic_today,
    day_label,
)

DAY = datetime.timedelta(days=1)
# Appointments are read for the dates asked about and a day either side: a buffer (at most two
# hours) can reach across midnight, and the clinic's midnight is not UTC's.
READ_MARGIN = DAY


@dataclass(frozen=True)
class FreeTime:
    """A start time that can be booked, with every practitioner free then, in team order."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    practitioner_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        """“Tuesday 8 December 2026, 10:30”, in clinic time."""
        return appointment_label(self.starts_at)

    @property
    def label_with_zone(self) -> str:
        """“Tuesday 8 December 2026, 10:30 UK time”: what clients read."""
        return appointment_label_with_zone(self.starts_at)


@dataclass
class DayTimes:
    """One date someone works, and the times free on it.

    Only dates on which at least one practitioner works and whose schedule is not over yet are
    listed: a closed date, a weekend or a day off is left out. `times` is empty when every time
    is booked. `within_notice` is True when some of the day's scheduled times are too soon to
    book online (inside the minimum notice, still to come): the page says "call us" then, and a
    day whose times all fall inside the notice is listed with no times rather than hidden.
    """

    day: datetime.date
    times: list[FreeTime]
    within_notice: bool = False

    @property
    def label(self) -> str:
        """“Tuesday 8 December 2026”."""
        return day_label(self.day)


Shift = tuple[datetime.time, datetime.time]


def _epoch_seconds(column: str) -> str:
    """A stored moment as whole seconds since 1970 (UTC), worked out by the database: making
    Python datetimes of a full calendar's 4,000 stored ones took most of free_times' time."""
    if connection.vendor == "sqlite":
        # SQLite keeps UTC text; julianday() reads it (2440587.5 is 1970-01-01 00:00 UTC).
        return f"CAST(ROUND((julianday({column}) - 2440587.5) * 86400) AS integer)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS bigint)"


def _time(value) -> datetime.time | None:
    # SQLite hands back times and dates as the text it stores; PostgreSQL as Python values.
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


def _date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class _Calendar:
    """What the rules read, for some practitioners of one clinic over a span of dates."""

    practitioner_ids: list[int]
    weekly: dict[int, dict[int, list[Shift]]]
    # (practitioner, date) -> that date's shifts; an empty list is a day off.
    overrides: dict[tuple[int, datetime.date], list[Shift]]
    closures: set[datetime.date]
    # practitioner -> (blocked_from of each booked appointment, sorted, in seconds; the running
    # maximum of their blocked_until): whether anything starting before X ends after Y is one
    # binary search, even if stored spans were ever to overlap.
    blocked: dict[int, tuple[list[int], list[int]]]


def _load(
    *,
    consultation_type: ConsultationType,
    practitioner_id: int | None,
    first_day: datetime.date,
    last_day: datetime.date,
    excluding_appointment_id: int | None,
) -> _Calendar:
    # Three plain SQL reads rather than the ORM's: every booking and every first view of a
    # times page runs them, and building each query took the ORM five times as long as the
    # database took to answer it (make bench, Booking). The rules above say what they read.
    ops = connection.ops
    clinic_id = consultation_type.clinic_id
    # The practitioners asked about: the clinic's active ones, or the one chosen among them.
    chosen, chosen_params = "p.clinic_id = %s AND p.active", [clinic_id]
    if practitioner_id is not None:
        chosen, chosen_params = f"{chosen} AND p.id = %s", [clinic_id, practitioner_id]
    practitioners, hours = sql.table(Practitioner), sql.table(WorkingHours)

    # The practitioners in team order with their weekly hours, in one read (a practitioner
    # without hours still comes back once, with NULLs).
    ids: list[int] = []
    weekly: dict[int, dict[int, list[Shift]]] = defaultdict(lambda: defaultdict(list))
    for pid, weekday, starts, ends in sql.rows(
        f"SELECT p.id, w.weekday, w.starts, w.ends FROM {practitioners} p "
        f"LEFT JOIN {hours} w ON w.practitioner_id = p.id WHERE {chosen} "
        "ORDER BY p.position, p.name, p.id",
        chosen_params,
    ):
        if not ids or ids[-1] != pid:
            ids.append(pid)
        if weekday is not None:
            weekly[pid][weekday].append((_time(starts), _time(ends)))
    calendar = _Calendar(ids, weekly, {}, set(), {})
    if not ids:
        return calendar

    # Their dated exceptions and the clinic's closed dates, in one read: a closure is the row
    # without a practitioner.
    dates = [ops.adapt_datefield_value(first_day), ops.adapt_datefield_value(last_day)]
    day_off: set[tuple[int, datetime.date]] = set()
    overrides: dict[tuple[int, datetime.date], list[Shift]] = defaultdict(list)
    for pid, day, starts, ends in sql.rows(
        f"SELECT o.practitioner_id, o.date, o.starts, o.ends "
        f"FROM {sql.table(ScheduleOverride)} o JOIN {practitioners} p ON p.id = o.practitioner_id "
        f"WHERE {chosen} AND o.date BETWEEN %s AND %s "
        f"UNION ALL SELECT NULL, c.date, NULL, NULL FROM {sql.table(ClinicClosure)} c "
        "WHERE c.clinic_id = %s AND c.date BETWEEN %s AND %s",
        [*chosen_params, *dates, clinic_id, *dates],
    ):
        if pid is None:
            calendar.closures.add(_date(day))
        elif starts is None:
            day_off.add((pid, _date(day)))
        else:
            overrides[(pid, _date(day))].append((_time(starts), _time(ends)))
    # A day off wins over hours given for the same date: never offer a time staff marked off.
    for key in day_off:
        overrides[key] = []
    calendar.overrides = dict(overrides)

    where, params = _booked_between(
        ids,
        start=clinic_moment(first_day, datetime.time()) - READ_MARGIN,
        end=clinic_moment(last_day + DAY, datetime.time()) + READ_MARGIN,
        excluding_appointment_id=excluding_appointment_id,
    )
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, blocked_from, blocked_until in sql.rows(
        f"SELECT practitioner_id, {_epoch_seconds('blocked_from')}, "
        f"{_epoch_seconds('blocked_until')} FROM {sql.table(Appointment)} WHERE {where}",
        params,
    ):
        spans[pid].append((blocked_from, blocked_until))
    for pid, pairs in spans.items():
        pairs.sort()
        calendar.blocked[pid] = (
            [start for start, _ in pairs],
            list(accumulate((end for _, end in pairs), max)),
        )
    return calendar


def _booked_between(
    practitioner_ids: list[int],
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    excluding_appointment_id: int | None,
) -> tuple[str, list]:
    """The WHERE clause, and its parameters, of these practitioners' booked appointments whose
    blocked span meets [start, end), leaving one out (the one being moved)."""
    ops = connection.ops
    where = (
        f"status = %s AND practitioner_id IN ({sql.placeholders(practitioner_ids)}) "
        "AND blocked_from < %s AND blocked_until > %s"
    )
    params = [
        Appointment.Status.BOOKED.value,
        *practitioner_ids,
        ops.adapt_datetimefield_value(end),
        ops.adapt_datetimefield_value(start),
    ]
    if excluding_appointment_id is not None:
        where += " AND id <> %s"
        params.append(excluding_appointment_id)
    return where, params


def practitioners_taken(
    practitioner_ids: list[int],
    *,
    blocked_from: datetime.datetime,
    blocked_until: datetime.datetime,
    excluding_appointment_id: int | None = None,
) -> set[int]:
    """Which of these practitioners a booked appointment holds somewhere in [blocked_from,
    blocked_until): the check a booking makes inside its write transaction (one query)."""
    where, params = _booked_between(
        practitioner_ids,
        start=blocked_from,
        end=blocked_until,
        excluding_appointment_id=excluding_appointment_id,
    )
    return {
        pid
        for (pid,) in sql.rows(
            f"SELECT DISTINCT practitioner_id FROM {sql.table(Appointment)} WHERE {where}", params
        )
    }


def _days_between(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += DAY


def _compute(
    *,
    calendar: _Calendar,
    consultation_type: ConsultationType,
    now: datetime.datetime,
    first_day: datetime.date,
    last_day: datetime.date,
    for_staff: bool,
) -> list[DayTimes]:
    """The rules applied to loaded data: no queries here."""
    step = consultation_type.start_step_minutes * 60
    duration = consultation_type.duration_minutes * 60
    before = consultation_type.buffer_before_minutes * 60
    after = consultation_type.buffer_after_minutes * 60
    length = datetime.timedelta(seconds=duration)
    now_s = now.timestamp()
    earliest = now_s if for_staff else now_s + consultation_type.minimum_notice_hours * 3600
    no_appointments: tuple[list[int], list[int]] = ([], [])
    moments: dict[tuple[datetime.date, datetime.time], float] = {}

    def moment(day: datetime.date, at: datetime.time) -> float:
        key = (day, at)
        if key not in moments:
            moments[key] = clinic_moment(day, at).timestamp()
        return moments[key]

    listed = []
    for day in _days_between(first_day, last_day):
        if day in calendar.closures:
            continue
        weekday = day.weekday()
        free: dict[float, list[int]] = {}
        to_come = within_notice = False
        for pid in calendar.practitioner_ids:
            shifts = calendar.overrides.get((pid, day))
            if shifts is None:
                shifts = calendar.weekly.get(pid, {}).get(weekday, ())
            starts_from, ends_by = calendar.blocked.get(pid, no_appointments)
            for starts, ends in shifts:
                start = moment(day, starts)
                last_start = moment(day, ends) - duration
                if start < now_s:  # skip the steps already gone
                    start += -((start - now_s) // step) * step
                for candidate in range(int(start), int(last_start) + 1, step):
                    to_come = True
                    if candidate < earliest:
                        within_notice = True
                        continue
                    # Any booked span starting before this one ends, and ending after it starts?
                    index = bisect_left(starts_from, candidate + duration + after)
                    if index and ends_by[index - 1] > candidate - before:
                        continue
                    holders = free.setdefault(candidate, [])
                    if not holders or holders[-1] != pid:  # overlapping shifts: once each
                        holders.append(pid)
        if not to_come:
            continue
        times = []
        for candidate in sorted(free):
            starts_at = datetime.datetime.fromtimestamp(candidate, datetime.UTC)
            times.append(FreeTime(starts_at, starts_at + length, tuple(free[candidate])))
        listed.append(DayTimes(day=day, times=times, within_notice=within_notice))
    return listed


def _free_times(
    *,
    consultation_type: ConsultationType,
    practitioner_id: int | None,
    now: datetime.datetime,
    first_day: datetime.date | None,
    days: int | None,
    for_staff: bool,
    excluding_appointment_id: int | None,
) -> list[DayTimes]:
    if not (consultation_type.active or for_staff):
        return []
    today = clinic_today(now)
    horizon = today + datetime.timedelta(days=consultation_type.horizon_days)
    first = max(first_day or today, today)
    last = horizon if days is None else first + datetime.timedelta(days=days - 1)
    if not for_staff:
        last = min(last, horizon)
    if last < first:
        return []
    calendar = _load(
        consultation_type=consultation_type,
        practitioner_id=practitioner_id,
        first_day=first,
        last_day=last,
        excluding_appointment_id=excluding_appointment_id,
    )
    if not calendar.practitioner_ids:
        return []
    return _compute(
        calendar=calendar,
        consultation_type=consultation_type,
        now=now,
        first_day=first,
        last_day=last,
        for_staff=for_staff,
    )


def free_times(
    *,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None = None,
    now: datetime.datetime,
    first_day: datetime.date | None = None,
    days: int | None = None,
    for_staff: bool = False,
    excluding_appointment_id: int | None = None,
) -> list[DayTimes]:
    """The days from `first_day` (today, clinic time, by default) for `days` days (up to the
    type's horizon by default), each with its free times.

    `practitioner` None means no preference: every active practitioner of the type's clinic,
    each time listing all who are free then. A practitioner of another clinic offers nothing.
    `for_staff` drops the online rules (minimum notice, horizon); `excluding_appointment_id`
    leaves one appointment out of the calendar (the one being moved).
    """
    return _free_times(
        consultation_type=consultation_type,
        practitioner_id=practitioner.pk if practitioner else None,
        now=now,
        first_day=first_day,
        days=days,
        for_staff=for_staff,
        excluding_appointment_id=excluding_appointment_id,
    )


def nearest_free_times(
    *,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None = None,
    around: datetime.datetime,
    now: datetime.datetime,
    count: int = 3,
    for_staff: bool = False,
    excluding_appointment_id: int | None = None,
) -> list[FreeTime]:
    """The `count` free times nearest to `around` (before or after it; the earlier of two
    equally near), in time order: "that time has just gone, here are the nearest"."""
    every = [
        time
        for day in free_times(
            consultation_type=consultation_type,
            practitioner=practitioner,
            now=now,
            for_staff=for_staff,
            excluding_appointment_id=excluding_appointment_id,
        )
        for time in day.times
    ]
    nearest = sorted(every, key=lambda time: (abs(time.starts_at - around), time.starts_at))
    return sorted(nearest[:count], key=lambda time: time.starts_at)


def free_practitioners(
    *,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    practitioner_id: int | None = None,
    for_staff: bool = False,
    excluding_appointment_id: int | None = None,
) -> tuple[int, ...]:
    """Who (of `practitioner_id`, or anyone) can be booked at `starts_at`, in team order; only
    that day's data is read."""
    day = clinic_today(starts_at)
    for listed in _free_times(
        consultation_type=consultation_type,
        practitioner_id=practitioner_id,
        now=now,
        first_day=day,
        days=1,
        for_staff=for_staff,
        excluding_appointment_id=excluding_appointment_id,
    ):
        for time in listed.times:
            if time.starts_at == starts_at:
                return time.practitioner_ids
    return ()


def is_offered(
    *,
    consultation_type: ConsultationType,
    practitioner_id: int,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    for_staff: bool = False,
    excluding_appointment_id: int | None = None,
) -> bool:
    """Whether `free_times` would offer `starts_at` with this practitioner: the same rules, for
    re-checking a submitted time."""
    return practitioner_id in free_practitioners(
        consultation_type=consultation_type,
        starts_at=starts_at,
        now=now,
        practitioner_id=practitioner_id,
        for_staff=for_staff,
        excluding_appointment_id=excluding_appointment_id,
    )


class Unavailable(StrEnum):
    """Why a time is not offered online, in the order the rules are checked."""

    PASSED = "passed"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    CLOSED = "closed"
    NOT_OFFERED = "not_offered"
    TAKEN = "taken"


def why_not_offered(
    *,
    consultation_type: ConsultationType,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    practitioner_id: int | None = None,
    excluding_appointment_id: int | None = None,
) -> Unavailable | None:
    """Why a client cannot book `starts_at` online (with `practitioner_id`, or anyone), or None
    when `free_times` offers it: gone, inside the minimum notice, past the horizon, a closed
    date, never one of the schedule's times (outside the hours, off the step, an inactive type
    or practitioner), or taken by an appointment. Reads that day only, in the same three queries
    as `free_times`."""
    if starts_at <= now:
        return Unavailable.PASSED
    if starts_at.timestamp() < now.timestamp() + consultation_type.minimum_notice_hours * 3600:
        return Unavailable.TOO_SOON
    day = clinic_today(starts_at)
    if day > clinic_today(now) + datetime.timedelta(days=consultation_type.horizon_days):
        return Unavailable.TOO_FAR
    if not consultation_type.active:
        return Unavailable.NOT_OFFERED
    calendar = _load(
        consultation_type=consultation_type,
        practitioner_id=practitioner_id,
        first_day=day,
        last_day=day,
        excluding_appointment_id=excluding_appointment_id,
    )
    if day in calendar.closures:
        return Unavailable.CLOSED

    def offered() -> bool:
        listed = _compute(
            calendar=calendar,
            consultation_type=consultation_type,
            now=now,
            first_day=day,
            last_day=day,
            for_staff=False,
        )
        return any(time.starts_at == starts_at for entry in listed for time in entry.times)

    if offered():
        return None
    # The same day with nothing booked: offered then means an appointment holds the time.
    calendar.blocked = {}
    return Unavailable.TAKEN if offered() else Unavailable.NOT_OFFERED
