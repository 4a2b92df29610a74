import datetime

from django.urls import reverse
from django.utils import timezone

from tests.html import form_data

CHANGELIST = reverse("admin:bookings_consultationrequest_changelist")


def next_open_day(after_days: int = 3) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    while day.weekday() == 6:  # Sunday: closed
        day += datetime.timedelta(days=1)
    return day


def next_sunday() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() != 6:
        day += datetime.timedelta(days=1)
    return day


def valid_form_data(**overrides) -> dict:
    data = {
        "full_name": "Jamie Example",
        "email": "jamie@client.example",
        "phone": "07911 123456",
        "contact_method": "phone",
        "enquiry_type": "new_smp",
        "preferred_date_1": next_open_day().isoformat(),
        "preferred_date_2": "",
        "preferred_date_3": "",
        "preferred_time": "morning",
        "message": "My hairline is receding at the temples.",
        "heard_about": "search",
        "consent": "on",
        "source": "/articles/regretting-smp-laser-tattoo-removal/",
        "website": "",
    }
    return form_data(data, overrides)


def change_url(enquiry) -> str:
    return reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk])


def enquiry_form(*, status: str, email: str, clinic: int, **overrides) -> dict:
    """The admin's enquiry form as a browser sends it, with its inlines left empty."""
    data = {
        "status": status,
        "email": email,
        "clinic": clinic,
        "routing_note": "",
        "_save": "Save",
    }
    for inline in ("appointment", "notes", "photos", "notifications", "events"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    return data | overrides


def change_form(enquiry, **overrides) -> dict:
    """The admin's form for an enquiry as it stands, with `overrides` changed."""
    fields = {"status": enquiry.status, "email": enquiry.email, "clinic": enquiry.clinic_id}
    return enquiry_form(**(fields | overrides))
