"""Read-only queries about the clinics' schedules, for the public pages: the team page and the
opening hours the site shows (the team page, the home page's structured data)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch

from bookings.models import Clinic, Practitioner, Weekday, WorkingHours
from bookings.services.routing import HOME_CLINIC_SLUG

Span = tuple[datetime.time, datetime.time]


@dataclass(frozen=True)
class OpeningDay:
    """One day of a clinic's week: when someone is working there, or closed."""

    weekday: Weekday
    spans: tuple[Span, ...]

    @property
    def name(self) -> str:
        return self.weekday.label

    @property
    def is_closed(self) -> bool:
        return not self.spans

    @property
    def span_labels(self) -> list[str]:
        """[“09:00 to 13:00”, “14:00 to 18:00”]"""
        return [f"{opens:%H:%M} to {closes:%H:%M}" for opens, closes in self.spans]

    @property
    def hours(self) -> str:
        """“09:00 to 13:00, 14:00 to 18:00”, or “Closed”."""
        return ", ".join(self.span_labels) or "Closed"


@dataclass(frozen=True)
class ClinicTeam:
    clinic: Clinic
    practitioners: list[Practitioner]
    opening_hours: list[OpeningDay]

    @property
    def is_home(self) -> bool:
        """Restoration U itself: the site is its website."""
        return self.clinic.slug == HOME_CLINIC_SLUG


def schedule_version() -> str:
    """Changes whenever anything the public pages show from the schedules changes: a clinic's
    details, a practitioner, or anyone's weekly hours (added, edited or removed).

    Cached pages are keyed on it (see blog.selectors.content_version), so an edit in the admin
    shows at once in every process. It runs on every cached view of those pages, so it is one
    query written in SQL.
    """
    parts = []
    for model in (Clinic, Practitioner, WorkingHours):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT MAX(updated_at) FROM {table}), (SELECT COUNT(*) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        row = cursor.fetchone()
    return "-".join(str(value) for value in row)


def opening_days(hours: Iterable[tuple[int, datetime.time, datetime.time]]) -> list[OpeningDay]:
    """Monday to Sunday, each day's spans the union of the given (weekday, starts, ends) hours:
    overlapping or touching spans merge, and a gap (a split shift, or lunch when everyone
    takes it) stays a gap."""
    by_day: dict[int, list[Span]] = {day: [] for day in Weekday.values}
    for weekday, starts, ends in hours:
        by_day[weekday].append((starts, ends))
    days = []
    for weekday, spans in by_day.items():
        merged: list[Span] = []
        for starts, ends in sorted(spans):
            if merged and starts <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(ends, merged[-1][1]))
            else:
                merged.append((starts, ends))
        days.append(OpeningDay(weekday=Weekday(weekday), spans=tuple(merged)))
    return days


def opening_hours(*, clinic: Clinic) -> list[OpeningDay]:
    """A clinic's week: the union of its active practitioners' weekly hours, day by day.

    The one source of the hours the site shows; date overrides and closures change single
    days, never the regular week.
    """
    return _week(practitioner__clinic=clinic)


def home_clinic_opening_hours() -> list[OpeningDay]:
    """Restoration U's week (`opening_hours`), in one query from the clinic's slug."""
    return _week(practitioner__clinic__slug=HOME_CLINIC_SLUG)


def _week(**clinic) -> list[OpeningDay]:
    hours = WorkingHours.objects.filter(practitioner__active=True, **clinic)
    return opening_days(hours.values_list("weekday", "starts", "ends"))


def clinic_teams() -> list[ClinicTeam]:
    """Each clinic with active practitioners, Restoration U first: its practitioners in their
    team-page order and its opening hours. Two queries however many practitioners there are."""
    practitioners = (
        Practitioner.objects.active()
        .select_related("clinic")
        .prefetch_related(
            Prefetch(
                "working_hours",
                queryset=WorkingHours.objects.only("practitioner", "weekday", "starts", "ends"),
            )
        )
    )
    teams: dict[int, list[Practitioner]] = {}
    for practitioner in practitioners:
        teams.setdefault(practitioner.clinic_id, []).append(practitioner)
    result = [
        ClinicTeam(
            clinic=members[0].clinic,
            practitioners=members,
            opening_hours=opening_days(
                (hours.weekday, hours.starts, hours.ends)
                for member in members
                for hours in member.working_hours.all()
            ),
        )
        for members in teams.values()
    ]
    return sorted(result, key=lambda team: (not team.is_home, team.clinic.name))
