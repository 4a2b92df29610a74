import datetime

from django.utils import timezone


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
    return {k: v for k, v in (data | overrides).items() if v is not None}
