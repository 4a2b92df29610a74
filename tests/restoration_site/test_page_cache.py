"""The whole-page cache stays bounded whatever a client sends, and apart from the caches that
hold the form's rate-limit counters and the staff sessions."""

from collections import Counter
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from restoration_site.common.caching import PAGE_CACHE, PAGE_MAX_BYTES, cached_public_page
from restoration_site.common.ratelimit import reserve_attempt
from tests.factories import ArticleFactory

# Also for the tests reading the module's flood: pytest-django creates the test database only
# for a run that holds a test marked so.
pytestmark = pytest.mark.django_db

# The stated bound: at most MAX_ENTRIES pages, each at most PAGE_MAX_BYTES of HTML plus its
# headers and the pickling around them (under 4 KiB).
MAX_ENTRIES = django_settings.CACHES[PAGE_CACHE]["OPTIONS"]["MAX_ENTRIES"]
ENTRY_OVERHEAD_BYTES = 4 * 1024
BOUND_BYTES = MAX_ENTRIES * (PAGE_MAX_BYTES + ENTRY_OVERHEAD_BYTES)

FLOOD_SIZE = 5000
# Counters and a session seeded before the flood; had pages gone into their stores, a store
# that culls (local memory and the database cache keep 300 entries) would lose some.
SEEDED_COUNTERS = 250


def pages_cache_size() -> tuple[int, int]:
    """Entries in the pages cache, and their memory estimated as the pickled size of each
    stored value (local memory keeps exactly those bytes)."""
    stored = caches[PAGE_CACHE]._cache
    return len(stored), sum(len(value) for value in stored.values())


def redis_key_count() -> int | None:
    if not django_settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(django_settings.REDIS_URL).dbsize()


def flood_addresses(article_path: str) -> list[str]:
    """5,000 distinct query strings against real views: ignored parameters, page numbers
    written differently, and page numbers that are no page (404)."""
    addresses = []
    for n in range(FLOOD_SIZE // 5):
        addresses += [
            f"/?x={n}",
            f"/articles/?utm_source={n}",
            f"/articles/?page={'0' * (n % 4)}2&fbclid={n}",
            f"{article_path}?utm_medium={n}",
            f"/articles/?page={n + 3}" if n % 2 else f"/articles/?page=x{n}",
        ]
    return addresses


@dataclass
class Flood:
    requests: int
    statuses: Counter
    page_entries: int
    page_bytes: int
    counters: list
    session_kept: bool
    redis_keys_before: int | None
    redis_keys_after: int | None


@pytest.fixture(scope="module")
def flood(django_db_setup, django_db_blocker, tmp_path_factory) -> Flood:
    """Seed a staff session and rate-limit counters, then send the 5,000 requests once; the
    tests below read what it left. Everything it stored is gone before they run."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("flood-media")),
    ):
        articles = ArticleFactory.create_batch(10)
        session = store()
        try:
            cache.clear()
            caches[PAGE_CACHE].clear()
            session["staff"] = "seeded before the flood"
            session.create()
            # Two attempts counted for each of many addresses.
            counted = [
                reserve_attempt(ip=f"192.0.2.{n}") for n in range(SEEDED_COUNTERS) for _ in range(2)
            ]
            redis_keys_before = redis_key_count()

            addresses = flood_addresses(articles[0].get_absolute_url())
            client = Client()
            statuses = Counter(client.get(address).status_code for address in addresses)

            entries, size = pages_cache_size()
            return Flood(
                requests=len(set(addresses)),
                statuses=statuses,
                page_entries=entries,
                page_bytes=size,
                counters=[cache.get(key) is not None for key in counted],
                session_kept=store(session_key=session.session_key).load().get("staff")
                == "seeded before the flood",
                redis_keys_before=redis_keys_before,
                redis_keys_after=redis_key_count(),
            )
        finally:
            session.delete()
            for article in articles:
                article.delete()
                article.author.delete()
            cache.clear()
            caches[PAGE_CACHE].clear()


def test_the_flood_sends_five_thousand_distinct_query_strings(flood):
    assert flood.requests == FLOOD_SIZE


def test_every_request_of_the_flood_is_answered_without_a_server_error(flood):
    assert set(flood.statuses) == {200, 404}


def test_five_thousand_query_strings_leave_one_cached_copy_per_page(flood):
    # The home page, the article list's pages 1 and 2, and the article.
    assert flood.page_entries == 4


def test_five_thousand_query_strings_leave_the_pages_cache_within_its_memory_bound(flood):
    assert flood.page_bytes <= flood.page_entries * (PAGE_MAX_BYTES + ENTRY_OVERHEAD_BYTES)
    assert flood.page_bytes <= BOUND_BYTES


def test_the_rate_limit_counters_survive_the_flood(flood):
    assert flood.counters == [True] * (2 * SEEDED_COUNTERS)


def test_a_staff_session_survives_the_flood(flood):
    assert flood.session_kept


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set")
def test_the_flood_adds_nothing_to_redis(flood):
    assert flood.redis_keys_after == flood.redis_keys_before


def test_pages_have_a_bounded_local_memory_cache_of_their_own():
    pages = django_settings.CACHES[PAGE_CACHE]
    assert pages["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert pages["OPTIONS"]["MAX_ENTRIES"] == MAX_ENTRIES
    for alias, other in django_settings.CACHES.items():
        if alias != PAGE_CACHE:
            assert other.get("LOCATION", "") != pages["LOCATION"]


def echo_host_page(body_bytes: int = 0):
    """A cached page that shows the Host it was asked with, padded to `body_bytes`."""

    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse(request.get_host().ljust(body_bytes))

    return cached_public_page(lambda: "v1")(page)


def test_the_pages_cache_never_holds_more_than_its_bound_whatever_hosts_a_client_sends(rf):
    page = echo_host_page(body_bytes=20_000)
    for port in range(MAX_ENTRIES * 3):
        page(rf.get("/", HTTP_HOST=f"localhost:{port}"))
    entries, size = pages_cache_size()
    assert entries <= MAX_ENTRIES
    assert size <= BOUND_BYTES


def test_a_page_larger_than_the_limit_is_served_but_not_kept(rf):
    page = echo_host_page(body_bytes=PAGE_MAX_BYTES + 1)
    assert page(rf.get("/")).status_code == 200
    assert pages_cache_size()[0] == 0


def test_a_copy_made_for_one_host_is_never_served_to_a_request_naming_another(rf):
    page = echo_host_page()
    page(rf.get("/", HTTP_HOST="localhost:6666"))
    assert page(rf.get("/", HTTP_HOST="testserver")).content == b"testserver"


def test_a_page_first_asked_for_with_a_foreign_host_reaches_other_visitors_without_it(client):
    client.get(reverse("home"), HTTP_HOST="localhost:6666")
    assert "6666" not in client.get(reverse("home")).content.decode()


def test_other_query_parameters_find_the_same_cached_page(client):
    client.get("/articles/?utm_source=newsletter")
    client.get("/articles/?fbclid=abc&ref=partner.example")
    assert pages_cache_size()[0] == 1


@pytest.mark.parametrize("spelling", ["?page=1", "?page=01", "?page=001&utm_source=x"])
def test_a_page_number_however_written_finds_the_copy_of_the_plain_address(client, spelling):
    client.get("/articles/")
    client.get("/articles/" + spelling)
    assert pages_cache_size()[0] == 1


def test_each_page_of_a_list_has_its_own_copy(client):
    ArticleFactory.create_batch(10)
    client.get("/articles/")
    second = client.get("/articles/?page=2")
    assert pages_cache_size()[0] == 2
    assert second.context is not None and second.context["page_obj"].number == 2


@pytest.mark.parametrize("page_number", ["0", "99", "abc", "1.5", "-1"])
def test_a_page_number_that_is_no_page_is_never_cached(client, page_number):
    assert client.get("/articles/", {"page": page_number}).status_code == 404
    assert pages_cache_size()[0] == 0


def test_search_results_are_never_cached(client):
    ArticleFactory(title="Hairline design")
    assert client.get(reverse("blog:search"), {"q": "hairline"}).status_code == 200
    assert pages_cache_size()[0] == 0
