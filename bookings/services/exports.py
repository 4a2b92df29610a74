"""The CSV export of enquiries for staff: columns, notes, phone numbers and formula guards."""

import datetime
from collections.abc import Iterable, Iterator

import phonenumbers
from django.db.models import QuerySet
from django.utils import timezone

from bookings.models import (
    Appointment,
    ConsultationRequest,
    ContactMethod,
    EnquiryNote,
    TimeOfDay,
)
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import appointment_label

CSV_COLUMNS = [
    ("reference", "Reference"),
    ("created_at", "Received"),
    ("full_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("contact_method", "Contact by"),
    ("enquiry_type", "Enquiry type"),
    ("preferred_dates", "Preferred dates"),
    ("preferred_time", "Time of day"),
    ("clinic__name", "Clinic"),
    ("status", "Status"),
    ("appointment__starts_at", "Appointment"),
    ("marketing_opt_in", "Marketing emails"),
    ("source", "Source"),
]
# Excel on Windows reads a CSV file as UTF-8 only when it starts with a byte order mark;
# without it, every accented name comes out garbled.
CSV_BYTE_ORDER_MARK = "\ufeff"


def csv_rows(*, enquiries: QuerySet[ConsultationRequest]) -> Iterator[list[str]]:
    """Header and rows for the CSV export, read in chunks so memory stays flat at any size.

    Each enquiry's internal notes come last, in one cell, oldest first.
    """
    yield [label for _, label in CSV_COLUMNS] + ["Notes"]
    choices = {
        "enquiry_type": dict(EnquiryType.choices),
        "status": dict(ConsultationRequest.Status.choices),
        "contact_method": dict(ContactMethod.choices),
        "preferred_time": dict(TimeOfDay.choices),
    }
    fields = [field for field, _ in CSV_COLUMNS]
    # Whether the appointment is booked and where: another clinic's appointment (an enquiry
    # re-routed after booking) is that clinic's to show.
    extra = ["appointment__status", "appointment__clinic_id", "clinic_id"]
    rows = enquiries.order_by("pk").values_list("pk", *fields, *extra)
    for chunk in _chunks(rows.iterator(chunk_size=2000), size=2000):
        notes = _notes_by_enquiry([row[0] for row in chunk])
        for pk, *row in chunk:
            values = dict(zip(fields + extra, row, strict=True))
            values["created_at"] = _local_minute(values["created_at"])
            values["appointment__starts_at"] = _appointment_cell(values)
            for field, labels in choices.items():
                values[field] = labels.get(values[field], values[field])
            values["preferred_dates"] = ", ".join(values["preferred_dates"] or [])
            values["marketing_opt_in"] = "Yes" if values["marketing_opt_in"] else "No"
            cells = [_csv_safe(str(values[field])) for field in fields]
            # A phone number is stored checked (E.164): written the way people dial it, it
            # starts with a digit, so no spreadsheet takes it for a formula and it needs none
            # of the apostrophe that guards the free-text cells.
            cells[fields.index("phone")] = dialled_phone_number(number=values["phone"])
            yield [*cells, _csv_safe(notes.get(pk, ""))]


def _appointment_cell(values: dict) -> str:
    """“Monday 11 January 2027, 10:00”, in clinic time, “(cancelled)” after a cancelled one;
    empty without an appointment of the enquiry's own clinic."""
    starts_at = values["appointment__starts_at"]
    if starts_at is None or values["appointment__clinic_id"] != values["clinic_id"]:
        return ""
    if values["appointment__status"] == Appointment.Status.CANCELLED:
        return f"{appointment_label(starts_at)} (cancelled)"
    return appointment_label(starts_at)


def _chunks(iterable: Iterable, *, size: int) -> Iterator[list]:
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _notes_by_enquiry(ids: list[int]) -> dict[int, str]:
    notes: dict[int, list[str]] = {}
    for request_id, created_at, text in (
        EnquiryNote.objects.filter(request_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("request_id", "created_at", "text")
    ):
        notes.setdefault(request_id, []).append(f"{_local_minute(created_at)}: {text}")
    return {request_id: "\n".join(lines) for request_id, lines in notes.items()}


def _local_minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def dialled_phone_number(*, number: str) -> str:
    """A stored (E.164) number as people dial it from the UK: `07911 123456` for a UK number,
    `00 33 6 12 34 56 78` for another country's (00, not +, is the UK's international prefix,
    and a leading + would make a spreadsheet read a formula)."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return _csv_safe(number)
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return "00 " + international.removeprefix("+")


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a visitor's text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# THE REPORT'S APPOINTMENTS

APPOINTMENT_CSV_COLUMNS = [
    "Reference",
    "Clinic",
    "Starts (UK time)",
    "Practitioner",
    "Consultation type",
    "Status",
    "Outcome",
    "Booked",
    "Booked at (UK time)",
    "Source",
]


def appointment_csv_rows(
    *, appointments: QuerySet[Appointment], now: datetime.datetime
) -> Iterator[list[str]]:
    """Header and rows for the business report's CSV of appointments, one query read in
    chunks (names joined in, nothing asked per row), so memory and queries stay flat at any
    size. A past appointment still booked with no outcome set reads “Unresolved”."""
    yield APPOINTMENT_CSV_COLUMNS
    statuses = dict(Appointment.Status.choices)
    outcomes = dict(Appointment.Outcome.choices)
    rows = appointments.values_list(
        "request__reference",
        "clinic__name",
        "starts_at",
        "ends_at",
        "practitioner__name",
        "consultation_type__name",
        "status",
        "outcome",
        "booked_by_id",
        "created_at",
        "request__source",
    )
    for (
        reference,
        clinic,
        starts_at,
        ends_at,
        practitioner,
        consultation_type,
        status,
        outcome,
        booked_by,
        booked_at,
        source,
    ) in rows.iterator(chunk_size=2000):
        if outcome:
            outcome = outcomes.get(outcome, outcome)
        elif status == Appointment.Status.BOOKED and ends_at <= now:
            outcome = "Unresolved"
        cells = [
            reference,
            clinic,
            _local_minute(starts_at),
            practitioner,
            consultation_type,
            statuses.get(status, status),
            outcome,
            "Online by the client" if booked_by is None else "By staff",
            _local_minute(booked_at),
            source,
        ]
        yield [_csv_safe(str(cell)) for cell in cells]
