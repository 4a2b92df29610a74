"""Fixtures of the booking tests: a clock frozen on a Monday morning, each clinic's week, and
committed data that other connections and processes can see."""

import sqlite3
from contextlib import closing
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from bookings.models import Weekday
from tests.bookings.booking_pages import NOW
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    hours,
    staff_user,
)

WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@pytest.fixture
def frozen_now(monkeypatch):
    """The pages read the time from Django's clock, as the services do when not told it."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def restoration_u(frozen_now):
    """Restoration U: one consultation type and two practitioners working 09:00 to 12:00 on
    weekdays."""
    consultation = ConsultationTypeFactory(slug="free-smp-consultation")
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart", position=1)
    tom = PractitionerFactory(name="Tom Reed", slug="tom-reed", position=2)
    for person in (amelia, tom):
        for weekday in WEEKDAYS:
            hours(person, weekday, "09:00", "12:00")
    return {"consultation": consultation, "amelia": amelia, "tom": tom}


@pytest.fixture
def laser_reverse(frozen_now):
    """Laser Reverse: its own consultation type and practitioner, Monday afternoons."""
    consultation = ConsultationTypeFactory(
        clinic=clinic("laser-reverse"),
        name="Free laser-removal consultation",
        slug="free-laser-removal-consultation",
    )
    dan = PractitionerFactory(clinic=clinic("laser-reverse"), name="Dan Okafor", slug="dan-okafor")
    hours(dan, Weekday.MONDAY, "13:00", "17:00")
    return {"consultation": consultation, "dan": dan}


@pytest.fixture
def reception(client):
    """Restoration U's receptionist, signed in through the test's client."""
    user = staff_user("restoration-u")
    client.force_login(user)
    return user


def database_url(settings: dict) -> str:
    """DATABASE_URL for another process (gunicorn) to reach the database of these settings."""
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "localhost"
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def own_connections(reference_data, transactional_db, tmp_path) -> str:
    """Committed data that threads and other processes, each with its own connection, can all
    see, starting from the reference data (clinics, routing rules); gives the DATABASE_URL a
    process such as gunicorn reaches it with.

    On SQLite that needs a file: connections to the test run's in-memory database share one
    cache, which refuses a second writer at once instead of waiting for it. The empty test
    database is copied to a file, in WAL mode with IMMEDIATE transactions as the site runs,
    for the length of the test.
    """
    if connection.vendor != "sqlite":
        call_command("loaddata", str(reference_data), verbosity=0)
        yield database_url(connection.settings_dict)
        return
    in_memory = connections["default"]
    in_memory.ensure_connection()
    path = tmp_path / "booking.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        in_memory.connection.backup(copy)
    in_memory_settings = connections.settings["default"]
    connections.settings["default"] = {**in_memory_settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        call_command("loaddata", str(reference_data), verbosity=0)
        yield database_url(connections["default"].settings_dict)
    finally:
        connections["default"].close()
        connections.settings["default"] = in_memory_settings
        connections["default"] = in_memory
