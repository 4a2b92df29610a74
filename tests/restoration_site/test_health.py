"""/healthz and /healthz/web: what the proxy, the load balancer and monitoring ask."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from bookings.models import Notification
from restoration_site import health
from tests.factories import make_enquiry
from tests.support import free_port

pytestmark = pytest.mark.django_db

DETAIL = "password=hunter2 host=db.internal user=clinic"


class DatabaseAway:
    """Stands in for the database connection while the server does not answer."""

    def cursor(self):
        raise OperationalError(f"connection failed: {DETAIL}")


class CacheAway:
    """Stands in for the cache while Redis does not answer."""

    def set(self, *args, **kwargs):
        raise ConnectionError(f"Error 111 connecting to redis.internal:6379. {DETAIL}")

    def get(self, *args, **kwargs):
        raise ConnectionError(f"Error 111 connecting to redis.internal:6379. {DETAIL}")


def age_every_unsent_email(seconds: int) -> None:
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_healthz_reports_database_cache_and_outbox_in_one_line(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert re.fullmatch(r"ok database=\d+ms cache=\d+ms outbox=0s\n", response.text)


def test_healthz_answers_in_plain_text(client):
    response = client.get("/healthz")
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_is_never_cached(client):
    assert client.get("/healthz")["Cache-Control"] == "no-store"


def test_healthz_reflects_a_change_at_once(client):
    make_enquiry()
    assert client.get("/healthz").status_code == 200
    age_every_unsent_email(3600)
    assert client.get("/healthz").status_code == 503


def test_healthz_web_checks_only_the_database_and_the_cache(client):
    response = client.get("/healthz/web")
    assert response.status_code == 200
    assert re.fullmatch(r"ok database=\d+ms cache=\d+ms\n", response.text)


def test_healthz_answers_503_in_one_line_when_the_database_is_away(client, monkeypatch):
    monkeypatch.setattr(health, "connection", DatabaseAway())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "database unavailable (OperationalError)\n"


def test_a_database_error_never_reaches_the_answer(client, monkeypatch):
    monkeypatch.setattr(health, "connection", DatabaseAway())
    assert "hunter2" not in client.get("/healthz").text


def test_healthz_web_answers_503_when_the_database_is_away(client, monkeypatch):
    monkeypatch.setattr(health, "connection", DatabaseAway())
    assert client.get("/healthz/web").status_code == 503


def test_a_failed_check_is_logged_as_one_warning_without_details(client, monkeypatch, caplog):
    monkeypatch.setattr(health, "connection", DatabaseAway())
    client.get("/healthz")
    (record,) = [r for r in caplog.records if r.name == "restoration.health"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        "healthz_failed path=/healthz reason=database unavailable (OperationalError)"
    )


def test_healthz_answers_503_when_the_cache_is_away(client, monkeypatch):
    monkeypatch.setattr(health, "cache", CacheAway())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "cache unavailable (ConnectionError)\n"


def test_a_redis_that_refuses_connections_is_a_503(client):
    closed_port = free_port()
    redis_away = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Restored inside the test, before the suite's own fixture clears the cache.
    with override_settings(CACHES=redis_away):
        response = client.get("/healthz/web")
    assert (response.status_code, response.text) == (503, "cache unavailable (ConnectionError)\n")


def test_healthz_answers_503_when_the_oldest_unsent_email_is_too_old(client):
    make_enquiry()
    age_every_unsent_email(1234)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert re.fullmatch(
        r"outbox: oldest unsent email is 123\d s old \(limit 900 s\)\n", response.text
    )


def test_the_outbox_limit_is_a_setting(client, settings):
    settings.HEALTHZ_MAX_OUTBOX_AGE_SECONDS = 60
    make_enquiry()
    age_every_unsent_email(120)
    assert client.get("/healthz").status_code == 503


def test_emails_already_sent_do_not_count_however_old(client):
    make_enquiry()
    age_every_unsent_email(86_400)
    Notification.objects.update(status=Notification.Status.SENT)
    response = client.get("/healthz")
    assert (response.status_code, response.text.split()[-1]) == (200, "outbox=0s")


def test_healthz_reports_the_age_of_a_recent_unsent_email(client):
    make_enquiry()
    age_every_unsent_email(42)
    assert re.search(r" outbox=4\ds\n$", client.get("/healthz").text)


def test_healthz_web_stays_up_with_an_old_outbox(client):
    make_enquiry()
    age_every_unsent_email(86_400)
    assert client.get("/healthz/web").status_code == 200


def test_healthz_answers_a_probe_with_an_unknown_host_header(client):
    assert "10.0.0.7" not in django_settings.ALLOWED_HOSTS
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_healthz_answers_over_plain_http_with_the_ssl_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_head_with_the_status_and_no_body(rf):
    # Through the middleware stack itself: Django's test client drops HEAD bodies on its own.
    from django.core.handlers.wsgi import WSGIHandler

    response = WSGIHandler().get_response(rf.head("/healthz/web"))
    assert (response.status_code, response.content) == (200, b"")


def test_healthz_refuses_other_methods(client):
    response = client.post("/healthz")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set")
def test_the_cache_check_makes_a_round_trip_through_redis(client):
    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    response = client.get("/healthz/web")
    assert response.status_code == 200
    assert " cache=" in response.text
