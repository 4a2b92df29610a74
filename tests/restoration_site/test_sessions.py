"""Staff sessions shared by every web process: in Redis when REDIS_URL is set."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import staff_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set"),
]


@pytest.fixture
def signed_in_elsewhere():
    """A session cookie from a staff sign-in through one client, as another process made it."""
    first = Client()
    first.force_login(staff_user())
    return first.cookies[django_settings.SESSION_COOKIE_NAME].value


def test_a_session_made_through_one_client_is_read_by_another(signed_in_elsewhere):
    second = Client()
    second.cookies[django_settings.SESSION_COOKIE_NAME] = signed_in_elsewhere
    response = second.get(f"/{django_settings.ADMIN_URL}")
    assert response.status_code == 200


def test_sessions_are_kept_in_redis_not_in_the_database(signed_in_elsewhere):
    from django.core.cache import caches

    assert not Session.objects.exists()
    assert caches["sessions"].get(f"django.contrib.sessions.cache{signed_in_elsewhere}") is not None
