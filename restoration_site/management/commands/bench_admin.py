"""Part of `make bench`: the staff side at scale, measured in-process against the bench database.

Loads enquiries up to --enquiries (bulk, once), then times the admin enquiry list and the
streamed CSV export of every enquiry, with the export's peak Python memory.
"""

import json
import statistics
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client
from django.utils import timezone

from bookings.models import Clinic, ConsultationRequest

LIST_URL = "/admin/bookings/consultationrequest/"


class Command(BaseCommand):
    help = "Time the admin enquiry list and CSV export with many enquiries (used by make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--enquiries", type=int, default=100_000)

    def handle(self, *args, enquiries: int, **options) -> None:
        self.fill(enquiries)
        admin = get_user_model().objects.filter(username="bench-admin").first()
        if admin is None:
            admin = get_user_model().objects.create_superuser("bench-admin", "", "x" * 20)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin)
        client.get(LIST_URL)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(LIST_URL).status_code == 200
            timings.append(time.perf_counter() - started)
        ids = ConsultationRequest.objects.values_list("pk", flat=True)
        tracemalloc.start()
        started = time.perf_counter()
        response = client.post(
            LIST_URL,
            {
                "action": "export_csv",
                "select_across": "1",
                "index": "0",
                "_selected_action": [ids.first()],
            },
        )
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += 1
        export_seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            json.dumps(
                {
                    "enquiries": ConsultationRequest.objects.count(),
                    "changelist_median_s": statistics.median(timings),
                    "changelist_max_s": max(timings),
                    "export_rows": rows - 1,
                    "export_bytes": size,
                    "export_s": export_seconds,
                    "export_peak_mib": peak / 1_048_576,
                }
            )
        )

    def fill(self, wanted: int) -> None:
        have = ConsultationRequest.objects.count()
        clinics = list(Clinic.objects.all())
        now = timezone.now()
        batch = []
        for n in range(have, wanted):
            batch.append(
                ConsultationRequest(
                    reference=f"RU-BENCH-{n:07d}",
                    full_name=f"Bench Person {n}",
                    email=f"person{n}@bench.example",
                    phone="+447911123456",
                    contact_method="email",
                    enquiry_type="laser_smp" if n % 3 == 0 else "new_smp",
                    preferred_time="any",
                    consent_given_at=now,
                    privacy_policy_version="bench",
                    clinic=clinics[n % len(clinics)],
                    routed_at=now,
                    status_changed_at=now,
                    source="/articles/bench/",
                )
            )
            if len(batch) == 5000:
                ConsultationRequest.objects.bulk_create(batch)
                batch = []
        if batch:
            ConsultationRequest.objects.bulk_create(batch)
