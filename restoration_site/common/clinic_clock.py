"""The one clinic clock: times are stored in UTC and shown in Europe/London.

Pages, emails, calendar invites, reminders and the admin all format appointment times through
these functions, so a time cannot read differently in two places (the clock-change weeks are
where booking systems most often get this wrong).
"""

import datetime
from zoneinfo import ZoneInfo

CLINIC_TIME_ZONE = ZoneInfo("Europe/London")
# Said after every time a client reads, so no one abroad mistakes it for their own time.
TIME_ZONE_LABEL = "UK time"


def clinic_time(moment: datetime.datetime) -> datetime.datetime:
    """An aware moment as the clinic's wall clock shows it."""
    if moment.tzinfo is None:
        raise ValueError("clinic_time needs an aware datetime")
    return moment.astimezone(CLINIC_TIME_ZONE)


def clinic_moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """The aware moment the clinic's wall clock reads `at` on `day` (in UTC).

    A wall time skipped when the clocks go forward is taken as the time an hour later (the
    clock shows it); a repeated one when they go back as its first occurrence. Clinic hours
    never fall in the small hours, but arithmetic must still be total.
    """
    # fold=0 does both (PEP 495): a skipped time takes the offset before the change.
    return datetime.datetime.combine(day, at, tzinfo=CLINIC_TIME_ZONE).astimezone(datetime.UTC)


def clinic_today(now: datetime.datetime) -> datetime.date:
    return clinic_time(now).date()


def day_label(day: datetime.date) -> str:
    """“Tuesday 8 December 2026”."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def appointment_label(moment: datetime.datetime) -> str:
    """“Tuesday 8 December 2026, 10:30”, in clinic time."""
    local = clinic_time(moment)
    return f"{day_label(local.date())}, {local:%H:%M}"


def appointment_label_with_zone(moment: datetime.datetime) -> str:
    """“Tuesday 8 December 2026, 10:30 UK time”: what clients read."""
    return f"{appointment_label(moment)} {TIME_ZONE_LABEL}"
