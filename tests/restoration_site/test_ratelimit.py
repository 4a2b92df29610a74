"""The client's address, and the per-address limit counted from it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from restoration_site.common.ratelimit import (
    address_block,
    client_ip,
    release_attempt,
    reserve_attempt,
)
from tests.factories import STAFF_PASSWORD, staff_user

pytestmark = pytest.mark.django_db


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_trusted_proxy_the_connections_own_address_counts(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_address_it_appended_counts(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = request_from("127.0.0.1", "203.0.113.66, 198.51.100.23")
    assert client_ip(request) == "198.51.100.23"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.23, <script>"])
def test_a_forwarded_value_that_is_no_address_falls_back_to_the_connection(settings, forwarded):
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request_from("127.0.0.1", forwarded)) == "127.0.0.1"


@pytest.mark.parametrize(
    ("address", "block"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_an_ipv6_visitor_is_counted_by_their_network(address, block):
    assert address_block(address) == block


def test_attempts_are_refused_once_the_limit_is_taken(settings):
    settings.CONSULTATION_RATE_LIMIT = 3
    taken = [reserve_attempt(ip="203.0.113.9") for _ in range(5)]
    assert [key is not None for key in taken] == [True, True, True, False, False]
    assert reserve_attempt(ip="203.0.113.10") is not None


def test_an_attempt_given_back_can_be_taken_again(settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    first = reserve_attempt(ip="203.0.113.9")
    assert reserve_attempt(ip="203.0.113.9") is None
    release_attempt(first)
    assert reserve_attempt(ip="203.0.113.9") is not None


def sign_in(client, username: str, password: str, forwarded: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_lockout_stops_the_guesser_and_not_the_member_of_staff(client, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    user = staff_user("restoration-u")
    for _ in range(5):
        sign_in(client, user.username, "a-wrong-guess", forwarded="203.0.113.50")
    assert sign_in(client, user.username, STAFF_PASSWORD, "203.0.113.50").status_code == 429
    assert sign_in(client, user.username, STAFF_PASSWORD, "198.51.100.8").status_code == 302
