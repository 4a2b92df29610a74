"""A demo morning for reception (`seed_demo`, with the demo staff accounts): at each clinic,
yesterday's two appointments without an outcome, today's and this week's, an enquiry still New
after five days, a call-back enquiry to offer times to, and a client on the waiting list, so
the admin home, the day sheet and the week grid have something to show on a fresh `make run`.

Made once: a second run finds the demo clients and changes nothing. Every client is invented,
at an `.example` address. The rows are written as the booking services would leave them, but
directly: yesterday's times could not be booked through them.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from bookings.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    ConsultationType,
    Practitioner,
    RoutingRule,
    WaitingListTime,
)
from bookings.services import enquiries, waiting_list
from restoration_site.common.clinic_clock import clinic_moment, clinic_today

DEMO_CLIENT_DOMAIN = "demo-client.example"
# (first name, surname) for each clinic's demo clients, in the order the morning uses them.
CLIENTS = {
    "restoration-u": [
        "Priya Ashdown",
        "Tom Bellamy",
        "Olu Carrick",
        "Nina Dawes",
        "Sam Everett",
        "Jo Fairley",
        "Kit Garland",
        "Bea Holloway",
    ],
    "laser-reverse": [
        "Ravi Appleton",
        "Lena Brook",
        "Marc Calder",
        "Ines Dorsey",
        "Owen Ellis",
        "Ada Finch",
        "Lou Grant",
        "Cal Hendry",
    ],
}
# Yesterday's two, today's two, and two later this week: (days from today, "HH:MM").
APPOINTMENTS = [
    (-1, "10:00"),
    (-1, "11:00"),
    (0, "10:00"),
    (0, "14:30"),
    (2, "09:30"),
    (3, "11:30"),
]


def seed_reception_day(*, log: Callable[[str], None]) -> None:
    if ConsultationRequest.objects.filter(email__endswith=f"@{DEMO_CLIENT_DOMAIN}").exists():
        log("found the demo reception day")
        return
    now = timezone.now()
    today = clinic_today(now)
    for clinic in Clinic.objects.order_by("pk"):
        rule = RoutingRule.objects.filter(clinic=clinic).order_by("enquiry_type").first()
        practitioner = Practitioner.objects.filter(clinic=clinic, active=True).first()
        kind = ConsultationType.objects.filter(clinic=clinic, active=True).first()
        if not (rule and practitioner and kind and clinic.slug in CLIENTS):
            continue
        names = iter(CLIENTS[clinic.slug])

        def enquiry(status: str, names=names, rule=rule, **fields) -> ConsultationRequest:
            return _demo_enquiry(
                full_name=next(names), enquiry_type=rule.enquiry_type, status=status, **fields
            )

        for days, clock in APPOINTMENTS:
            starts_at = clinic_moment(
                today + datetime.timedelta(days=days), datetime.time.fromisoformat(clock)
            )
            Appointment.objects.create(
                request=enquiry(ConsultationRequest.Status.BOOKED),
                clinic=clinic,
                practitioner=practitioner,
                consultation_type=kind,
                starts_at=starts_at,
                ends_at=starts_at + kind.duration,
                blocked_from=starts_at - datetime.timedelta(minutes=kind.buffer_before_minutes),
                blocked_until=starts_at
                + kind.duration
                + datetime.timedelta(minutes=kind.buffer_after_minutes),
            )
        # Still New five days after it came in (a weekend and a bank holiday fit in five): overdue.
        overdue = enquiry(ConsultationRequest.Status.NEW)
        ConsultationRequest.objects.filter(pk=overdue.pk).update(
            created_at=now - datetime.timedelta(days=5)
        )
        # A call-back request for next week's mornings: "Offer times" preselects from these.
        enquiry(
            ConsultationRequest.Status.NEW,
            preferred_dates=[today + datetime.timedelta(days=days) for days in (7, 8)],
            preferred_time="morning",
        )
        waiting = f"Demo Waiting {clinic.name.split()[0]}"
        waiting_list.join_waiting_list(
            full_name=waiting,
            email=f"waiting.{clinic.slug}@{DEMO_CLIENT_DOMAIN}",
            phone="+447700900456",
            enquiry_type=rule.enquiry_type,
            consultation_type=kind,
            practitioner=None,
            earliest=today,
            latest=today + datetime.timedelta(days=21),
            time_of_day=WaitingListTime.MORNING,
        )
        log(f"created the demo reception day at {clinic}: 6 appointments, 2 new, 1 waiting")


def _demo_enquiry(
    *, full_name: str, enquiry_type: str, status: str, **fields
) -> ConsultationRequest:
    return enquiries.create_consultation_request(
        full_name=full_name,
        email=f"{full_name.split()[0].lower()}@{DEMO_CLIENT_DOMAIN}",
        phone="+447700900123",
        contact_method="phone",
        enquiry_type=enquiry_type,
        preferred_dates=fields.get("preferred_dates", []),
        preferred_time=fields.get("preferred_time", "any"),
        status=status,
        # Demo clients are sent nothing: the outbox stays for what visitors do.
        queue_emails=False,
    )
