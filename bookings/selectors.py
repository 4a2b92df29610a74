"""Read-only queries about the clinics' schedules and prices, for the public pages: the team
page, the opening hours the site shows (the team page, each clinic's "Visit us" page, the
structured data), what a visitor can book online, and what each treatment costs."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db.models import Max, Min, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone

from bookings.models import (
    Appointment,
    Clinic,
    ClinicClosure,
    ConsultationType,
    Notification,
    Practitioner,
    RoutingRule,
    ScheduleOverride,
    TreatmentPrice,
    Weekday,
    WorkingHours,
)
from bookings.services import availability
from bookings.services.routing import (
    HOME_CLINIC_SLUG,
    Route,
    clinic_of_each_enquiry_type,
    route_enquiry,
)
from restoration_site.common import sql
from restoration_site.common.caching import PAGE_CACHE
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import clinic_today

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


def _changes(*models) -> list[str]:
    """A version's part for these tables: the latest change to each and how many rows it has
    (a removal changes the count)."""
    return [
        f"(SELECT MAX(updated_at) FROM {table}), (SELECT COUNT(*) FROM {table})"
        for table in map(sql.table, models)
    ]


def _schedule_parts() -> list[str]:
    """The schedules' part of a version: clinics, practitioners and everyone's weekly hours."""
    return _changes(Clinic, Practitioner, WorkingHours)


def _version(parts: list[str], params: tuple = ()) -> str:
    (row,) = sql.rows(f"SELECT {', '.join(parts)}", params)
    return "-".join(str(value) for value in row)


def price_version() -> str:
    """Changes whenever anything the pages showing prices read does: a price added, edited or
    removed, or a clinic's details. One query, in SQL (see `schedule_version`)."""
    return _version(_changes(Clinic, TreatmentPrice))


def schedule_and_price_version() -> str:
    """`schedule_version` and `price_version` in one query, for the home page, whose
    structured data states the clinic's opening hours and its price range."""
    return _version([*_schedule_parts(), *_changes(TreatmentPrice)])


def schedule_version() -> str:
    """Changes whenever anything the public pages show from the schedules changes: a clinic's
    details, a practitioner, or anyone's weekly hours (added, edited or removed).

    Cached pages are keyed on it (see blog.selectors.content_version), so an edit in the admin
    shows at once in every process. It runs on every cached view of those pages, so it is one
    query written in SQL.
    """
    return _version(_schedule_parts())


# How long a process keeps its copy of a times page: the times offered depend on the clock
# too (the minimum notice moves on, a day ends), so a copy is never older than this.
TIMES_PAGE_SECONDS = 10


def times_version() -> str:
    """Changes whenever the free times can, so a cached times page (bookings/urls.py) is never
    shown after a time in it has been taken: the schedules (`schedule_version`), dates that
    differ, closures and consultation types added or removed, the appointments still to come
    (how many, and the newest), and the newest email: every booking, move and cancellation
    queues the client's email in its own transaction (bookings.services.appointments), so a
    time moved or freed changes it too. Edits that change none of these (a consultation
    type's length, a date's hours) show within TIMES_PAGE_SECONDS.

    One query, on every view of a times page, read from indexes only: the appointments
    through their start time, the emails through their key.
    """
    parts = [
        *_schedule_parts(),
        *(
            f"(SELECT COUNT(*) FROM {sql.table(model)}), (SELECT MAX(id) FROM {sql.table(model)})"
            for model in (ScheduleOverride, ClinicClosure, ConsultationType)
        ),
        f"(SELECT COUNT(*) FROM {sql.table(Appointment)} WHERE starts_at >= %s)",
        f"(SELECT MAX(id) FROM {sql.table(Appointment)})",
        f"(SELECT MAX(id) FROM {sql.table(Notification)})",
    ]
    return _version(parts, (timezone.now() - datetime.timedelta(days=1),))


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


@dataclass(frozen=True)
class ClinicVisit:
    """What a clinic's "Visit us" page shows: the clinic (its address, directions, access and
    map), its opening hours and the enquiry types booked there, as (value, label)."""

    clinic: Clinic
    opening_hours: list[OpeningDay]
    enquiry_types: list[tuple[str, str]]

    @property
    def is_home(self) -> bool:
        return self.clinic.slug == HOME_CLINIC_SLUG


def visit_version() -> str:
    """Changes whenever a "Visit us" page can: the schedules (`schedule_version`: the clinic's
    details and its hours) and the routing rules (which enquiry types it books). One query."""
    return _version([*_schedule_parts(), *_changes(RoutingRule)])


def clinic_visit(*, slug: str) -> ClinicVisit | None:
    """A clinic's "Visit us" page, or None for no such clinic: the clinic, its week
    (`opening_hours`) and the enquiry types routing sends to it, in the form's order. Four
    queries, however many practitioners and hours it has."""
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None:
        return None
    routed = clinic_of_each_enquiry_type()
    return ClinicVisit(
        clinic=clinic,
        opening_hours=opening_hours(clinic=clinic),
        enquiry_types=[
            (value, label) for value, label in EnquiryType.choices if routed[value] == clinic.pk
        ],
    )


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


@dataclass(frozen=True)
class BookingOffer:
    """What a visitor can book online for an enquiry type: the clinic routing sends it to (and
    the clinic copied in), its active consultation types and its active practitioners, each in
    the clinic's own order."""

    enquiry_type: str
    clinic: Clinic
    copied_to: Clinic | None
    consultation_types: list[ConsultationType]
    practitioners: list[Practitioner]
    rule: RoutingRule | None = None

    @property
    def route(self) -> Route:
        """What `route_enquiry` answered for the enquiry type, so booking need not ask again."""
        return self.clinic, self.copied_to, self.rule

    @property
    def is_home(self) -> bool:
        """Booked at Restoration U itself (otherwise at the sister clinic, which the pages say
        before anything is sent)."""
        return self.clinic.slug == HOME_CLINIC_SLUG

    def consultation_type(self, slug: str) -> ConsultationType | None:
        return next((kind for kind in self.consultation_types if kind.slug == slug), None)

    def practitioner(self, slug: str) -> Practitioner | None:
        return next((person for person in self.practitioners if person.slug == slug), None)


def offer_version() -> str:
    """Changes whenever what `booking_offer` reads does: the clinics, practitioners (and their
    hours, which the same query reads anyway), consultation types and routing rules, each by
    its latest change and its count (a removal changes the count). One query, in SQL."""
    return _version([*_schedule_parts(), *_changes(ConsultationType, RoutingRule)])


def booking_offer(*, enquiry_type: str) -> BookingOffer:
    """The clinic an enquiry of this type is booked at, with what it offers online: the routing
    rule (or Restoration U), then its consultation types and its practitioners.

    Every booking and every times or details page asks, so each process keeps a copy keyed on
    `offer_version`: one query when it has one, four when it has not."""
    version = hashlib.blake2b(offer_version().encode(), digest_size=16).hexdigest()
    key = f"booking-offer:{enquiry_type}:{version}"
    offers = caches[PAGE_CACHE]
    offer = offers.get(key)
    if offer is None:
        offer = _booking_offer(enquiry_type=enquiry_type)
        # Never kept longer than a times page (TIMES_PAGE_SECONDS): a change the version cannot
        # see (a row edited in place by code, not the admin) shows as soon as on that page.
        offers.set(key, offer, TIMES_PAGE_SECONDS)
    return offer


def _booking_offer(*, enquiry_type: str) -> BookingOffer:
    clinic, copied_to, rule = route_enquiry(enquiry_type=enquiry_type)
    return BookingOffer(
        enquiry_type=enquiry_type,
        clinic=clinic,
        copied_to=copied_to,
        rule=rule,
        consultation_types=list(
            ConsultationType.objects.filter(clinic=clinic, active=True).order_by(
                "position", "name", "pk"
            )
        ),
        practitioners=bookable_practitioners(clinic=clinic),
    )


def bookable_practitioners(*, clinic: Clinic) -> list[Practitioner]:
    """A clinic's active practitioners in team order: whom a visitor can ask for."""
    return list(
        Practitioner.objects.active()
        .filter(clinic=clinic)
        .order_by("position", "name", "pk")
        .only("clinic", "name", "slug")
    )


# How many days the times page shows at once: a week, with links to the weeks either side.
WINDOW_DAYS = 7


@dataclass(frozen=True)
class TimesWindow:
    """A week of a consultation type's free times, as the times page lists them: the dates
    someone works from `first_day` to `last_day` (each with its free times, if any), and the
    first day of the weeks before and after, when they are still bookable online."""

    first_day: datetime.date
    last_day: datetime.date
    days: list[availability.DayTimes]
    earlier: datetime.date | None
    later: datetime.date | None

    @property
    def has_times(self) -> bool:
        return any(day.times for day in self.days)

    @property
    def first_time(self) -> availability.FreeTime | None:
        return next((day.times[0] for day in self.days if day.times), None)


def times_window(
    *,
    consultation_type: ConsultationType,
    practitioner: Practitioner | None,
    now: datetime.datetime,
    first_day: datetime.date | None = None,
    excluding_appointment_id: int | None = None,
) -> TimesWindow:
    """The week from `first_day` (clamped to the bookable dates). Without `first_day`, the week
    from today, or, when nothing in it is free, the week from the next date with a free time,
    so the visitor starts where there is something to choose. Three queries, whatever the
    number of appointments."""
    today = clinic_today(now)
    horizon = today + datetime.timedelta(days=consultation_type.horizon_days)
    listed = availability.free_times(
        consultation_type=consultation_type,
        practitioner=practitioner,
        now=now,
        excluding_appointment_id=excluding_appointment_id,
    )
    week = datetime.timedelta(days=WINDOW_DAYS)
    if first_day is None:
        first_free = next((day.day for day in listed if day.times), None)
        first_day = first_free if first_free and first_free >= today + week else today
    first_day = min(max(first_day, today), horizon)
    last_day = min(first_day + week - datetime.timedelta(days=1), horizon)
    return TimesWindow(
        first_day=first_day,
        last_day=last_day,
        days=[day for day in listed if first_day <= day.day <= last_day],
        earlier=max(first_day - week, today) if first_day > today else None,
        later=last_day + datetime.timedelta(days=1) if last_day < horizon else None,
    )


def consultation_type_by_slug(slug: str) -> ConsultationType | None:
    """Any clinic's consultation type, active or not, with its clinic: for saying why one named
    in an address cannot be booked."""
    return ConsultationType.objects.select_related("clinic").filter(slug=slug).first()


def practitioner_by_slug(slug: str) -> Practitioner | None:
    """Any clinic's practitioner, active or not, with their clinic: for saying why one named in
    an address cannot be booked."""
    return Practitioner.objects.select_related("clinic").filter(slug=slug).first()


def appointment_with_details(pk: int) -> Appointment | None:
    """An appointment with what its pages show (clinic, practitioner, type, reference), in one
    query; None when it is gone."""
    return (
        Appointment.objects.select_related("clinic", "practitioner", "consultation_type", "request")
        .filter(pk=pk)
        .first()
    )


def clinics() -> list[Clinic]:
    """Every clinic, Restoration U first: whom a visitor can call."""
    return sorted(
        Clinic.objects.all(), key=lambda clinic: (clinic.slug != HOME_CLINIC_SLUG, clinic.name)
    )


# PRICES


@dataclass(frozen=True)
class ClinicPrices:
    """A clinic's published prices, in its own order."""

    clinic: Clinic
    prices: list[TreatmentPrice]

    @property
    def is_home(self) -> bool:
        """Restoration U itself: the site is its website."""
        return self.clinic.slug == HOME_CLINIC_SLUG

    @property
    def has_examples(self) -> bool:
        """Whether any figure shown is an example, which the page must say plainly."""
        return any(price.is_example for price in self.prices)


def published_prices(*, treatments: Iterable[str] | None = None) -> list[ClinicPrices]:
    """Each clinic with published prices (of these treatments, or of all), Restoration U
    first, its prices in its own order. One query however many prices there are."""
    prices = TreatmentPrice.objects.published().select_related("clinic")
    if treatments is not None:
        prices = prices.filter(treatment__in=list(treatments))
    by_clinic: dict[int, list[TreatmentPrice]] = {}
    for price in prices.order_by("position", "name", "pk"):
        by_clinic.setdefault(price.clinic_id, []).append(price)
    groups = [ClinicPrices(clinic=rows[0].clinic, prices=rows) for rows in by_clinic.values()]
    return sorted(groups, key=lambda group: (not group.is_home, group.clinic.name))


def home_clinic_price_range() -> tuple[Decimal, Decimal] | None:
    """The lowest and highest figures Restoration U publishes as its own (never examples), or
    None when it publishes none: the clinic's `priceRange` for search engines. One query."""
    figures = (
        TreatmentPrice.objects.published()
        .real_figures()
        .filter(clinic__slug=HOME_CLINIC_SLUG)
        .aggregate(lowest=Min("price"), highest=Max(Coalesce("price_to", "price")))
    )
    if figures["lowest"] is None:
        return None
    return figures["lowest"], figures["highest"]
