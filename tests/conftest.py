import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test.utils import override_settings

# Fixtures for a real S3 API (moto's server); the server starts only when a test asks for it.
from tests.object_storage import (  # noqa: F401
    object_storage,
    object_storage_with_private_bucket,
    s3_server,
)


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Collect static files once, so pages resolve them through the real hashed manifest."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of every test go to a folder of its own, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and counters from one test never leak into the next."""
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for a module whose tests only read it."""
    from blog.models import Article
    from portfolio.models import BeforeAfterCase

    media = tmp_path_factory.mktemp("seeded-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("seed_demo", verbosity=0)
        yield media
        Article.objects.all().delete()
        BeforeAfterCase.objects.all().delete()


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Enquiry photos of every test go to a private folder of its own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be
    stopped and started to play an outage."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Message

        sink = self

        class Keep(Message):
            def handle_message(self, message):
                sink.messages.append(message)

        self.messages = []
        self.port = _free_port()
        self._controller_class = Controller
        self._handler = Keep()
        self.controller = None

    def start(self):
        self.controller = self._controller_class(
            self._handler, hostname="127.0.0.1", port=self.port
        )
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
