"""The pages of offering times: reception's "Offer times" page of an enquiry and what the
enquiry's page shows of its offers, and the client's page the email links to; with the clinic's
clock frozen on Monday 4 January 2027, 08:00 (booking_pages)."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from bookings.forms import iso_moment
from bookings.models import Appointment, ConsultationRequest, Notification, TimeOffer
from bookings.services import client_links, outbox, time_offers
from bookings.services.manage_links import LINK_NOT_KEPT
from bookings.staff_forms import offer_value
from tests.bookings.booking_pages import (
    at,
    book_online,
    frozen_now_fixture,  # noqa: F401
    laser_reverse_fixture,  # noqa: F401
    restoration_u_fixture,  # noqa: F401
)
from tests.bookings.helpers import change_url
from tests.factories import make_enquiry, staff_user
from tests.html import html_errors, page_title, parse

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2027, 1, 6)
THURSDAY = datetime.date(2027, 1, 7)
FRIDAY = datetime.date(2027, 1, 8)


@pytest.fixture
def reception(client):
    user = staff_user("restoration-u")
    client.force_login(user)
    return user


@pytest.fixture
def client_enquiry():
    return make_enquiry(
        full_name="Ann Example", preferred_dates=[WEDNESDAY], preferred_time="morning"
    )


def offer_url(enquiry) -> str:
    return reverse("admin:bookings_consultationrequest_offer_times", args=[enquiry.pk])


def ticked(response) -> list[str]:
    return [box["value"] for box in parse(response).select("input[name=times][checked]")]


def offer_form(schedule, *times, **extra) -> dict:
    """The admin page's form as sent with "Offer these times", these times ticked."""
    return {
        "consultation_type": schedule["consultation"].pk,
        "practitioner": "",
        "from_day": "",
        "times": [offer_value(who.pk, starts_at) for who, starts_at in times],
        "_offer": "Offer these times",
    } | extra


def three(schedule) -> list:
    return [
        (schedule["amelia"], at(WEDNESDAY, "09:00")),
        (schedule["tom"], at(WEDNESDAY, "10:00")),
        (schedule["amelia"], at(THURSDAY, "11:00")),
    ]


# RECEPTION'S PAGE


def test_the_offer_page_ticks_three_times_on_the_preferred_date(
    restoration_u, reception, client, client_enquiry
):
    response = client.get(offer_url(client_enquiry))
    assert response.status_code == 200
    chosen = ticked(response)
    assert len(chosen) == 3
    assert all(iso_moment(at(WEDNESDAY, "00:00"))[:10] in value for value in chosen)


def test_each_time_is_labelled_with_the_practitioner_free_then(
    restoration_u, reception, client, client_enquiry
):
    page = parse(client.get(offer_url(client_enquiry)))
    box = page.select_one(
        f"input[value='{offer_value(restoration_u['tom'].pk, at(WEDNESDAY, '10:00'))}']"
    )
    assert page.select_one(f"label[for='{box['id']}']").get_text(strip=True) == "10:00 Tom Reed"


def test_offering_three_times_says_so_and_returns_to_the_enquiry(
    restoration_u, reception, client, client_enquiry
):
    response = client.post(
        offer_url(client_enquiry), offer_form(restoration_u, *three(restoration_u))
    )
    assert response["Location"] == change_url(client_enquiry)
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert "Three times offered to Ann Example; the email is on its way." in messages


def test_ticking_four_times_is_refused_next_to_the_times(
    restoration_u, reception, client, client_enquiry
):
    four = [*three(restoration_u), (restoration_u["tom"], at(FRIDAY, "09:00"))]
    response = client.post(offer_url(client_enquiry), offer_form(restoration_u, *four))
    error = parse(response).select_one("#offer-times-error")
    assert "Choose at most 3 times: 4 are ticked" in error.get_text()
    assert not TimeOffer.objects.exists()


def test_ticking_no_time_is_refused(restoration_u, reception, client, client_enquiry):
    response = client.post(offer_url(client_enquiry), offer_form(restoration_u))
    assert (
        "Choose at least one time to offer"
        in parse(response).select_one("#offer-times-error").get_text()
    )


def test_showing_the_next_days_keeps_the_times_ticked(
    restoration_u, reception, client, client_enquiry
):
    form = offer_form(restoration_u, *three(restoration_u)) | {"from_day": "2027-01-05"}
    del form["_offer"]
    response = client.post(offer_url(client_enquiry), form | {"_next_week": "Show"})
    assert sorted(ticked(response)) == sorted(form["times"])
    assert parse(response).select_one("#id_from_day")["value"] == "2027-01-12"


def test_the_enquiry_page_links_to_offer_times(reception, client, client_enquiry):
    page = parse(client.get(change_url(client_enquiry)))
    assert page.find("a", string="Offer times")["href"] == offer_url(client_enquiry)


def test_an_enquiry_with_an_appointment_has_no_offer_times_link(restoration_u, reception, client):
    booked = book_online(
        consultation_type=restoration_u["consultation"], starts_at=at(FRIDAY, "09:00")
    )
    assert not parse(client.get(change_url(booked.request))).find("a", string="Offer times")


def test_the_enquiry_page_shows_what_was_offered_and_the_appointment_it_booked(
    restoration_u, reception, client, client_enquiry
):
    made = time_offers.offer_times(
        enquiry=client_enquiry,
        consultation_type=restoration_u["consultation"],
        times=three(restoration_u),
        by=reception,
    )
    appointment = time_offers.accept_time(
        offer=made, practitioner_id=restoration_u["tom"].pk, starts_at=at(WEDNESDAY, "10:00")
    )
    table = parse(client.get(change_url(client_enquiry))).select_one("#time-offers table")
    assert table.caption.get_text(strip=True) == "Times offered by email"
    assert "Wednesday 6 January 2027, 10:00 with Tom Reed" in table.get_text()
    assert "Accepted: booked" in table.get_text()
    assert table.find("a")["href"] == reverse(
        "admin:bookings_appointment_change", args=[appointment.pk]
    )


def test_laser_reverse_staff_get_a_404_for_a_restoration_u_enquirys_offer_page(
    restoration_u, client, client_enquiry
):
    client.force_login(staff_user("laser-reverse"))
    assert client.get(offer_url(client_enquiry)).status_code == 404


def test_laser_reverse_staff_cannot_offer_times_to_a_restoration_u_enquiry(
    restoration_u, client, client_enquiry
):
    client.force_login(staff_user("laser-reverse"))
    response = client.post(
        offer_url(client_enquiry), offer_form(restoration_u, *three(restoration_u))
    )
    assert response.status_code == 404
    assert not TimeOffer.objects.exists()


def test_another_clinics_practitioners_time_cannot_be_offered(
    restoration_u, laser_reverse, reception, client, client_enquiry
):
    response = client.post(
        offer_url(client_enquiry),
        offer_form(restoration_u, (laser_reverse["dan"], at(datetime.date(2027, 1, 11), "13:00"))),
    )
    assert (
        "Choose times from the lists" in parse(response).select_one("#offer-times-error").get_text()
    )
    assert not TimeOffer.objects.exists()


def test_the_kept_email_shows_no_usable_link(restoration_u, reception, client, client_enquiry):
    made = time_offers.offer_times(
        enquiry=client_enquiry,
        consultation_type=restoration_u["consultation"],
        times=three(restoration_u),
        by=reception,
    )
    outbox.send_pending_notifications()
    email = Notification.objects.get(time_offer=made)
    page = client.get(reverse("admin:bookings_notification_change", args=[email.pk]))
    text = parse(page).select_one("pre.email-text").get_text()
    assert LINK_NOT_KEPT in text
    assert "/book/offers/" not in text


# THE CLIENT'S PAGE


@pytest.fixture
def offered(restoration_u, client_enquiry) -> TimeOffer:
    return time_offers.offer_times(
        enquiry=client_enquiry,
        consultation_type=restoration_u["consultation"],
        times=three(restoration_u),
        by=staff_user("restoration-u", username="offering-reception"),
    )


def page_of(made: TimeOffer) -> str:
    token = client_links.make_token(purpose=client_links.TIME_OFFER, pk=made.pk)
    return reverse("bookings:time_offer", kwargs={"token": token})


def radio_labels(response) -> list[str]:
    return [
        " ".join(radio.find_parent("label").get_text().split())
        for radio in parse(response).select("input[type=radio]")
    ]


def test_the_client_page_lists_the_offered_times_as_radio_buttons(client, offered):
    response = client.get(page_of(offered))
    assert radio_labels(response) == [
        "Wednesday 6 January 2027, 09:00 UK time, with Amelia Hart",
        "Wednesday 6 January 2027, 10:00 UK time, with Tom Reed",
        "Thursday 7 January 2027, 11:00 UK time, with Amelia Hart",
    ]


def test_no_time_is_chosen_for_the_client(client, offered):
    assert not parse(client.get(page_of(offered))).select("input[type=radio][checked]")


def test_the_client_page_names_the_client_and_the_clinic(client, offered):
    text = parse(client.get(page_of(offered))).main.get_text(" ")
    assert "For Ann Example" in text
    assert "Restoration U," in text


def test_the_client_page_is_private(client, offered):
    response = client.get(page_of(offered))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_choosing_a_time_books_it_and_shows_the_confirmation(client, offered, restoration_u):
    tom = offered.times.get(practitioner=restoration_u["tom"])
    response = client.post(page_of(offered), {"offered": tom.pk}, follow=True)
    appointment = Appointment.objects.get()
    assert appointment.request_id == offered.request_id
    assert appointment.starts_at == at(WEDNESDAY, "10:00")
    assert parse(response).h1.get_text(strip=True) == "Your consultation is booked"


def test_the_enquiry_is_booked_once_the_client_chooses(client, offered):
    client.post(page_of(offered), {"offered": offered.times.first().pk})
    status = ConsultationRequest.objects.get(pk=offered.request_id).status
    assert status == ConsultationRequest.Status.BOOKED


def test_sending_no_choice_shows_the_error_summary(client, offered):
    response = client.post(page_of(offered), {})
    page = parse(response)
    assert page_title(response).startswith("Error:")
    summary = page.select_one("#form-errors a")
    assert summary.get_text(strip=True) == "Your time: Please choose a time."
    assert summary["href"] == f"#offered-{offered.times.first().pk}"


def test_a_time_taken_meanwhile_is_explained_with_the_others_still_offered(
    client, offered, restoration_u
):
    book_online(
        consultation_type=restoration_u["consultation"],
        starts_at=at(WEDNESDAY, "10:00"),
        practitioner=restoration_u["tom"],
    )
    tom = offered.times.get(practitioner=restoration_u["tom"])
    response = client.post(page_of(offered), {"offered": tom.pk})
    assert "has just been taken" in parse(response).select_one("#time-error").get_text()
    assert len(radio_labels(response)) == 2


def test_when_every_offered_time_has_gone_the_page_lists_the_free_times_now(
    client, offered, restoration_u
):
    for time in offered.times.all():
        book_online(
            consultation_type=restoration_u["consultation"],
            starts_at=time.starts_at,
            practitioner=time.practitioner,
        )
    page = parse(client.get(page_of(offered)))
    assert "have all been booked by someone else" in page.main.get_text()
    assert page.select("input[type=radio][name=time]")


def test_a_time_from_the_live_list_books_for_the_same_enquiry(client, offered, restoration_u):
    for time in offered.times.all():
        book_online(
            consultation_type=restoration_u["consultation"],
            starts_at=time.starts_at,
            practitioner=time.practitioner,
        )
    client.post(page_of(offered), {"time": iso_moment(at(FRIDAY, "09:00"))})
    appointment = Appointment.objects.get(request_id=offered.request_id)
    assert appointment.starts_at == at(FRIDAY, "09:00")


def test_an_accepted_offer_says_when_the_client_is_booked(client, offered):
    client.post(page_of(offered), {"offered": offered.times.first().pk})
    response = client.get(page_of(offered))
    assert response.status_code == 200
    assert "You are already booked: Wednesday 6 January 2027, 09:00 UK time" in parse(
        response
    ).main.get_text(" ")


def test_a_withdrawn_offer_says_the_times_are_no_longer_offered(
    client, offered, restoration_u, reception
):
    time_offers.offer_times(
        enquiry=offered.request,
        consultation_type=restoration_u["consultation"],
        times=[(restoration_u["tom"], at(FRIDAY, "09:00"))],
        by=reception,
    )
    response = client.get(page_of(offered))
    assert response.status_code == 410
    assert parse(response).h1.get_text(strip=True) == "These times are no longer offered"


def test_a_withdrawn_offer_books_nothing(client, offered, restoration_u, reception):
    time_offers.offer_times(
        enquiry=offered.request,
        consultation_type=restoration_u["consultation"],
        times=[(restoration_u["tom"], at(FRIDAY, "09:00"))],
        by=reception,
    )
    client.post(page_of(offered), {"offered": offered.times.first().pk})
    assert not Appointment.objects.exists()


def test_an_expired_offer_says_the_time_to_choose_has_passed(client, offered, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: offered.expires_at)
    response = client.get(page_of(offered))
    assert response.status_code == 410
    assert parse(response).h1.get_text(strip=True) == "The time to choose has passed"


def test_a_forged_link_is_a_404(client, offered):
    token = client_links.make_token(purpose=client_links.TIME_OFFER, pk=offered.pk)
    response = client.get(reverse("bookings:time_offer", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 404
    assert parse(response).h1.get_text(strip=True) == "This link does not work"


def test_a_link_made_for_another_purpose_is_a_404(client, offered):
    token = client_links.make_token(purpose=client_links.WAITING_LIST_OFFER, pk=offered.pk)
    assert client.get(reverse("bookings:time_offer", kwargs={"token": token})).status_code == 404


def test_a_very_long_token_is_a_404(client, offered):
    url = reverse("bookings:time_offer", kwargs={"token": "a" * 5000})
    assert client.post(url, {"offered": "1"}).status_code == 404


def test_a_choice_that_is_not_a_time_asks_again(client, offered):
    response = client.post(page_of(offered), {"offered": "9" * 40, "time": "tomorrow"})
    assert response.status_code == 200
    assert not Appointment.objects.exists()


def test_bookings_beyond_the_addresss_limit_are_refused(client, offered, settings):
    settings.MANAGE_LINK_RATE_LIMIT = 0
    response = client.post(page_of(offered), {"offered": offered.times.first().pk})
    assert response.status_code == 429
    assert not Appointment.objects.exists()


def test_an_address_below_the_offer_page_is_never_a_500(reception, client, client_enquiry):
    # axe-core fetches a stylesheet's relative @import from the page's own address.
    response = client.get(f"{offer_url(client_enquiry)}widgets.css/change/")
    assert response.status_code == 302


def test_every_state_of_the_client_page_is_valid_html(
    client, offered, restoration_u, reception, java, tmp_path
):
    url = page_of(offered)
    pages = {"open": client.get(url), "nothing-chosen": client.post(url, {})}
    for time in offered.times.all():
        book_online(
            consultation_type=restoration_u["consultation"],
            starts_at=time.starts_at,
            practitioner=time.practitioner,
        )
    pages["all-gone"] = client.get(url)
    pages["all-gone-nothing-chosen"] = client.post(url, {})
    pages["forged"] = client.get(reverse("bookings:time_offer", kwargs={"token": "x"}))
    client.post(url, {"time": iso_moment(at(FRIDAY, "09:00"))})
    pages["booked"] = client.get(url)
    for name, response in pages.items():
        (tmp_path / f"{name}.html").write_bytes(response.content)
    messages = html_errors(java=java, folder=tmp_path)
    errors = [f"{Path(m['url']).name}: {m['message']}" for m in messages]
    assert errors == []
