"""Settings for the production topology: logs, sessions, database timeouts, health checks."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.restoration_site import test_settings

PRODUCTION = test_settings.PRODUCTION
# The fixture that executes settings.py afresh under exactly the given variables.
load_settings = test_settings.load_settings


def test_logs_are_json_lines_on_standard_output_when_debug_is_off(load_settings):
    console = load_settings(**PRODUCTION)["LOGGING"]["handlers"]["console"]
    assert console["formatter"] == "json"
    assert console["stream"] == "ext://sys.stdout"


def test_logs_are_readable_text_in_development(load_settings):
    assert load_settings(DJANGO_DEBUG="1")["LOG_FORMAT"] == "text"


def test_the_log_format_can_be_chosen(load_settings):
    assert load_settings(**PRODUCTION, DJANGO_LOG_FORMAT="text")["LOG_FORMAT"] == "text"


def test_an_unknown_log_format_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT must be json or text"):
        load_settings(**PRODUCTION, DJANGO_LOG_FORMAT="xml")


def test_sessions_live_in_redis_when_redis_url_is_set(load_settings):
    loaded = load_settings(**PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/2")
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    sessions = loaded["CACHES"][loaded["SESSION_CACHE_ALIAS"]]
    assert sessions["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert sessions["LOCATION"] == "redis://127.0.0.1:6379/2"
    assert sessions["KEY_PREFIX"] != loaded["CACHES"]["default"]["KEY_PREFIX"]


def test_sessions_stay_in_the_database_without_redis(load_settings):
    loaded = load_settings(**PRODUCTION)
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_gives_up_within_seconds(load_settings):
    cache = load_settings(**PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/2")["CACHES"]["default"]
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 10
    assert cache["OPTIONS"]["socket_timeout"] <= 10


def test_postgresql_gives_up_connecting_after_five_seconds_by_default(load_settings):
    database = load_settings(**PRODUCTION, DATABASE_URL="postgres://clinic@db.example/clinic")
    assert database["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5


def test_the_postgresql_connect_timeout_can_be_chosen(load_settings):
    database = load_settings(
        **PRODUCTION,
        DATABASE_URL="postgres://clinic@db.example/clinic",
        DJANGO_DB_CONNECT_TIMEOUT="2",
    )["DATABASES"]["default"]
    assert database["OPTIONS"]["connect_timeout"] == 2


def test_sqlite_gets_no_connect_timeout(load_settings):
    database = load_settings(**PRODUCTION)["DATABASES"]["default"]
    assert "connect_timeout" not in database["OPTIONS"]


def test_the_health_check_comes_before_every_middleware_that_redirects_or_checks_hosts(
    load_settings,
):
    # Only the HEAD-body middleware, which neither redirects nor reads the Host, wraps it.
    middleware = load_settings(**PRODUCTION)["MIDDLEWARE"]
    assert middleware[:3] == [
        "restoration_site.middleware.HeadWithoutBodyMiddleware",
        "restoration_site.health.HealthCheckMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ]


def test_the_outbox_age_limit_defaults_to_fifteen_minutes(load_settings):
    assert load_settings(**PRODUCTION)["HEALTHZ_MAX_OUTBOX_AGE_SECONDS"] == 900
