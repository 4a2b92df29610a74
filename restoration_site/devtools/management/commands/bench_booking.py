"""Part of `make bench`: the times page and the free-time computation of a busy clinic,
measured in-process against the bench database.

Restoration U gets a third practitioner, then 2,000 appointments over the next 31 days, placed
at random (seeded) where they fit, round the clock: about 60% of every practitioner's time is
taken, so some times are left free on most working days. The SQL queries of the times page
and of free_times are counted before and after, and free_times over 31 days is timed (median
of many runs). Prints
one line of JSON, with the times still free to book (each practitioner's, none overlapping
another), for the booking POSTs bench.py sends.
"""

import datetime
import json
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.forms import iso_moment
from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    ConsultationType,
    Practitioner,
    WorkingHours,
)
from bookings.services import availability, team
from restoration_site.common.clinic_clock import clinic_moment, clinic_today
from restoration_site.devtools.management.commands.bench_admin import bench_enquiry
from restoration_site.devtools.management.commands.bench_queries import first_and_cached

TIMES_PATH = "/book/times/?type=new_smp"
CONSULTATION = "free-smp-consultation"
REFERENCE_PREFIX = "RU-BOOKBENCH-"
# The third practitioner: invented, as all demo people are.
THIRD = {
    "slug": "jo-marsh",
    "name": "Jo Marsh",
    "role": "SMP practitioner",
    "bio": "Jo works on hairlines and density, and takes the early appointments.",
}
THIRD_HOURS = [(weekday, datetime.time(8), datetime.time(16)) for weekday in range(6)]
GRID = datetime.timedelta(minutes=5)


class Command(BaseCommand):
    help = "Measure the times page and free_times with many appointments (used by make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--appointments", type=int, default=2000)
        parser.add_argument("--days", type=int, default=31)
        parser.add_argument("--runs", type=int, default=200, help="free_times runs to time.")

    def handle(self, *args, appointments: int, days: int, runs: int, **options) -> None:
        consultation = ConsultationType.objects.get(slug=CONSULTATION)
        clinic = consultation.clinic
        add_third_practitioner(clinic)
        practitioners = list(
            Practitioner.objects.active().filter(clinic=clinic).order_by("position", "name")
        )
        if Appointment.objects.exists():
            raise CommandError("The bench database already has appointments: start afresh.")
        client = Client(HTTP_HOST="127.0.0.1")
        now = timezone.now()

        def compute():
            availability.free_times(consultation_type=consultation, now=now, days=days)

        def free_times_queries() -> int:
            with CaptureQueriesContext(connection) as read:
                compute()
            return len(read)

        def free_times_ms() -> float:
            compute()
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                compute()
                timings.append(time.perf_counter() - started)
            return statistics.median(timings) * 1000

        queries = {"0": first_and_cached(client, TIMES_PATH)}
        free_queries = {"0": free_times_queries()}
        timings = {"0": free_times_ms()}
        fill(consultation, practitioners, count=appointments, days=days, now=now)
        queries[str(appointments)] = first_and_cached(client, TIMES_PATH)
        free_queries[str(appointments)] = free_times_queries()
        timings[str(appointments)] = free_times_ms()
        page = client.get(TIMES_PATH)
        self.stdout.write(
            json.dumps(
                {
                    "path": TIMES_PATH,
                    "practitioners": len(practitioners),
                    "appointments": Appointment.objects.count(),
                    "days": days,
                    "queries": queries,
                    "free_times_queries": free_queries,
                    "free_times_ms": timings,
                    "runs": runs,
                    "page_bytes": len(page.content),
                    "times_on_page": page.content.count(b'type="radio" name="time"'),
                    "bookable": bookable(consultation, practitioners, now=timezone.now()),
                }
            )
        )


def add_third_practitioner(clinic: Clinic) -> None:
    if Practitioner.objects.filter(slug=THIRD["slug"]).exists():
        return
    practitioner = team.save_practitioner(
        practitioner=Practitioner(clinic=clinic, position=10, **THIRD), photo_changed=False
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=weekday, starts=starts, ends=ends)
        for weekday, starts, ends in THIRD_HOURS
    )


def span(consultation: ConsultationType) -> datetime.timedelta:
    """How long an appointment holds its practitioner, buffers included."""
    return consultation.duration + datetime.timedelta(
        minutes=consultation.buffer_before_minutes + consultation.buffer_after_minutes
    )


def fill(
    consultation: ConsultationType,
    practitioners: list[Practitioner],
    *,
    count: int,
    days: int,
    now: datetime.datetime,
) -> None:
    """`count` booked appointments from midnight today for `days` days, shared among the
    practitioners, each placed at random (seeded) on the 5-minute grid where it overlaps none
    of the same practitioner's: every placement of that many is equally likely."""
    start = clinic_moment(clinic_today(now), datetime.time())
    before = datetime.timedelta(minutes=consultation.buffer_before_minutes)
    slots = int(datetime.timedelta(days=days) / GRID)
    needs = int(span(consultation) / GRID)
    rng = random.Random("bench-booking")
    starts = []
    for index, practitioner in enumerate(practitioners):
        mine = len(range(index, count, len(practitioners)))
        # Stars and bars: `mine` sorted picks among the free grid points, each shifted by the
        # spans placed before it.
        picks = sorted(rng.sample(range(slots - mine * needs), mine))
        starts += [
            (practitioner, start + (pick + number * needs) * GRID)
            for number, pick in enumerate(picks)
        ]
    with transaction.atomic():
        requests = ConsultationRequest.objects.bulk_create(
            bench_enquiry(
                number,
                reference=f"{REFERENCE_PREFIX}{number:05d}",
                clinic=consultation.clinic,
                now=now,
                status=ConsultationRequest.Status.BOOKED,
            )
            for number in range(len(starts))
        )
        Appointment.objects.bulk_create(
            Appointment(
                request=request,
                clinic=consultation.clinic,
                practitioner=practitioner,
                consultation_type=consultation,
                starts_at=blocked_from + before,
                ends_at=blocked_from + before + consultation.duration,
                blocked_from=blocked_from,
                blocked_until=blocked_from + span(consultation),
            )
            for request, (practitioner, blocked_from) in zip(requests, starts, strict=True)
        )


def bookable(
    consultation: ConsultationType, practitioners: list[Practitioner], *, now: datetime.datetime
) -> list[tuple[str, str]]:
    """Times still free to book online, as (time as the pages write it, practitioner's slug):
    for each practitioner the earliest free time, then the earliest free once that one is
    taken, and so on, so all of them can be booked; in time order, two days ahead or more
    (still bookable at the end of the run)."""
    later = now + datetime.timedelta(days=2)
    found = []
    for practitioner in practitioners:
        free_from = later
        for day in availability.free_times(
            consultation_type=consultation, practitioner=practitioner, now=now
        ):
            for free in day.times:
                if free.starts_at >= free_from:
                    found.append((free.starts_at, practitioner.slug))
                    free_from = free.starts_at + span(consultation)
    return [(iso_moment(starts_at), slug) for starts_at, slug in sorted(found)]
