"""The waiting list: joining from the times page, freed times offered to the oldest matching
entry with a deadline, passed on when unclaimed, claimed in one step, left with the client's
link; its emails through the outbox; what staff see of it, clinic by clinic."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from bookings.admin.shared import email_status
from bookings.models import (
    Appointment,
    ConsultationRequest,
    Notification,
    WaitingListEntry,
    WaitingListOffer,
    WaitingListTime,
)
from bookings.services import (
    appointments,
    client_links,
    exports,
    outbox,
    privacy,
    waiting_list,
    waiting_list_emails,
)
from tests.bookings.booking_pages import (
    MONDAY,
    NOW,
    TODAY,
    at,
    book_online,
    frozen_now_fixture,  # noqa: F401
    laser_reverse_fixture,  # noqa: F401
    restoration_u_fixture,  # noqa: F401
)
from tests.factories import hours, staff_user, waiting_list_entry
from tests.html import form_data, headings_h1, parse

pytestmark = pytest.mark.django_db

JOIN = "/book/waiting-list/"
Status = WaitingListEntry.Status
OfferStatus = WaitingListOffer.Status
CLAIM_PATH = re.compile(r"/book/waiting-list/offers/[A-Za-z0-9_:.-]+/")
LEAVE_PATH = re.compile(r"/book/waiting-list/leave/[A-Za-z0-9_:.-]+/")


def join_form(**overrides) -> dict:
    """The join form as a visitor fills it in, for the week of Monday 11 January."""
    data = {
        "type": "new_smp",
        "consultation": "free-smp-consultation",
        "practitioner": "",
        "time_of_day": "any",
        "earliest": "2027-01-11",
        "latest": "2027-01-22",
        "full_name": "Avery Waiting",
        "email": "avery@client.example",
        "phone": "07911 123456",
        "consent": "on",
        "source": "/portfolio/natural-hairline/",
        "website": "",
    }
    return form_data(data, overrides)


def waiting(clinic: dict, **overrides) -> WaitingListEntry:
    return waiting_list_entry(consultation_type=clinic["consultation"], **overrides)


def booked(clinic: dict, *, day=MONDAY, clock="10:00", person="amelia") -> Appointment:
    """Someone else's online booking of this time, made a week ahead."""
    return book_online(
        consultation_type=clinic["consultation"],
        starts_at=at(day, clock),
        practitioner=clinic[person],
        now=NOW,
    )


@pytest.fixture
def cancel(django_capture_on_commit_callbacks):
    """Cancel an appointment online as its client would, running what waits for the commit
    (the offer to the waiting list)."""

    def cancel(appointment: Appointment, *, now=NOW) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            appointments.cancel_appointment(
                appointment=appointment, reason="I cannot come after all", now=now
            )

    return cancel


def refreshed(*rows):
    for row in rows:
        row.refresh_from_db()
    return rows


def offer_link(offer: WaitingListOffer) -> str:
    token = client_links.make_token(purpose=client_links.WAITING_LIST_OFFER, pk=offer.pk)
    return reverse("bookings:waiting_list_offer", args=[token])


def leave_link(entry: WaitingListEntry) -> str:
    token = client_links.make_token(purpose=client_links.WAITING_LIST_ENTRY, pk=entry.pk)
    return reverse("bookings:waiting_list_leave", args=[token])


def plain_text(message) -> str:
    return message.body


# JOINING


def test_the_times_page_links_to_the_waiting_list_with_its_choices(client, restoration_u):
    response = client.get("/book/times/?type=new_smp&practitioner=tom-reed&from=/portfolio/x/")
    link = parse(response).find("a", string="Tell me if something earlier comes up")
    assert link["href"].startswith(JOIN)
    for part in ("type=new_smp", "consultation=free-smp-consultation", "practitioner=tom-reed"):
        assert part in link["href"]
    assert "from=/portfolio/x/" in link["href"]


def test_the_join_page_starts_from_the_times_pages_choices(client, restoration_u):
    response = client.get(f"{JOIN}?type=new_smp&practitioner=tom-reed&from=/portfolio/x/")
    page = parse(response)
    assert headings_h1(response) == ["Tell me if something earlier comes up"]
    assert page.select_one("#id_practitioner option[selected]")["value"] == "tom-reed"
    assert page.select_one("#id_earliest")["value"] == TODAY.isoformat()
    assert page.select_one("#id_source")["value"] == "/portfolio/x/"
    assert page.select_one("input[name=type]")["value"] == "new_smp"


def test_the_join_page_without_an_enquiry_type_sends_the_visitor_to_choose_one(client):
    assert client.get(f"{JOIN}?type=nonsense").url == "/book/times/"


def test_with_nothing_booked_online_for_the_type_the_join_page_offers_the_request_form(client):
    response = client.get(f"{JOIN}?type=laser_smp&from=/articles/laser/")
    assert response.url == "/book/?type=laser_smp&from=/articles/laser/"


def test_joining_stores_a_waiting_enquiry_and_its_wish_then_confirms_it(client, restoration_u):
    response = client.post(JOIN, join_form(practitioner="tom-reed", time_of_day="morning"))
    assert response.status_code == 302
    entry = WaitingListEntry.objects.select_related("request").get()
    assert (entry.consultation_type, entry.practitioner) == (
        restoration_u["consultation"],
        restoration_u["tom"],
    )
    assert (entry.earliest, entry.latest) == (
        datetime.date(2027, 1, 11),
        datetime.date(2027, 1, 22),
    )
    assert entry.time_of_day == WaitingListTime.MORNING
    assert entry.request.status == ConsultationRequest.Status.WAITING
    assert entry.request.source == "/portfolio/natural-hairline/"
    assert entry.request.phone == "+447911123456"
    confirmation = client.get(response.url)
    text = " ".join(parse(confirmation).get_text().split())
    assert headings_h1(confirmation) == ["You are on the waiting list"]
    assert "Monday 11 January 2027 to Friday 22 January 2027" in text
    assert "Tom Reed" in text and "Mornings" in text
    assert "The email says until when it is kept for you" in text
    assert "no-store" in confirmation["Cache-Control"]


def test_a_join_form_with_mistakes_keeps_what_was_typed_and_lists_each(client, restoration_u):
    response = client.post(
        JOIN,
        join_form(earliest="2027-01-01", latest="2027-03-31", phone="12345", consent=None),
    )
    page = parse(response)
    summary = [" ".join(li.get_text().split()) for li in page.select("#form-errors li")]
    assert summary == [
        "Earliest date: The earliest date must be today or later.",
        "Latest date: We book Free SMP consultation online up to 42 days ahead: please choose "
        "Monday 15 February 2027 or earlier.",
        "Phone number: This number has 5 digits; UK numbers have 11, like 07911 123456. "
        "International numbers start with + and the country code.",
        "Your agreement: We need your agreement to use these details to offer you a time.",
    ]
    assert page.title.get_text().startswith("Error:")
    assert page.select_one("#id_full_name")["value"] == "Avery Waiting"
    assert page.select_one("#id_phone")["value"] == "12345"
    assert page.select_one("#id_earliest")["value"] == "2027-01-01"
    assert page.select_one("#id_latest")["value"] == "2027-03-31"
    assert not WaitingListEntry.objects.exists()


def test_dates_typed_as_people_in_the_uk_write_them_are_understood(client, restoration_u):
    response = client.post(JOIN, join_form(earliest="11/01/2027", latest="22/1/2027"))
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get()
    assert (entry.earliest, entry.latest) == (
        datetime.date(2027, 1, 11),
        datetime.date(2027, 1, 22),
    )


def test_a_latest_date_before_the_earliest_is_refused_beside_the_latest(client, restoration_u):
    response = client.post(JOIN, join_form(earliest="2027-01-20", latest="2027-01-12"))
    errors = parse(response).select_one("#div_id_latest .invalid-feedback").get_text()
    assert "The latest date must be the same as the earliest date or after it." in errors


def test_a_practitioner_of_the_other_clinic_cannot_be_waited_for(
    client, restoration_u, laser_reverse
):
    response = client.post(JOIN, join_form(practitioner="dan-okafor"))
    assert response.status_code == 200
    assert "Please choose a practitioner from the list" in response.content.decode()
    assert not WaitingListEntry.objects.exists()


def test_the_honeypot_stores_spam_that_waits_for_nothing(client, restoration_u):
    response = client.post(JOIN, join_form(website="https://spam.example"))
    assert response.url == "/book/thank-you/"
    enquiry = ConsultationRequest.objects.get()
    assert enquiry.is_spam
    assert not WaitingListEntry.objects.exists()
    assert not Notification.objects.exists()


def test_joining_is_limited_per_address_like_the_request_form(client, restoration_u, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    for _ in range(3):
        assert client.post(JOIN, join_form(phone="1")).status_code == 200  # mistakes: not counted
    for _ in range(2):
        assert client.post(JOIN, join_form()).status_code == 302
    response = client.post(JOIN, join_form())
    assert response.status_code == 429
    assert WaitingListEntry.objects.count() == 2


def test_joining_emails_the_client_a_link_to_leave_through_the_outbox(restoration_u, mailoutbox):
    entry = waiting(restoration_u)
    assert entry.request.notifications.get().kind == Notification.Kind.WAITING_LIST_JOINED
    outbox.send_pending_notifications()
    (message,) = mailoutbox
    assert message.subject == "You are on the waiting list at Restoration U"
    assert message.to == ["avery@client.example"]
    (path,) = LEAVE_PATH.findall(plain_text(message))
    assert waiting_list.entry_for_link(token=path.split("/")[-2]) == entry
    kept = Notification.objects.get().body
    assert "Monday 4 January 2027 to Monday 1 February 2027" in kept
    assert not LEAVE_PATH.search(kept)


# OFFERING A FREED TIME


def test_a_cancellation_offers_the_time_to_the_oldest_matching_entry_only(restoration_u, cancel):
    newer = waiting(restoration_u, email="newer@client.example")
    older = waiting(restoration_u, email="older@client.example")
    WaitingListEntry.objects.filter(pk=older.pk).update(created_at=NOW - datetime.timedelta(days=1))
    cancel(booked(restoration_u))
    offer = WaitingListOffer.objects.get()
    assert offer.entry == older
    assert (offer.starts_at, offer.practitioner) == (at(MONDAY, "10:00"), restoration_u["amelia"])
    assert offer.consultation_type == restoration_u["consultation"]
    assert [row.status for row in refreshed(older, newer)] == [Status.OFFERED, Status.WAITING]


@pytest.mark.parametrize(("wanted", "offered"), [("amelia", True), (None, True), ("tom", False)])
def test_a_time_goes_to_an_entry_for_its_practitioner_or_for_anyone(
    restoration_u, cancel, wanted, offered
):
    waiting(restoration_u, practitioner=wanted and restoration_u[wanted])
    cancel(booked(restoration_u, person="amelia"))
    assert WaitingListOffer.objects.exists() is offered


@pytest.mark.parametrize(
    ("earliest", "latest", "offered"),
    [(MONDAY, MONDAY, True), (TODAY, MONDAY - datetime.timedelta(days=1), False)],
)
def test_a_time_goes_only_to_an_entry_whose_dates_hold_its_day(
    restoration_u, cancel, earliest, latest, offered
):
    waiting(restoration_u, earliest=earliest, latest=latest)
    cancel(booked(restoration_u))
    assert WaitingListOffer.objects.exists() is offered


@pytest.mark.parametrize(
    ("clock", "wanted", "offered"),
    [
        ("10:00", WaitingListTime.MORNING, True),
        ("10:00", WaitingListTime.AFTERNOON, False),
        ("10:00", WaitingListTime.ANY, True),
        ("14:00", WaitingListTime.AFTERNOON, True),
        ("14:00", WaitingListTime.MORNING, False),
    ],
)
def test_a_time_goes_only_to_an_entry_for_its_time_of_day(
    restoration_u, cancel, clock, wanted, offered
):
    hours(restoration_u["amelia"], MONDAY.weekday(), "13:00", "17:00")
    waiting(restoration_u, time_of_day=wanted)
    cancel(booked(restoration_u, clock=clock))
    assert WaitingListOffer.objects.exists() is offered


def test_a_morning_ends_at_midday_on_the_clinics_clock_in_summer_too():
    summer = datetime.date(2027, 6, 14)
    assert waiting_list.time_of_day(at(summer, "11:55")) == WaitingListTime.MORNING
    assert waiting_list.time_of_day(at(summer, "12:00")) == WaitingListTime.AFTERNOON


def test_the_deadline_is_the_claim_hours_from_the_offer(restoration_u, cancel, settings):
    settings.WAITING_LIST_CLAIM_HOURS = 3
    waiting(restoration_u)
    cancel(booked(restoration_u))
    assert WaitingListOffer.objects.get().expires_at == NOW + datetime.timedelta(hours=3)


def test_the_deadline_is_never_after_the_last_moment_to_book_online(restoration_u, cancel):
    tuesday = TODAY + datetime.timedelta(days=1)  # 10:00 is 26 hours away; notice is 24
    waiting(restoration_u)
    cancel(booked(restoration_u, day=tuesday))
    assert WaitingListOffer.objects.get().expires_at == at(TODAY, "10:00")


def test_a_time_too_close_to_claim_in_time_is_not_offered(restoration_u, cancel):
    tuesday = TODAY + datetime.timedelta(days=1)
    waiting(restoration_u)
    cancel(booked(restoration_u, day=tuesday), now=at(TODAY, "09:45"))
    assert not WaitingListOffer.objects.exists()


def test_an_entry_holding_an_offer_is_not_offered_another_time(restoration_u, cancel):
    first = waiting(restoration_u, email="first@client.example")
    second = waiting(restoration_u, email="second@client.example")
    cancel(booked(restoration_u, clock="10:00"))
    cancel(booked(restoration_u, clock="11:00"))
    offers = WaitingListOffer.objects.order_by("pk")
    assert [(offer.entry, offer.starts_at) for offer in offers] == [
        (first, at(MONDAY, "10:00")),
        (second, at(MONDAY, "11:00")),
    ]


def test_an_enquiry_with_an_appointment_is_never_offered_a_time(restoration_u, cancel):
    entry = waiting(restoration_u)
    appointments.book_appointment(
        request=entry.request,
        consultation_type=restoration_u["consultation"],
        starts_at=at(MONDAY, "09:00"),
        by=staff_user(),
        now=NOW,
    )
    cancel(booked(restoration_u, clock="11:00"))
    assert not WaitingListOffer.objects.exists()


def test_a_moved_appointment_offers_its_old_time(restoration_u, django_capture_on_commit_callbacks):
    waiting(restoration_u)
    appointment = booked(restoration_u, clock="10:00")
    with django_capture_on_commit_callbacks(execute=True):
        appointments.reschedule_appointment(
            appointment=appointment, starts_at=at(MONDAY, "11:00"), now=NOW
        )
    offer = WaitingListOffer.objects.get()
    assert (offer.starts_at, offer.practitioner) == (at(MONDAY, "10:00"), restoration_u["amelia"])


def test_an_unclaimed_offer_lapses_and_its_time_goes_to_the_next_entry(restoration_u, cancel):
    first = waiting(restoration_u, email="first@client.example")
    second = waiting(restoration_u, email="second@client.example")
    cancel(booked(restoration_u))
    made = WaitingListOffer.objects.get()
    report = waiting_list.pass_on_lapsed_offers(now=made.expires_at)
    assert (report.lapsed, report.offered) == (1, 1)
    lapsed, passed_on = WaitingListOffer.objects.order_by("pk")
    assert (lapsed.entry, lapsed.status) == (first, OfferStatus.LAPSED)
    assert (passed_on.entry, passed_on.status) == (second, OfferStatus.OPEN)
    assert passed_on.starts_at == lapsed.starts_at
    assert passed_on.expires_at == made.expires_at + datetime.timedelta(hours=4)
    assert [row.status for row in refreshed(first, second)] == [Status.WAITING, Status.OFFERED]


def test_a_time_is_never_offered_twice_to_the_same_entry(restoration_u, cancel):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    made = WaitingListOffer.objects.get()
    report = waiting_list.pass_on_lapsed_offers(now=made.expires_at)
    assert (report.lapsed, report.offered) == (1, 0)
    assert WaitingListOffer.objects.count() == 1


def test_an_offer_still_in_time_is_not_passed_on(restoration_u, cancel):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    made = WaitingListOffer.objects.get()
    report = waiting_list.pass_on_lapsed_offers(now=made.expires_at - datetime.timedelta(seconds=1))
    assert report.lapsed == 0
    assert WaitingListOffer.objects.get().status == OfferStatus.OPEN


def test_an_entry_whose_dates_have_passed_ends_and_its_enquiry_closes(restoration_u):
    over = waiting(restoration_u, earliest=TODAY, latest=TODAY + datetime.timedelta(days=1))
    still = waiting(restoration_u, email="still@client.example")
    report = waiting_list.pass_on_lapsed_offers(now=NOW + datetime.timedelta(days=2))
    assert report.ended == 1
    assert [row.status for row in refreshed(over, still)] == [Status.ENDED, Status.WAITING]
    over.request.refresh_from_db()
    assert over.request.status == ConsultationRequest.Status.CLOSED_NOT_PROCEEDING


# CLAIMING


def test_claiming_books_the_time_in_one_step_and_the_enquiry_is_booked(restoration_u, cancel):
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    offer = waiting_list.claim_offer(offer=WaitingListOffer.objects.get(), now=NOW)
    assert offer.status == OfferStatus.CLAIMED
    appointment = offer.appointment
    assert appointment.request == entry.request
    assert (appointment.starts_at, appointment.practitioner) == (
        at(MONDAY, "10:00"),
        restoration_u["amelia"],
    )
    entry.refresh_from_db()
    entry.request.refresh_from_db()
    assert entry.status == Status.BOOKED
    assert entry.request.status == ConsultationRequest.Status.BOOKED
    kinds = sorted(entry.request.notifications.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            Notification.Kind.WAITING_LIST_JOINED,
            Notification.Kind.WAITING_LIST_OFFER,
            Notification.Kind.BOOKED,
            Notification.Kind.REMINDER,
            Notification.Kind.STAFF,
        ]
    )


def test_a_time_taken_before_the_claim_ends_the_offer_and_the_entry_waits_again(
    client, restoration_u, cancel
):
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    offer = WaitingListOffer.objects.get()
    booked(restoration_u)  # someone on the times page was quicker
    response = client.post(offer_link(offer))
    assert response.status_code == 200
    assert "Sorry, someone booked it just before you" in response.content.decode()
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert (offer.status, entry.status) == (OfferStatus.GONE, Status.WAITING)
    assert not Appointment.objects.filter(request=entry.request).exists()


def test_the_claim_page_shows_the_time_and_deadline_and_books_with_one_press(
    client, restoration_u, cancel
):
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    link = offer_link(WaitingListOffer.objects.get())
    page = client.get(link)
    text = " ".join(parse(page).get_text().split())
    assert headings_h1(page) == ["A time has come free"]
    assert "Monday 11 January 2027, 10:00 UK time" in text
    assert "kept for you until Monday 4 January 2027, 12:00 UK time" in text
    assert "Amelia Hart" in text and "Restoration U" in text
    response = client.post(link)
    assert response.url == "/book/booked/"
    booked_page = client.get(response.url)
    assert headings_h1(booked_page) == ["Your consultation is booked"]
    assert Appointment.objects.get(request=entry.request).is_booked
    assert client.post(link).url == "/book/booked/"  # a second press books nothing more
    assert Appointment.objects.filter(request=entry.request).count() == 1


def test_an_offer_past_its_deadline_says_it_was_passed_on(client, restoration_u, cancel):
    waiting(restoration_u)
    second = waiting(restoration_u, email="second@client.example")
    cancel(booked(restoration_u))
    offer = WaitingListOffer.objects.get()
    WaitingListOffer.objects.filter(pk=offer.pk).update(expires_at=NOW)
    response = client.post(offer_link(offer))
    assert headings_h1(response) == ["The time to book this has passed"]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.LAPSED
    assert WaitingListOffer.objects.get(status=OfferStatus.OPEN).entry == second


def test_the_claim_page_is_private(client, restoration_u, cancel):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    response = client.get(offer_link(WaitingListOffer.objects.get()))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "MTI:1xYgzN:4-da353O6RrrG1Ph0Npw7NMxnUC4Jt2Et07PTUMlb8E",
        "x" * 500,
    ],
)
def test_a_forged_claim_link_opens_a_404_page(client, restoration_u, token):
    response = client.get(reverse("bookings:waiting_list_offer", args=[token]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("purpose", [client_links.WAITING_LIST_ENTRY, client_links.TIME_OFFER])
def test_a_link_made_for_another_purpose_opens_no_offer(client, restoration_u, cancel, purpose):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    token = client_links.make_token(purpose=purpose, pk=WaitingListOffer.objects.get().pk)
    assert client.get(reverse("bookings:waiting_list_offer", args=[token])).status_code == 404
    assert client.post(reverse("bookings:waiting_list_offer", args=[token])).status_code == 404


def test_a_claim_link_opens_no_leave_page(client, restoration_u, cancel):
    entry = waiting(restoration_u)
    token = client_links.make_token(purpose=client_links.WAITING_LIST_OFFER, pk=entry.pk)
    assert client.post(reverse("bookings:waiting_list_leave", args=[token])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == Status.WAITING


# LEAVING


def test_leaving_withdraws_the_open_offer_and_passes_the_time_on(client, restoration_u, cancel):
    first = waiting(restoration_u, email="first@client.example")
    second = waiting(restoration_u, email="second@client.example")
    cancel(booked(restoration_u))
    # One link throughout: a signed token carries the second it was made in.
    link = leave_link(first)
    asked = client.get(link)
    assert headings_h1(asked) == ["Leave the waiting list"]
    response = client.post(link)
    assert response.url == link
    assert headings_h1(client.get(response.url)) == ["You have left the waiting list"]
    withdrawn, passed_on = WaitingListOffer.objects.order_by("pk")
    assert (withdrawn.entry, withdrawn.status) == (first, OfferStatus.GONE)
    assert (passed_on.entry, passed_on.status) == (second, OfferStatus.OPEN)
    first.refresh_from_db()
    first.request.refresh_from_db()
    assert first.status == Status.LEFT
    assert first.request.status == ConsultationRequest.Status.CLOSED_NOT_PROCEEDING


def test_leaving_twice_changes_nothing(client, restoration_u):
    entry = waiting(restoration_u)
    client.post(leave_link(entry))
    events = entry.request.events.count()
    response = client.post(leave_link(entry))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.LEFT
    assert entry.request.events.count() == events


# EMAILS


def test_the_offer_email_states_the_deadline_in_clinic_time_through_the_outbox(
    restoration_u, cancel, mailoutbox
):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    outbox.send_pending_notifications()
    (message,) = [m for m in mailoutbox if m.subject.startswith("A time has come free")]
    assert message.subject == (
        "A time has come free at Restoration U: Monday 11 January 2027, 10:00 UK time"
    )
    text = plain_text(message)
    assert "It is kept for you until Monday 4 January 2027, 12:00 UK time." in text
    (path,) = CLAIM_PATH.findall(text)
    assert waiting_list.offer_for_link(token=path.split("/")[-2]) == WaitingListOffer.objects.get()
    assert LEAVE_PATH.search(text)
    kept = Notification.objects.get(kind=Notification.Kind.WAITING_LIST_OFFER).body
    assert "12:00 UK time" in kept
    assert not CLAIM_PATH.search(kept) and not LEAVE_PATH.search(kept)


def test_an_offer_email_is_held_back_once_the_offer_has_ended(restoration_u, cancel, mailoutbox):
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    waiting_list.leave_waiting_list(entry=entry, now=NOW)
    outbox.send_pending_notifications()
    email = Notification.objects.get(kind=Notification.Kind.WAITING_LIST_OFFER)
    assert email.status == Notification.Status.CANCELLED
    assert email.last_error == waiting_list_emails.OFFER_ENDED
    assert email_status(email).startswith("Not sent (offer ended: the time was booked")
    assert not [m for m in mailoutbox if m.subject.startswith("A time has come free")]


# THE WORKER, CRON AND RETENTION


def test_the_email_worker_passes_on_lapsed_offers_on_every_loop(restoration_u, cancel, mailoutbox):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    WaitingListOffer.objects.update(expires_at=NOW)
    call_command("notification_worker", "--once", "--no-retention")
    assert WaitingListOffer.objects.get().status == OfferStatus.LAPSED


def test_the_pass_on_command_passes_on_lapsed_offers_for_cron(restoration_u, cancel):
    waiting(restoration_u)
    cancel(booked(restoration_u))
    WaitingListOffer.objects.update(expires_at=NOW)
    out = io.StringIO()
    call_command("pass_on_waiting_list_offers", stdout=out)
    assert out.getvalue().startswith("1 offer(s) lapsed, 0 time(s) offered to the next entry")


def test_with_nothing_lapsed_passing_on_is_one_query(restoration_u, django_assert_num_queries):
    waiting_list.end_passed_windows(now=NOW)  # today's check of the windows is done
    with django_assert_num_queries(1):
        waiting_list.pass_on_lapsed_offers(now=NOW)


def test_the_retention_purge_deletes_entries_and_offers_with_their_enquiry(
    restoration_u, cancel, settings
):
    settings.ENQUIRY_RETENTION_DAYS = 30
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    ConsultationRequest.objects.filter(pk=entry.request_id).update(
        last_activity_at=NOW - datetime.timedelta(days=31)
    )
    privacy.purge_expired_enquiries(now=NOW)
    assert not WaitingListEntry.objects.exists()
    assert not WaitingListOffer.objects.exists()


# WHAT STAFF SEE


def test_waiting_enquiries_are_filtered_and_exported_with_their_status(
    client, restoration_u, reception
):
    entry = waiting(restoration_u)
    listed = client.get(
        reverse("admin:bookings_consultationrequest_changelist") + "?status__exact=waiting"
    )
    assert entry.request.reference in listed.content.decode()
    header, row = list(
        exports.csv_rows(enquiries=ConsultationRequest.objects.filter(pk=entry.request_id))
    )
    assert row[header.index("Status")] == "On the waiting list"


def test_the_subject_access_export_gives_the_wish_and_every_offer(restoration_u, cancel):
    entry = waiting(restoration_u)
    cancel(booked(restoration_u))
    data = privacy.subject_access_export(email=entry.request.email, by=staff_user())
    wish = data["enquiries"][0]["waiting_list"]
    assert wish["consultation_type"] == "Free SMP consultation"
    assert wish["practitioner"] == "Any practitioner"
    assert [offer["starts_at"] for offer in wish["offers"]] == [
        "Monday 11 January 2027, 10:00 UK time"
    ]


def test_the_enquiry_page_says_what_its_client_is_waiting_for(client, restoration_u, reception):
    entry = waiting(restoration_u, time_of_day=WaitingListTime.AFTERNOON)
    page = client.get(reverse("admin:bookings_consultationrequest_change", args=[entry.request_id]))
    text = " ".join(parse(page).get_text().split())
    assert (
        "On the waiting list for Free SMP consultation with any practitioner, Monday 4 January "
        "2027 to Monday 1 February 2027, afternoons" in text
    )


@pytest.fixture
def both_lists(restoration_u, laser_reverse):
    """An entry with an offer at each clinic."""
    rows = {}
    for name, clinic, person, clock in (
        ("restoration_u", restoration_u, "amelia", "10:00"),
        ("laser_reverse", laser_reverse, "dan", "14:00"),
    ):
        entry = waiting(clinic, full_name=f"Client of {name}", email=f"{name}@client.example")
        offer = waiting_list.offer_freed_time(
            practitioner=clinic[person], starts_at=at(MONDAY, clock), now=NOW
        )
        assert offer.entry == entry
        rows[name] = (entry, offer)
    return rows


@pytest.mark.parametrize(
    ("staff_of", "own", "other"),
    [
        ("laser-reverse", "laser_reverse", "restoration_u"),
        ("restoration-u", "restoration_u", "laser_reverse"),
    ],
)
def test_staff_see_only_their_own_clinics_waiting_list_and_offers(
    client, both_lists, staff_of, own, other
):
    client.force_login(staff_user(staff_of))
    (own_entry, own_offer), (other_entry, other_offer) = both_lists[own], both_lists[other]
    for model, own_row, other_row in (
        ("waitinglistentry", own_entry, other_entry),
        ("waitinglistoffer", own_offer, other_offer),
    ):
        listed = client.get(reverse(f"admin:bookings_{model}_changelist")).content.decode()
        assert f"Client of {own}" in listed
        assert f"Client of {other}" not in listed
        own_page = client.get(reverse(f"admin:bookings_{model}_change", args=[own_row.pk]))
        assert own_page.status_code == 200
        other_page = client.get(reverse(f"admin:bookings_{model}_change", args=[other_row.pk]))
        assert other_page.status_code == 302  # the admin's answer to a row it cannot find
    other_type = other_entry.consultation_type.name
    filters = client.get(reverse("admin:bookings_waitinglistentry_changelist")).content.decode()
    assert other_type not in filters


def test_an_entry_page_lists_every_time_offered_to_it(client, both_lists, reception):
    entry, _ = both_lists["restoration_u"]
    page = client.get(reverse("admin:bookings_waitinglistentry_change", args=[entry.pk]))
    inline = " ".join(parse(page).select_one("#offers-group").get_text().split())
    assert "Monday 11 January 2027, 10:00 UK time" in inline
    assert "Monday 4 January 2027, 12:00 UK time" in inline
    assert "Offered" in inline


def test_staff_remove_a_client_from_the_waiting_list_with_the_action(client, both_lists, reception):
    entry, offer = both_lists["restoration_u"]
    response = client.post(
        reverse("admin:bookings_waitinglistentry_changelist"),
        {"action": "remove_from_list", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    offer.refresh_from_db()
    assert (entry.status, offer.status) == (Status.LEFT, OfferStatus.GONE)
    assert entry.request.events.filter(actor=reception).exists()


def test_another_clinics_staff_cannot_remove_a_client_from_the_list(client, both_lists):
    entry, _ = both_lists["restoration_u"]
    client.force_login(staff_user("laser-reverse"))
    client.post(
        reverse("admin:bookings_waitinglistentry_changelist"),
        {"action": "remove_from_list", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.status == Status.OFFERED
