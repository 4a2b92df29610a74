import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import override_settings


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
    yield
    cache.clear()


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
