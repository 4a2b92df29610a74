"""Manage links: a random token for the client, only its hash for the database."""

import datetime
import hashlib

import pytest

from bookings.models import AppointmentLink
from bookings.services import manage_links
from tests.bookings.appointment_changes import move
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment():
    return AppointmentFactory()


@pytest.fixture
def token(appointment):
    return manage_links.issue_link(appointment=appointment)


def test_a_token_is_43_url_safe_characters(token):
    assert len(token) == 43
    assert token.replace("-", "").replace("_", "").isalnum()


def test_the_database_keeps_the_tokens_sha256_only(token):
    (link,) = AppointmentLink.objects.values("token_hash")
    assert link["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_the_token_itself_is_stored_nowhere_on_the_link(token):
    link = AppointmentLink.objects.get()
    assert token not in " ".join(str(value) for value in vars(link).values())


def test_every_link_issued_has_a_new_token(appointment):
    tokens = {manage_links.issue_link(appointment=appointment) for _ in range(3)}
    assert len(tokens) == 3


def test_a_link_opens_its_appointment(appointment, token):
    assert manage_links.appointment_for_token(token=token) == appointment


def test_a_link_expires_a_week_after_the_appointment_ends(appointment, token):
    link = AppointmentLink.objects.get()
    assert link.expires_at == appointment.ends_at + datetime.timedelta(days=7)


def test_a_link_works_until_just_before_it_expires(appointment, token):
    almost = appointment.ends_at + datetime.timedelta(days=7, seconds=-1)
    assert manage_links.appointment_for_token(token=token, now=almost) == appointment


def test_an_expired_link_is_refused(appointment, token):
    expired = appointment.ends_at + datetime.timedelta(days=7)
    assert manage_links.appointment_for_token(token=token, now=expired) is None


def test_a_revoked_link_is_refused(appointment, token):
    manage_links.revoke_links(appointment=appointment)
    assert manage_links.appointment_for_token(token=token) is None


def test_revoking_counts_only_the_links_still_live(appointment):
    manage_links.issue_link(appointment=appointment)
    manage_links.issue_link(appointment=appointment)
    manage_links.revoke_links(appointment=appointment)
    manage_links.issue_link(appointment=appointment)
    assert manage_links.revoke_links(appointment=appointment) == 1


def test_revoking_leaves_other_appointments_links_alone(token):
    manage_links.revoke_links(appointment=AppointmentFactory())
    assert manage_links.appointment_for_token(token=token) is not None


def test_moving_an_appointment_stops_the_links_sent_before(appointment, token):
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=1))
    assert manage_links.appointment_for_token(token=token) is None


def test_an_altered_token_is_refused(token):
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert manage_links.appointment_for_token(token=altered) is None


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        "short",
        "a" * 42,
        "a" * 44,
        "a" * 10_000,
        "a" * 42 + "/",
        "a" * 42 + ".",
        "a" * 42 + "=",
        "a" * 41 + "é",
        "a" * 42 + "\n",
    ],
    ids=["empty", "short", "42", "44", "huge", "slash", "dot", "padding", "accent", "newline"],
)
def test_a_malformed_token_is_refused_without_asking_the_database(
    malformed, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert manage_links.appointment_for_token(token=malformed) is None


def test_the_manage_address_is_the_token_under_appointments_on_the_public_site(settings):
    settings.SITE_URL = "https://www.restoration-u.example"
    assert (
        manage_links.manage_url(token="abc")
        == "https://www.restoration-u.example/appointments/abc/"
    )


def test_a_manage_address_is_taken_out_of_text_that_is_kept(token):
    text = f"Use your own link: {manage_links.manage_url(token=token)}\nThank you."
    kept = manage_links.without_manage_links(text=text)
    assert kept == f"Use your own link: {manage_links.LINK_NOT_KEPT}\nThank you."
