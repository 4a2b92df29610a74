"""What the tests of the booking pages share: the frozen clock's dates, times as the pages write
them, and the choice and details a visitor sends (the fixtures are in conftest.py)."""

import datetime

from bookings.forms import iso_moment
from restoration_site.common.clinic_clock import clinic_moment

# Monday 4 January 2027, 08:00 in London (GMT, so UTC too): far from any clock change.
NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)
TODAY = NOW.date()
MONDAY = datetime.date(2027, 1, 11)


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def iso(day: datetime.date, clock: str) -> str:
    """A time as the pages write it in addresses and forms."""
    return iso_moment(at(day, clock))


def choice(**overrides) -> dict:
    """What the times page sends to the details page: Monday 11 January, 10:00, no preference."""
    data = {
        "type": "new_smp",
        "consultation": "free-smp-consultation",
        "practitioner": "",
        "time": iso(MONDAY, "10:00"),
        "from": "/portfolio/natural-hairline/",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


# What a visitor types into the details form.
VISITOR = {
    "full_name": "Jamie Example",
    "email": "jamie@client.example",
    "phone": "07911 123456",
    "contact_method": "phone",
    "message": "My hairline is receding at the temples.",
    "heard_about": "search",
    "consent": "on",
    "website": "",
}


def details(**overrides) -> dict:
    """The details form as a visitor fills it in, with the choice and a one-time key."""
    data = choice() | {"key": "k" * 22} | VISITOR
    return {key: value for key, value in (data | overrides).items() if value is not None}
