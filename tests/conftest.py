import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test.utils import override_settings

# Fixtures for a real S3 API (moto's server); the server starts only when a test asks for it.
from tests.object_storage import (  # noqa: F401
    object_storage,
    object_storage_with_private_bucket,
    s3_server,
)
from tests.support import SmtpSink


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Collect static files once, so pages resolve them through the real hashed manifest."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Staff accounts are made in many tests: hashing their passwords the production way (a
    deliberately slow hash) would cost the suite minutes and prove nothing about the site."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of every test go to a folder of its own, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _clear_caches(*, database: bool) -> None:
    for alias in settings.CACHES:
        backend = caches[alias]
        if database or not isinstance(backend, DatabaseCache):
            backend.clear()


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Cached pages and counters from one test never leak into the next.

    Without Redis the shared cache is a database table: it is emptied only in tests that use
    the database (after the test database is in place), never reached from the others.
    """
    database = "_django_db_helper" in request.fixturenames or bool(
        request.node.get_closest_marker("django_db")
    )
    if database:
        request.getfixturevalue("_django_db_helper")
    _clear_caches(database=database)
    yield
    _clear_caches(database=database)


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Enquiry photos of every test go to a private folder of its own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def smtp_server(settings):
    """Django's SMTP backend pointed at a loopback aiosmtpd server started for the test."""
    server = SmtpSink()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


# What the data migrations load: topics and the claims list, the clinics and their routing
# rules, and the Reception group with its permissions.
REFERENCE_DATA = [
    "blog.Topic",
    "blog.ClaimPhrase",
    "bookings.Clinic",
    "bookings.RoutingRule",
    "auth.Group",
]


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The reference data as the migrations left it, dumped once before any browser test's
    flush empties the database (permissions by natural key: a flush makes them again with
    other ids)."""
    path = tmp_path_factory.mktemp("reference-data") / "reference.json"
    with django_db_blocker.unblock():
        call_command(
            "dumpdata", *REFERENCE_DATA, natural_foreign=True, output=str(path), verbosity=0
        )
    return path


@pytest.fixture
def java() -> str:
    """Java for the Nu HTML checker: a skip without it, a failure where CI requires it."""
    found = shutil.which("java")
    if found:
        return found
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail("the HTML checker needs Java, and CI requires it (apt-get install default-jre)")
    pytest.skip("HTML validation skipped: no Java on this machine (apt-get install default-jre)")
