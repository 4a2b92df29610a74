"""Staff sessions: they end after a working day without activity, and are shared by every web
process (in Redis when REDIS_URL is set)."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import staff_user

pytestmark = pytest.mark.django_db
ADMIN = reverse("admin:index")
REDIS_ONLY = pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set")


@pytest.fixture
def clock(monkeypatch, settings):
    """Moves the site's clock on. The sessions are kept in the database here, whose expiry
    follows the clock (Redis forgets a session on its own timer, set from the same age)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    start = timezone.now()

    def move_to(hours: float) -> None:
        later = start + datetime.timedelta(hours=hours)
        monkeypatch.setattr(timezone, "now", lambda: later)

    return move_to


def test_a_staff_session_unused_for_a_working_day_signs_them_out(client, clock):
    client.force_login(staff_user())
    clock(hours=8.1)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_each_request_keeps_a_staff_session_for_another_working_day(client, clock):
    client.force_login(staff_user())
    clock(hours=7)
    assert client.get(ADMIN).status_code == 200
    clock(hours=14)
    assert client.get(ADMIN).status_code == 200


@pytest.fixture
def signed_in_elsewhere():
    """A session cookie from a staff sign-in through one client, as another process made it."""
    first = Client()
    first.force_login(staff_user())
    return first.cookies[django_settings.SESSION_COOKIE_NAME].value


@REDIS_ONLY
def test_a_session_made_through_one_client_is_read_by_another(signed_in_elsewhere):
    second = Client()
    second.cookies[django_settings.SESSION_COOKIE_NAME] = signed_in_elsewhere
    response = second.get(f"/{django_settings.ADMIN_URL}")
    assert response.status_code == 200


@REDIS_ONLY
def test_sessions_are_kept_in_redis_not_in_the_database(signed_in_elsewhere):
    from django.core.cache import caches

    assert not Session.objects.exists()
    assert caches["sessions"].get(f"django.contrib.sessions.cache{signed_in_elsewhere}") is not None
