"""Part of `make bench`: the reception desk at scale, measured in-process against the bench
database.

Loads a year of a busy practice once (enquiries up to --enquiries, spread over the last 365
days, and --appointments across both clinics' practitioners, past and coming), then times, as
a receptionist of each clinic and as an administrator: the admin home with its counts, today's
day view (a full day) and an empty day, this week's grid, and the report over a year by week
and by month. Each page's SQL queries are counted on the full day and on an empty one: the same
number whatever the data.
"""

import datetime
import json
import statistics
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from blog.models import Article
from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    ConsultationType,
    Notification,
    Practitioner,
    StaffMember,
)
from portfolio.models import BeforeAfterCase
from restoration_site.common.clinic_clock import clinic_moment, clinic_today
from restoration_site.devtools.management.commands.bench_admin import bench_enquiry

DAYS_OF_DATA = 365
# The first appointment of a day, and the step between appointments of one practitioner.
DAY_STARTS = datetime.time(9, 0)
STEP = datetime.timedelta(minutes=45)
DURATION = datetime.timedelta(minutes=30)
BUFFER_AFTER = datetime.timedelta(minutes=10)
# Targets from the reception desk's issue: each page under 300 ms, the report under 1 s.
PAGE_TARGET_S = 0.3
REPORT_TARGET_S = 1.0
RUNS = 5
BATCH = 5000


class Command(BaseCommand):
    help = "Time the reception desk's pages with a year of enquiries and appointments."

    def add_arguments(self, parser):
        parser.add_argument("--enquiries", type=int, default=100_000)
        parser.add_argument("--appointments", type=int, default=20_000)

    def handle(self, *args, enquiries: int, appointments: int, **options) -> None:
        now = timezone.now()
        self.fill_enquiries(enquiries, now=now)
        self.fill_appointments(appointments, now=now)
        today = clinic_today(now)
        empty_day = today + datetime.timedelta(days=200)
        pages = {
            "home": reverse("admin:index"),
            "day": reverse("admin:bookings_appointment_day_of", args=[today.isoformat()]),
            "week": reverse("admin:bookings_appointment_week_of", args=[today.isoformat()]),
        }
        empty = {
            "day": reverse("admin:bookings_appointment_day_of", args=[empty_day.isoformat()]),
            "week": reverse("admin:bookings_appointment_week_of", args=[empty_day.isoformat()]),
        }
        year_ago = (today - datetime.timedelta(days=DAYS_OF_DATA)).isoformat()
        report = reverse("admin:reports")
        reports = {
            "report by week": f"{report}?period=week&start={year_ago}&end={today.isoformat()}",
            "report by month": f"{report}?period=month&start={year_ago}&end={today.isoformat()}",
        }
        results = {}
        for who, client in self.clients().items():
            for label, url in (pages | reports).items():
                timings, queries = self.time(client, url)
                row = {
                    "median_s": statistics.median(timings),
                    "max_s": max(timings),
                    "queries": queries,
                    "target_s": REPORT_TARGET_S if label.startswith("report") else PAGE_TARGET_S,
                }
                if label in empty:
                    row["queries_empty"] = self.time(client, empty[label], runs=1)[1]
                results[f"{who}: {label}"] = row
        self.stdout.write(
            json.dumps(
                {
                    "enquiries": ConsultationRequest.objects.count(),
                    "appointments": Appointment.objects.count(),
                    "appointments_today": Appointment.objects.filter(
                        starts_at__gte=clinic_moment(today, datetime.time(0)),
                        starts_at__lt=clinic_moment(
                            today + datetime.timedelta(days=1), datetime.time(0)
                        ),
                    ).count(),
                    "pages": results,
                }
            )
        )

    def time(self, client: Client, url: str, runs: int = RUNS) -> tuple[list[float], int]:
        response = client.get(url)  # warm: templates loaded, connections open
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        return timings, len(queries)

    def clients(self) -> dict[str, Client]:
        """Signed-in test clients, each with a confirmed second factor as production requires:
        a receptionist of each clinic and an administrator who sees both."""
        User = get_user_model()
        reception = Group.objects.get(name="Reception")
        clients = {}
        accounts = [("administrator", None)] + [
            (f"{clinic.name} reception", clinic) for clinic in Clinic.objects.order_by("pk")
        ]
        for label, clinic in accounts:
            username = f"bench-{clinic.slug}" if clinic else "bench-admin"
            user = User.objects.filter(username=username).first()
            if user is None and clinic is None:
                user = User.objects.create_superuser(username, "", "x" * 20)
            elif user is None:
                user = User.objects.create_user(username, "", "x" * 20, is_staff=True)
                user.groups.add(reception)
                StaffMember.objects.create(user=user, clinic=clinic)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
            clients[label] = client
        return clients

    def fill_enquiries(self, wanted: int, *, now: datetime.datetime) -> None:
        """Enquiries up to `wanted`, received over the last year, in every status, from the
        site's articles and portfolio cases, most contacted within two days."""
        have = ConsultationRequest.objects.count()
        if have >= wanted:
            return
        clinics = list(Clinic.objects.order_by("pk"))
        sources = [f"/articles/{slug}/" for slug in Article.objects.values_list("slug", flat=True)]
        sources += [
            f"/portfolio/{slug}/" for slug in BeforeAfterCase.objects.values_list("slug", flat=True)
        ]
        sources.append("")
        statuses = [
            ConsultationRequest.Status.CONTACTED,
            ConsultationRequest.Status.BOOKED,
            ConsultationRequest.Status.ATTENDED,
            ConsultationRequest.Status.CLOSED_TREATED,
            ConsultationRequest.Status.CLOSED_NOT_PROCEEDING,
        ]
        created = ConsultationRequest._meta.get_field("created_at")
        # Received over a year: the field's automatic "now" is set aside while loading.
        created.auto_now_add = False
        try:
            batch = []
            for n in range(have, wanted):
                # In the order they arrived, as the site writes them: the n-th of `wanted`
                # spread evenly over the year up to now.
                received = now - (wanted - n) * datetime.timedelta(days=DAYS_OF_DATA) / wanted
                recent = received > now - datetime.timedelta(days=3)
                batch.append(
                    bench_enquiry(
                        n,
                        reference=f"RU-BENCH-{n:07d}",
                        clinic=clinics[n % len(clinics)],
                        now=received,
                        enquiry_type="laser_smp" if n % 3 == 0 else "new_smp",
                        source=sources[n % len(sources)],
                        created_at=received,
                        last_activity_at=received,
                        status=ConsultationRequest.Status.NEW
                        if recent and n % 2
                        else statuses[n % len(statuses)],
                        first_contact_at=None
                        if recent and n % 2
                        else received + datetime.timedelta(hours=1 + n % 47),
                    )
                )
                if len(batch) == BATCH:
                    ConsultationRequest.objects.bulk_create(batch)
                    batch = []
            if batch:
                ConsultationRequest.objects.bulk_create(batch)
        finally:
            created.auto_now_add = True

    def fill_appointments(self, wanted: int, *, now: datetime.datetime) -> None:
        """Appointments up to `wanted`, one per enquiry, none overlapping: each practitioner's
        days filled from DAY_STARTS every STEP, from most of a year ago to some weeks ahead.
        Past ones mostly attended, some no-shows, a few left unresolved; a few cancelled; each
        booked one with its reminder email."""
        have = Appointment.objects.count()
        if have >= wanted:
            return
        practitioners = list(Practitioner.objects.filter(active=True).order_by("pk"))
        types = {
            clinic_id: ConsultationType.objects.filter(clinic_id=clinic_id).order_by("pk").first()
            for clinic_id in {p.clinic_id for p in practitioners}
        }
        per_day = 11
        days = -(-wanted // (per_day * len(practitioners)))
        first_day = clinic_today(now) - datetime.timedelta(days=days * 5 // 6)
        free = ConsultationRequest.objects.filter(appointment__isnull=True).order_by("pk")
        spans = []
        for offset in range(days):
            day = first_day + datetime.timedelta(days=offset)
            for practitioner in practitioners:
                for k in range(per_day):
                    spans.append((practitioner, clinic_moment(day, DAY_STARTS) + k * STEP))
        spans = spans[have:wanted]
        with transaction.atomic():
            for start in range(0, len(spans), BATCH):
                chunk = spans[start : start + BATCH]
                rows, reminders = [], []
                for n, ((practitioner, starts_at), enquiry) in enumerate(
                    zip(chunk, self.matching(free, chunk), strict=True)
                ):
                    past = starts_at + DURATION <= now
                    cancelled = n % 20 == 0
                    outcome = ""
                    if past and not cancelled and n % 40 != 1:
                        outcome = (
                            Appointment.Outcome.NO_SHOW
                            if n % 13 == 0
                            else Appointment.Outcome.ATTENDED
                        )
                    rows.append(
                        Appointment(
                            request=enquiry,
                            clinic_id=practitioner.clinic_id,
                            practitioner=practitioner,
                            consultation_type=types[practitioner.clinic_id],
                            starts_at=starts_at,
                            ends_at=starts_at + DURATION,
                            blocked_from=starts_at,
                            blocked_until=starts_at + DURATION + BUFFER_AFTER,
                            status=Appointment.Status.CANCELLED
                            if cancelled
                            else Appointment.Status.BOOKED,
                            cancelled_at=now if cancelled else None,
                            outcome=outcome,
                            outcome_set_at=now if outcome else None,
                        )
                    )
                Appointment.objects.bulk_create(rows)
                for appointment in rows:
                    if appointment.status == Appointment.Status.BOOKED:
                        reminders.append(
                            Notification(
                                request=appointment.request,
                                kind=Notification.Kind.REMINDER,
                                clinic_id=appointment.clinic_id,
                                appointment=appointment,
                                appointment_sequence=0,
                                recipients=[appointment.request.email],
                                subject="Reminder",
                                status=Notification.Status.SENT
                                if appointment.starts_at < now + datetime.timedelta(days=1)
                                else Notification.Status.PENDING,
                                next_attempt_at=appointment.starts_at - datetime.timedelta(days=1),
                            )
                        )
                Notification.objects.bulk_create(reminders)

    @staticmethod
    def matching(free, chunk: list) -> list[ConsultationRequest]:
        """An enquiry without an appointment of each appointment's own clinic, in order."""
        needed = Counter(practitioner.clinic_id for practitioner, _ in chunk)
        pools = {
            clinic_id: list(free.filter(clinic_id=clinic_id)[:count])
            for clinic_id, count in needed.items()
        }
        return [pools[practitioner.clinic_id].pop() for practitioner, _ in chunk]
