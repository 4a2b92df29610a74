"""Offering an enquiry times by email (bookings.services.time_offers): which times are
suggested, what may be offered, the email, and booking the time the client chooses; with the
clinic's clock frozen on Monday 4 January 2027, 08:00 (booking_pages)."""

import datetime
import re

import pytest

from bookings.admin.shared import email_status
from bookings.models import (
    Appointment,
    ConsultationRequest,
    EnquiryEvent,
    Notification,
    TimeOffer,
    Weekday,
)
from bookings.services import client_links, emails, offer_emails, outbox, privacy, time_offers
from tests.bookings.booking_pages import (
    MONDAY,
    NOW,
    at,
    book_online,
    frozen_now_fixture,  # noqa: F401
    laser_reverse_fixture,  # noqa: F401
    restoration_u_fixture,  # noqa: F401
)
from tests.factories import AppointmentFactory, hours, make_enquiry, staff_user

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2027, 1, 5)
WEDNESDAY = datetime.date(2027, 1, 6)
THURSDAY = datetime.date(2027, 1, 7)
FRIDAY = datetime.date(2027, 1, 8)
SATURDAY = datetime.date(2027, 1, 9)
OFFER_LINK = re.compile(r"/book/offers/([A-Za-z0-9_:.-]+)/")


@pytest.fixture
def reception():
    return staff_user("restoration-u")


def enquiry(**overrides) -> ConsultationRequest:
    """A call-back request at Restoration U: New, with Wednesday morning preferred."""
    details = {"preferred_dates": [WEDNESDAY], "preferred_time": "morning"} | overrides
    return make_enquiry(**details)


def offer(schedule, reception, *times, client=None, **kwargs) -> TimeOffer:
    """Times (practitioner name, day, "HH:MM") offered to the client by Restoration U."""
    return time_offers.offer_times(
        enquiry=client or enquiry(),
        consultation_type=schedule["consultation"],
        times=[(schedule[who], at(day, clock)) for who, day, clock in times],
        by=reception,
        **kwargs,
    )


THREE = (("amelia", WEDNESDAY, "09:00"), ("tom", WEDNESDAY, "10:00"), ("amelia", THURSDAY, "11:00"))


def suggested(schedule, client) -> list[tuple[str, datetime.datetime]]:
    return [
        (practitioner.name, starts_at)
        for practitioner, starts_at in time_offers.preselected_times(
            enquiry=client, consultation_type=schedule["consultation"]
        )
    ]


# WHICH TIMES ARE SUGGESTED


def test_one_preferred_date_gives_three_times_that_day_with_both_practitioners(restoration_u):
    times = suggested(restoration_u, enquiry(preferred_dates=[WEDNESDAY]))
    assert len(times) == 3
    assert {starts_at.date() for _, starts_at in times} == {WEDNESDAY}
    assert {name for name, _ in times} == {"Amelia Hart", "Tom Reed"}


def test_three_preferred_dates_give_one_time_on_each(restoration_u):
    client = enquiry(preferred_dates=[FRIDAY, WEDNESDAY, THURSDAY])
    times = suggested(restoration_u, client)
    assert [starts_at.date() for _, starts_at in times] == [WEDNESDAY, THURSDAY, FRIDAY]


def test_suggested_times_are_in_the_clients_time_of_day(restoration_u):
    hours(restoration_u["tom"], Weekday.WEDNESDAY, "13:00", "17:00")
    times = suggested(restoration_u, enquiry(preferred_time="afternoon"))
    assert times
    assert all(
        at(WEDNESDAY, "12:00") <= starts_at < at(WEDNESDAY, "17:00") for _, starts_at in times
    )


def test_preferred_dates_with_no_times_fall_back_to_the_next_free_times_one_a_day(restoration_u):
    times = suggested(restoration_u, enquiry(preferred_dates=[SATURDAY]))
    assert [starts_at for _, starts_at in times] == [
        at(TUESDAY, "09:00"),
        at(WEDNESDAY, "09:00"),
        at(THURSDAY, "09:00"),
    ]


def test_no_time_is_suggested_outside_the_clients_time_of_day(restoration_u):
    assert suggested(restoration_u, enquiry(preferred_time="evening")) == []


def test_a_booked_time_is_never_suggested(restoration_u):
    for who in ("amelia", "tom"):
        book_online(
            consultation_type=restoration_u["consultation"],
            starts_at=at(WEDNESDAY, "09:00"),
            practitioner=restoration_u[who],
        )
    times = suggested(restoration_u, enquiry())
    assert at(WEDNESDAY, "09:00") not in {starts_at for _, starts_at in times}


# WHAT MAY BE OFFERED


def test_offering_four_times_is_refused(restoration_u, reception):
    with pytest.raises(time_offers.OfferRefused, match="at most 3"):
        offer(restoration_u, reception, *THREE, ("tom", FRIDAY, "09:00"))


def test_offering_no_time_is_refused(restoration_u, reception):
    with pytest.raises(time_offers.OfferRefused, match="at least one"):
        offer(restoration_u, reception)


def test_a_time_someone_has_booked_cannot_be_offered(restoration_u, reception):
    book_online(
        consultation_type=restoration_u["consultation"],
        starts_at=at(WEDNESDAY, "09:00"),
        practitioner=restoration_u["amelia"],
    )
    with pytest.raises(time_offers.OfferRefused, match="not free"):
        offer(restoration_u, reception, ("amelia", WEDNESDAY, "09:00"))


def test_a_time_inside_the_minimum_notice_cannot_be_offered(restoration_u, reception):
    with pytest.raises(time_offers.OfferRefused, match="not free"):
        offer(restoration_u, reception, ("amelia", NOW.date(), "11:00"))


def test_another_clinics_consultation_type_is_refused(restoration_u, laser_reverse, reception):
    with pytest.raises(time_offers.OfferRefused, match="not offered"):
        time_offers.offer_times(
            enquiry=enquiry(),
            consultation_type=laser_reverse["consultation"],
            times=[(laser_reverse["dan"], at(MONDAY, "13:00"))],
            by=reception,
        )


def test_another_clinics_practitioner_is_refused(restoration_u, laser_reverse, reception):
    with pytest.raises(time_offers.OfferRefused, match="does not work"):
        time_offers.offer_times(
            enquiry=enquiry(),
            consultation_type=restoration_u["consultation"],
            times=[(laser_reverse["dan"], at(MONDAY, "13:00"))],
            by=reception,
        )


def test_laser_reverse_staff_cannot_offer_times_to_a_restoration_u_enquiry(restoration_u):
    with pytest.raises(time_offers.OfferRefused, match="another clinic"):
        offer(restoration_u, staff_user("laser-reverse"), ("amelia", WEDNESDAY, "09:00"))


def test_an_enquiry_with_an_appointment_is_refused(restoration_u, reception):
    booked = book_online(
        consultation_type=restoration_u["consultation"], starts_at=at(FRIDAY, "09:00")
    )
    with pytest.raises(time_offers.OfferRefused, match="already has an appointment"):
        offer(restoration_u, reception, ("tom", WEDNESDAY, "09:00"), client=booked.request)


def test_a_closed_enquiry_is_refused(restoration_u, reception):
    client = enquiry(status=ConsultationRequest.Status.CLOSED_NOT_PROCEEDING)
    with pytest.raises(time_offers.OfferRefused, match="closed"):
        offer(restoration_u, reception, ("tom", WEDNESDAY, "09:00"), client=client)


def test_the_deadline_is_the_latest_time_less_the_minimum_notice(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    assert made.expires_at == at(THURSDAY, "11:00") - datetime.timedelta(hours=24)


def test_offering_again_withdraws_the_earlier_offer(restoration_u, reception):
    client = enquiry()
    first = offer(restoration_u, reception, ("amelia", WEDNESDAY, "09:00"), client=client)
    offer(restoration_u, reception, ("tom", THURSDAY, "09:00"), client=client)
    first.refresh_from_db()
    assert first.status == TimeOffer.Status.WITHDRAWN


# WHAT OFFERING DOES TO THE ENQUIRY


def test_a_new_enquiry_becomes_contacted_by_the_member_of_staff(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    client = ConsultationRequest.objects.get(pk=made.request_id)
    assert client.status == ConsultationRequest.Status.CONTACTED
    assert client.status_changed_by == reception


def test_offering_times_is_the_enquirys_first_contact(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    assert ConsultationRequest.objects.get(pk=made.request_id).first_contact_at == NOW


def test_the_history_says_who_offered_which_times(restoration_u, reception):
    made = offer(restoration_u, reception, ("amelia", WEDNESDAY, "09:00"))
    event = EnquiryEvent.objects.get(request_id=made.request_id, kind=EnquiryEvent.Kind.APPOINTMENT)
    assert event.actor == reception
    assert "Wednesday 6 January 2027, 09:00 with Amelia Hart" in event.description


# THE EMAIL


def offer_email(made: TimeOffer) -> Notification:
    return Notification.objects.get(kind=Notification.Kind.TIME_OFFER, request=made.request)


def test_one_email_is_queued_for_the_client_naming_the_offer(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    email = offer_email(made)
    assert email.time_offer == made
    assert email.recipients == ["jamie@client.example"]
    assert email.subject == "Choose a time for your free consultation at Restoration U"


def test_the_email_lists_each_time_with_its_practitioner_and_the_deadline(restoration_u, reception):
    body = emails.build_email(notification=offer_email(offer(restoration_u, reception, *THREE)))
    assert "Wednesday 6 January 2027, 10:00 UK time, with Tom Reed" in body.body
    assert "Please choose by Wednesday 6 January 2027, 11:00 UK time" in body.body


def test_the_emails_link_opens_this_offer(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    (token,) = OFFER_LINK.findall(emails.build_email(notification=offer_email(made)).body)
    assert client_links.read_token(purpose=client_links.TIME_OFFER, token=token) == made.pk


def test_the_email_carries_no_health_details(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    message = emails.build_email(notification=offer_email(made))
    html = message.alternatives[0][0]
    assert "receding" not in message.body
    assert "receding" not in html


def test_the_email_of_a_withdrawn_offer_is_not_sent_and_says_why(
    restoration_u, reception, mailoutbox
):
    client = enquiry()
    first = offer(restoration_u, reception, ("amelia", WEDNESDAY, "09:00"), client=client)
    offer(restoration_u, reception, ("tom", THURSDAY, "09:00"), client=client)
    outbox.send_pending_notifications()
    held = Notification.objects.get(time_offer=first)
    assert held.status == Notification.Status.CANCELLED
    assert email_status(held) == f"Not sent ({offer_emails.WITHDRAWN})"


def test_the_sent_email_keeps_no_usable_link(restoration_u, reception, mailoutbox):
    made = offer(restoration_u, reception, *THREE)
    outbox.send_pending_notifications()
    sent = offer_email(made)
    assert sent.status == Notification.Status.SENT
    assert OFFER_LINK.search(mailoutbox[-1].body)
    assert not OFFER_LINK.search(sent.body)


# CHOOSING A TIME


def accept(made: TimeOffer, who, day, clock, **kwargs) -> Appointment:
    return time_offers.accept_time(
        offer=made, practitioner_id=who and who.pk, starts_at=at(day, clock), **kwargs
    )


def test_choosing_an_offered_time_books_it_for_the_enquiry(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    appointment = accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    assert appointment.request_id == made.request_id
    assert appointment.practitioner == restoration_u["tom"]
    assert appointment.starts_at == at(WEDNESDAY, "10:00")


def test_choosing_a_time_moves_the_enquiry_to_consultation_booked(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    status = ConsultationRequest.objects.get(pk=made.request_id).status
    assert status == ConsultationRequest.Status.BOOKED


def test_the_offer_keeps_the_appointment_it_booked(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    appointment = accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    made.refresh_from_db()
    assert made.status == TimeOffer.Status.ACCEPTED
    assert made.appointment == appointment


def test_the_client_is_sent_the_booking_confirmation(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    appointment = accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    assert Notification.objects.filter(
        appointment=appointment, kind=Notification.Kind.BOOKED
    ).exists()


def test_the_same_choice_sent_twice_books_once(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    first = accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    again = accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    assert again == first
    assert Appointment.objects.count() == 1


def test_a_time_taken_meanwhile_is_refused_and_the_others_are_still_offered(
    restoration_u, reception
):
    made = offer(restoration_u, reception, *THREE)
    book_online(
        consultation_type=restoration_u["consultation"],
        starts_at=at(WEDNESDAY, "10:00"),
        practitioner=restoration_u["tom"],
    )
    with pytest.raises(time_offers.TimeUnavailable):
        accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    remaining = time_offers.still_free_times(offer=made, now=NOW)
    assert [time.starts_at for time in remaining] == [at(WEDNESDAY, "09:00"), at(THURSDAY, "11:00")]


def test_a_time_never_offered_is_refused_while_offered_ones_are_free(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    with pytest.raises(time_offers.BookingRefused, match="one of the times offered"):
        accept(made, None, FRIDAY, "09:00")


def test_once_every_offered_time_has_gone_a_live_time_books_for_the_same_enquiry(
    restoration_u, reception
):
    made = offer(restoration_u, reception, ("amelia", WEDNESDAY, "09:00"))
    book_online(
        consultation_type=restoration_u["consultation"],
        starts_at=at(WEDNESDAY, "09:00"),
        practitioner=restoration_u["amelia"],
    )
    appointment = accept(made, None, FRIDAY, "09:00")
    assert appointment.request_id == made.request_id
    assert appointment.starts_at == at(FRIDAY, "09:00")


def test_an_expired_offer_is_refused(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    with pytest.raises(time_offers.OfferNotOpen) as refusal:
        accept(made, restoration_u["tom"], WEDNESDAY, "10:00", now=made.expires_at)
    assert refusal.value.state == time_offers.OfferState.EXPIRED


def test_a_withdrawn_offer_is_refused(restoration_u, reception):
    client = enquiry()
    first = offer(restoration_u, reception, *THREE, client=client)
    offer(restoration_u, reception, ("tom", FRIDAY, "09:00"), client=client)
    with pytest.raises(time_offers.OfferNotOpen) as refusal:
        accept(first, restoration_u["tom"], WEDNESDAY, "10:00")
    assert refusal.value.state == time_offers.OfferState.WITHDRAWN


def test_an_offer_to_an_enquiry_booked_by_phone_meanwhile_is_refused(restoration_u, reception):
    made = offer(restoration_u, reception, *THREE)
    AppointmentFactory(
        request=made.request,
        practitioner=restoration_u["amelia"],
        consultation_type=restoration_u["consultation"],
        starts_at=at(FRIDAY, "09:00"),
    )
    with pytest.raises(time_offers.OfferNotOpen) as refusal:
        accept(made, restoration_u["tom"], WEDNESDAY, "10:00")
    assert refusal.value.state == time_offers.OfferState.BOOKED


def test_the_subject_access_export_gives_every_time_offered_and_what_became_of_it(
    restoration_u, reception
):
    made = offer(restoration_u, reception, *THREE)
    data = privacy.subject_access_export(email=made.request.email, by=reception)
    (offered,) = data["enquiries"][0]["times_offered"]
    assert [time["practitioner"] for time in offered["times"]] == [
        "Amelia Hart",
        "Tom Reed",
        "Amelia Hart",
    ]
    assert offered["status"] == "Waiting for the client"
