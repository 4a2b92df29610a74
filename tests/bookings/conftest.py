"""Fixtures of the booking tests: a signed-in receptionist, and committed data that other
connections and processes can see (the clinics' weeks are in booking_pages.py)."""

import sqlite3
from contextlib import closing
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.factories import staff_user


@pytest.fixture
def reception(client):
    """Restoration U's receptionist, signed in through the test's client."""
    user = staff_user("restoration-u")
    client.force_login(user)
    return user


def database_url(settings: dict) -> str:
    """DATABASE_URL for another process (gunicorn) to reach the database of these settings."""
    if "sqlite" in settings["ENGINE"]:
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
