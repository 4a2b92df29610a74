"""Part of `make bench`: the staff side at scale, measured in-process against the bench database.

Loads enquiries up to --enquiries (bulk, once), then times the admin enquiry list and the
streamed CSV export of every enquiry, with the export's peak Python memory.
"""

import datetime
import json
import statistics
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookings.models import Clinic, ConsultationRequest


def bench_enquiry(
    number: int, *, reference: str, clinic: Clinic, now: datetime.datetime, **fields
) -> ConsultationRequest:
    """An enquiry made up for a measurement, unsaved (for bulk_create): bench person `number`,
    at an example address, routed to `clinic`; `fields` add to it or replace its own."""
    return ConsultationRequest(
        **{
            "reference": reference,
            "full_name": f"Bench Person {number}",
            "email": f"person{number}@bench.example",
            "phone": "+447911123456",
            "contact_method": "email",
            "enquiry_type": "new_smp",
            "preferred_time": "any",
            "consent_given_at": now,
            "privacy_policy_version": "bench",
            "clinic": clinic,
            "routed_at": now,
            "status_changed_at": now,
        }
        | fields
    )


class Command(BaseCommand):
    help = "Time the admin enquiry list and CSV export with many enquiries (used by make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--enquiries", type=int, default=100_000)

    def handle(self, *args, enquiries: int, **options) -> None:
        list_url = reverse("admin:bookings_consultationrequest_changelist")
        self.fill(enquiries)
        admin = get_user_model().objects.filter(username="bench-admin").first()
        if admin is None:
            admin = get_user_model().objects.create_superuser("bench-admin", "", "x" * 20)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin)
        # Signed in with a second factor too, as production requires.
        device, _ = TOTPDevice.objects.get_or_create(user=admin, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.get(list_url)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(list_url).status_code == 200
            timings.append(time.perf_counter() - started)
        ids = ConsultationRequest.objects.values_list("pk", flat=True)
        tracemalloc.start()
        started = time.perf_counter()
        response = client.post(
            list_url,
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
                bench_enquiry(
                    n,
                    reference=f"RU-BENCH-{n:07d}",
                    clinic=clinics[n % len(clinics)],
                    now=now,
                    enquiry_type="laser_smp" if n % 3 == 0 else "new_smp",
                    source="/articles/bench/",
                )
            )
            if len(batch) == 5000:
                ConsultationRequest.objects.bulk_create(batch)
                batch = []
        if batch:
            ConsultationRequest.objects.bulk_create(batch)
