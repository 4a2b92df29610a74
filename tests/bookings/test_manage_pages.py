"""The client's own pages, opened from the link in their emails: see, move or cancel."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client

from bookings.models import Appointment, AppointmentLink, Notification
from bookings.services import availability, manage_links
from restoration_site.common.caching import PAGE_CACHE
from tests.bookings.booking_pages import (
    MONDAY,
    NOW,
    at,
    book_online,
    frozen_now_fixture,  # noqa: F401
    iso,
    restoration_u_fixture,  # noqa: F401
)
from tests.factories import AppointmentFactory
from tests.html import headings_h1, page_title, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(restoration_u) -> Appointment:
    """Jamie's consultation on Monday 11 January at 10:00, with Amelia Hart, booked online."""
    return book_online(
        consultation_type=restoration_u["consultation"],
        starts_at=at(MONDAY, "10:00"),
        practitioner=restoration_u["amelia"],
        now=NOW,
    )


@pytest.fixture
def token(booked) -> str:
    """The token of the link in Jamie's confirmation email."""
    return manage_links.issue_link(appointment=booked)


def page(token: str, part: str = "") -> str:
    return f"/appointments/{token}/{part}"


def text_of(response) -> str:
    """The main content's words as read aloud, one space apart."""
    words = " ".join(parse(response).select_one("main").get_text(" ").split())
    return re.sub(r" ([.,:;])", r"\1", words)


def csrf_token(client, address: str) -> str:
    return parse(client.get(address)).select_one("input[name=csrfmiddlewaretoken]")["value"]


def free_at(appointment: Appointment, clock: str) -> bool:
    return at(MONDAY, clock) in [
        time.starts_at
        for day in availability.free_times(
            consultation_type=appointment.consultation_type,
            practitioner=appointment.practitioner,
            now=NOW,
            first_day=MONDAY,
            days=1,
        )
        for time in day.times
    ]


# Seeing it


def test_the_link_in_the_email_opens_this_page(booked, token):
    assert manage_links.manage_url(token=token).endswith(page(token))


def test_the_page_shows_the_appointment(client, booked, token):
    response = client.get(page(token))
    assert headings_h1(response) == ["Your appointment"]
    text = text_of(response)
    for detail in [
        "Monday 11 January 2027, 10:00 UK time",
        "Amelia Hart",
        "Free SMP consultation, 30 minutes",
        "Restoration U, 12 Example Street, London, W1A 0AA",
        "+44 20 7946 0321",
        booked.request.reference,
        "Status Booked",
    ]:
        assert detail in text


def test_the_page_links_to_how_to_find_the_clinic(client, token):
    where = parse(client.get(page(token))).find("dt", string="Where").find_next_sibling("dd")
    link = where.find("a")
    assert (link["href"], link.get_text()) == ("/visit/restoration-u/", "How to find Restoration U")


def test_the_page_offers_to_move_or_cancel_by_asking_first(client, token):
    soup = parse(client.get(page(token)))
    forms = {form.button.get_text(strip=True): form for form in soup.select(".manage-actions form")}
    assert forms["Move this appointment"]["method"] == "get"
    assert forms["Move this appointment"]["action"] == page(token, "move/")
    assert forms["Cancel this appointment"]["method"] == "get"
    assert forms["Cancel this appointment"]["action"] == page(token, "cancel/")


def test_opening_the_pages_changes_nothing(client, booked, token):
    before = Notification.objects.count()
    for part in ("", "move/", "cancel/"):
        assert client.get(page(token, part)).status_code == 200
        assert client.head(page(token, part)).status_code == 200
    current = Appointment.objects.get()
    assert (current.status, current.starts_at, current.sequence) == (
        Appointment.Status.BOOKED,
        booked.starts_at,
        booked.sequence,
    )
    assert AppointmentLink.objects.get().revoked_at is None
    assert Notification.objects.count() == before


@pytest.mark.parametrize("part", ["", "move/", "cancel/"])
def test_the_pages_are_never_stored_indexed_or_named_to_other_sites(client, token, part):
    response = client.get(page(token, part))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_site_page_cache_never_keeps_them(client, token):
    for part in ("", "move/", "cancel/"):
        client.get(page(token, part))
    client.get(page("x" * 43))
    assert caches[PAGE_CACHE]._cache == {}


# Links that open nothing


def bad_tokens(booked, token) -> dict[str, str]:
    revoked = manage_links.issue_link(appointment=booked)
    manage_links.revoke_links(appointment=booked, now=NOW)
    expired_link = manage_links.issue_link(appointment=booked)
    AppointmentLink.objects.filter(token_hash=manage_links.token_hash(expired_link)).update(
        expires_at=NOW - datetime.timedelta(seconds=1)
    )
    return {
        "unknown": "A" * 43,
        "malformed": "not-a-token",
        "replaced": revoked,
        "expired": expired_link,
        "altered": token[:-1] + ("A" if token[-1] != "A" else "B"),
    }


@pytest.mark.parametrize("kind", ["unknown", "malformed", "replaced", "expired", "altered"])
@pytest.mark.parametrize("part", ["", "move/", "cancel/"])
def test_a_link_that_opens_nothing_says_why_and_gives_the_phone_numbers(
    client, booked, token, kind, part
):
    response = client.get(page(bad_tokens(booked, token)[kind], part))
    assert response.status_code == 404
    assert headings_h1(response) == ["This link has expired or was replaced"]
    text = text_of(response)
    assert "the email about the change carries a new link" in text
    assert "Restoration U: +44 20 7946 0321" in text
    assert "Laser Reverse: +44 20 7946 0654" in text
    main = parse(response).select_one("main")
    assert main.find("a", string="Book a free consultation")["href"] == "/book/times/"
    assert response["X-Robots-Tag"] == "noindex"


def test_trying_tokens_is_limited_per_address_while_real_links_cost_nothing(
    client, token, settings
):
    settings.MANAGE_LINK_RATE_LIMIT = 3
    for _ in range(10):
        assert client.get(page(token)).status_code == 200
    for n in range(3):
        assert client.get(page(f"{n}" * 43)).status_code == 404
    assert client.get(page("9" * 43)).status_code == 429
    assert client.get(page(token)).status_code == 429


# Moving it


def test_the_move_page_offers_the_same_consultation_with_its_own_time_free(client, token):
    response = client.get(page(token, "move/"), {"start": "2027-01-11"})
    soup = parse(response)
    assert soup.select_one("form.times-form")["method"] == "post"
    own = soup.select_one(f"input[value='{iso(MONDAY, '10:00')}']").find_parent("label")
    assert " ".join(own.get_text().split()) == (
        "Monday 11 January 2027, 10:00 UK time (your time now)"
    )


def test_moving_it_by_post_changes_the_time_and_shows_the_result(client, booked, token):
    response = client.post(page(token, "move/"), {"time": iso(MONDAY, "11:00")}, follow=True)
    assert response.redirect_chain[0][0] == "/appointments/changed/"
    assert headings_h1(response) == ["Your appointment has moved"]
    assert "Monday 11 January 2027, 11:00 UK time" in text_of(response)
    assert "We've emailed you the updated invite" in text_of(response)
    booked.refresh_from_db()
    assert booked.starts_at == at(MONDAY, "11:00")
    assert booked.notifications.filter(kind=Notification.Kind.MOVED).exists()


def test_after_moving_the_old_link_no_longer_opens_it(client, token):
    client.post(page(token, "move/"), {"time": iso(MONDAY, "11:00")})
    assert client.get(page(token)).status_code == 404


def test_the_result_page_is_never_stored_either(client, token):
    response = client.post(page(token, "move/"), {"time": iso(MONDAY, "11:00")}, follow=True)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_moving_to_a_time_taken_meanwhile_offers_the_nearest_ones(
    client, booked, token, restoration_u
):
    AppointmentFactory(
        practitioner=restoration_u["amelia"],
        consultation_type=restoration_u["consultation"],
        starts_at=at(MONDAY, "11:00"),
    )
    response = client.post(
        page(token, "move/"), {"time": iso(MONDAY, "11:00"), "practitioner": "amelia-hart"}
    )
    assert page_title(response).startswith("Error: ")
    soup = parse(response)
    assert "Sorry, that time has just been taken." in soup.select_one("#form-errors").text
    assert len(soup.select(".alternatives input[name=time]")) == 3
    booked.refresh_from_db()
    assert booked.starts_at == at(MONDAY, "10:00")


def test_moving_without_choosing_a_time_asks_for_one(client, booked, token):
    response = client.post(page(token, "move/"), {})
    assert "Please choose a time to move to." in parse(response).select_one("#form-errors").text


# Cancelling it


def test_the_cancel_page_asks_why(client, token):
    soup = parse(client.get(page(token, "cancel/")))
    reason = soup.select_one("#cancel-form input[name=reason]")
    assert (
        soup.find("label", attrs={"for": reason["id"]})
        .get_text(strip=True)
        .startswith("Why are you cancelling?")
    )
    assert soup.select_one("#cancel-form")["method"] == "post"


def test_cancelling_without_a_reason_asks_for_one_and_cancels_nothing(client, booked, token):
    response = client.post(page(token, "cancel/"), {"reason": "  "})
    summary = parse(response).select_one("#form-errors").get_text(" ", strip=True)
    assert "Please tell us in a few words why you are cancelling." in summary
    booked.refresh_from_db()
    assert booked.is_booked


def test_cancelling_keeps_the_appointment_and_frees_its_time_at_once(client, booked, token):
    assert not free_at(booked, "10:00")
    response = client.post(page(token, "cancel/"), {"reason": "Working that day"}, follow=True)
    assert headings_h1(response) == ["Your appointment is cancelled"]
    assert "We've emailed you to confirm" in text_of(response)
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED
    assert booked.cancel_reason == "Working that day"
    assert booked.cancelled_by == Appointment.CancelledBy.CLIENT
    assert free_at(booked, "10:00")
    assert client.get(page(token)).status_code == 404


# Forgery


def test_moving_needs_the_forms_csrf_token(booked, token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(page(token, "move/"), {"time": iso(MONDAY, "11:00")})
    assert response.status_code == 403
    booked.refresh_from_db()
    assert booked.starts_at == at(MONDAY, "10:00")


def test_cancelling_needs_the_forms_csrf_token(booked, token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(page(token, "cancel/"), {"reason": "Forged"})
    assert response.status_code == 403
    booked.refresh_from_db()
    assert booked.is_booked


def test_the_pages_own_form_is_accepted_with_no_referrer_and_a_null_origin(booked, token):
    """Browsers send `Origin: null` and no Referer from a page with no-referrer."""
    client = Client(enforce_csrf_checks=True)
    form_token = csrf_token(client, page(token, "cancel/"))
    response = client.post(
        page(token, "cancel/"),
        {"reason": "Working that day", "csrfmiddlewaretoken": form_token},
        HTTP_ORIGIN="null",
        secure=True,
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert not booked.is_booked


def test_a_form_sent_from_another_site_is_refused_even_with_a_token(booked, token):
    client = Client(enforce_csrf_checks=True)
    form_token = csrf_token(client, page(token, "move/"))
    response = client.post(
        page(token, "move/"),
        {"time": iso(MONDAY, "11:00"), "csrfmiddlewaretoken": form_token},
        HTTP_ORIGIN="https://elsewhere.example",
    )
    assert response.status_code == 403
    booked.refresh_from_db()
    assert booked.starts_at == at(MONDAY, "10:00")


# Inside the cut-off


@pytest.fixture
def too_late(monkeypatch):
    """Sunday 10 January at noon: 22 hours before, inside the 24-hour cut-off."""
    later = at(MONDAY - datetime.timedelta(days=1), "12:00")
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    return later


@pytest.mark.parametrize("part", ["", "move/", "cancel/"])
def test_inside_the_cutoff_the_pages_give_the_phone_number_instead_of_forms(
    client, token, too_late, part
):
    response = client.get(page(token, part))
    assert "To move or cancel it now, call Restoration U on +44 20 7946 0321." in text_of(response)
    assert not parse(response).select("main form")


def test_inside_the_cutoff_a_posted_cancellation_changes_nothing(client, booked, token, too_late):
    response = client.post(page(token, "cancel/"), {"reason": "Late"})
    assert "call Restoration U on +44 20 7946 0321" in text_of(response)
    booked.refresh_from_db()
    assert booked.is_booked


def test_inside_the_cutoff_a_posted_move_changes_nothing(client, booked, token, too_late):
    response = client.post(page(token, "move/"), {"time": iso(MONDAY, "11:00")})
    assert "call Restoration U on +44 20 7946 0321" in text_of(response)
    booked.refresh_from_db()
    assert booked.starts_at == at(MONDAY, "10:00")


def test_the_result_page_without_its_cookie_says_the_link_has_gone(client):
    response = client.get("/appointments/changed/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
