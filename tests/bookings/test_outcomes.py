"""What happened at an appointment: recorded by staff only, a late cancellation derived from
the change cut-off, a past appointment left unresolved until someone says, and the outcome
buttons closed to anyone who should not press them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from bookings.models import Appointment, ConsultationRequest, Notification
from bookings.reception import unresolved
from bookings.services import appointments, outcomes
from tests.bookings.reception_days import (
    NOW,
    TODAY,
    appointment_at,
    at,
    clock_fixture,  # noqa: F401
    day_url,
    outcome_url,
)
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

ATTENDED = Appointment.Outcome.ATTENDED
NO_SHOW = Appointment.Outcome.NO_SHOW
LATE = Appointment.Outcome.LATE_CANCELLATION
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def receptionist():
    return staff_user("restoration-u")


@pytest.fixture
def earlier_today():
    """An appointment at 09:00 today, over by NOW (10:00)."""
    return appointment_at(at(TODAY, "09:00"), full_name="Jamie Example")


@pytest.fixture
def this_afternoon():
    """An appointment at 15:00 today: inside the 24-hour change cut-off."""
    return appointment_at(at(TODAY, "15:00"), full_name="Riley Later")


@pytest.fixture
def next_week():
    return appointment_at(at(TODAY + datetime.timedelta(days=7), "11:00"), full_name="Sam Ahead")


def record(appointment, outcome, by, now=NOW):
    return outcomes.set_outcome(appointment=appointment, outcome=outcome, by=by, now=now)


def history(appointment) -> list[str]:
    return list(
        appointment.request.events.filter(kind="appointment").values_list("description", flat=True)
    )


# THE SERVICE


def test_staff_record_that_a_client_attended_with_who_and_when(earlier_today, receptionist):
    recorded = record(earlier_today, ATTENDED, receptionist)
    assert (recorded.outcome, recorded.outcome_set_at, recorded.outcome_set_by) == (
        ATTENDED,
        NOW,
        receptionist,
    )


def test_an_attended_client_moves_the_enquiry_to_attended(earlier_today, receptionist):
    record(earlier_today, ATTENDED, receptionist)
    earlier_today.request.refresh_from_db()
    assert earlier_today.request.status == ConsultationRequest.Status.ATTENDED


def test_a_no_show_leaves_the_enquiry_booked(earlier_today, receptionist):
    record(earlier_today, NO_SHOW, receptionist)
    earlier_today.request.refresh_from_db()
    assert earlier_today.request.status == ConsultationRequest.Status.BOOKED


def test_an_outcome_is_written_in_the_enquirys_history(earlier_today, receptionist):
    record(earlier_today, NO_SHOW, receptionist)
    event = earlier_today.request.events.get(kind="appointment")
    assert (event.description, event.actor) == ("Outcome: No-show", receptionist)


def test_a_mistaken_outcome_is_changed_and_both_stay_in_the_history(earlier_today, receptionist):
    record(earlier_today, ATTENDED, receptionist)
    changed = record(earlier_today, NO_SHOW, receptionist, now=NOW + HOUR)
    assert (changed.outcome, changed.outcome_set_at) == (NO_SHOW, NOW + HOUR)
    assert history(earlier_today) == ["Outcome: Attended", "Outcome: No-show (was Attended)"]


def test_correcting_an_attendance_puts_the_enquiry_back_to_booked(earlier_today, receptionist):
    record(earlier_today, ATTENDED, receptionist)
    record(earlier_today, NO_SHOW, receptionist)
    earlier_today.request.refresh_from_db()
    assert earlier_today.request.status == ConsultationRequest.Status.BOOKED


def test_the_same_outcome_twice_is_recorded_once(earlier_today, receptionist):
    record(earlier_today, ATTENDED, receptionist)
    record(earlier_today, ATTENDED, staff_user("restoration-u", username="second"))
    earlier_today.refresh_from_db()
    assert earlier_today.outcome_set_by == receptionist
    assert history(earlier_today) == ["Outcome: Attended"]


def test_an_appointment_under_way_can_be_marked_attended(receptionist):
    started = appointment_at(NOW - datetime.timedelta(minutes=10))
    assert record(started, ATTENDED, receptionist).outcome == ATTENDED


def test_no_outcome_is_recorded_before_the_appointment_starts(this_afternoon, receptionist):
    with pytest.raises(outcomes.OutcomeRefused):
        record(this_afternoon, NO_SHOW, receptionist)
    this_afternoon.refresh_from_db()
    assert this_afternoon.outcome == ""


def test_a_cancelled_appointment_takes_no_attended_or_no_show(earlier_today, receptionist):
    appointments.cancel_appointment(
        appointment=earlier_today, reason="Unwell", by=receptionist, now=NOW - 30 * HOUR
    )
    with pytest.raises(outcomes.OutcomeRefused):
        record(earlier_today, ATTENDED, receptionist)


def test_only_staff_record_an_outcome(earlier_today):
    with pytest.raises(ValueError):
        record(earlier_today, ATTENDED, None)
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""


def test_a_late_cancellation_is_never_chosen_as_an_outcome(earlier_today, receptionist):
    with pytest.raises(outcomes.OutcomeRefused):
        record(earlier_today, LATE, receptionist)


# LATE CANCELLATION, DERIVED FROM THE CUT-OFF


def test_staff_cancelling_inside_the_cut_off_record_a_late_cancellation(
    this_afternoon, receptionist
):
    cancelled = appointments.cancel_appointment(
        appointment=this_afternoon, reason="Client rang", by=receptionist, now=NOW
    )
    assert (cancelled.outcome, cancelled.outcome_set_at, cancelled.outcome_set_by) == (
        LATE,
        NOW,
        receptionist,
    )
    assert history(this_afternoon)[-1] == "Outcome: Late cancellation"


def test_cancelling_an_appointment_already_attended_keeps_its_outcome(earlier_today, receptionist):
    record(earlier_today, ATTENDED, receptionist)
    cancelled = appointments.cancel_appointment(
        appointment=earlier_today, reason="Entered twice", by=receptionist, now=NOW
    )
    assert cancelled.outcome == ATTENDED


def test_staff_cancelling_before_the_cut_off_record_no_outcome(next_week, receptionist):
    cancelled = appointments.cancel_appointment(
        appointment=next_week, reason="Client rang", by=receptionist, now=NOW
    )
    assert cancelled.outcome == ""
    assert not any(line.startswith("Outcome") for line in history(next_week))


def test_the_cut_off_is_the_consultation_types_own(receptionist):
    short_notice = appointment_at(at(TODAY, "15:00"))
    short_notice.consultation_type.change_cutoff_hours = 2
    short_notice.consultation_type.save()
    cancelled = appointments.cancel_appointment(
        appointment=short_notice, reason="Client rang", by=receptionist, now=NOW
    )
    assert cancelled.outcome == ""


def test_a_client_cancelling_online_records_no_outcome(next_week):
    cancelled = appointments.cancel_appointment(appointment=next_week, reason="Away", now=NOW)
    assert cancelled.outcome == ""


def test_the_late_cancellation_button_cancels_with_its_reason_and_emails_the_client(
    this_afternoon, receptionist
):
    cancelled = outcomes.cancel_late(appointment=this_afternoon, by=receptionist, now=NOW)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.outcome) == (
        Appointment.Status.CANCELLED,
        "Late cancellation",
        LATE,
    )
    email = Notification.objects.get(kind=Notification.Kind.APPOINTMENT_CANCELLED)
    assert email.recipients == [this_afternoon.request.email]


def test_a_late_cancellation_is_refused_before_the_cut_off(next_week, receptionist):
    with pytest.raises(outcomes.OutcomeRefused):
        outcomes.cancel_late(appointment=next_week, by=receptionist, now=NOW)
    next_week.refresh_from_db()
    assert next_week.is_booked


def test_a_late_cancellation_is_refused_once_the_appointment_has_started(
    earlier_today, receptionist
):
    with pytest.raises(outcomes.OutcomeRefused):
        outcomes.cancel_late(appointment=earlier_today, by=receptionist, now=NOW)
    earlier_today.refresh_from_db()
    assert earlier_today.is_booked


# UNRESOLVED


def test_a_past_appointment_without_an_outcome_is_unresolved(earlier_today):
    assert list(unresolved(Appointment.objects.all(), now=NOW)) == [earlier_today]


def test_an_unresolved_appointment_never_becomes_a_no_show_by_itself(
    earlier_today, receptionist, client, clock
):
    a_month_on = clock(NOW + datetime.timedelta(days=30))
    client.force_login(receptionist)
    client.get(reverse("admin:index"))
    client.get(day_url(TODAY))
    client.get(reverse("admin:bookings_appointment_changelist"), {"when": "unresolved"})
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""
    assert list(unresolved(Appointment.objects.all(), now=a_month_on)) == [earlier_today]


def test_an_appointment_with_an_outcome_is_no_longer_unresolved(earlier_today, receptionist):
    record(earlier_today, NO_SHOW, receptionist)
    assert not unresolved(Appointment.objects.all(), now=NOW).exists()


def test_an_appointment_still_under_way_is_not_yet_unresolved():
    appointment_at(NOW - datetime.timedelta(minutes=10))
    assert not unresolved(Appointment.objects.all(), now=NOW).exists()


# THE OUTCOME BUTTONS


@pytest.fixture
def signed_in(client, receptionist, clock):
    """Signed in once the clock is set: a session ends after eight hours idle."""
    client.force_login(receptionist)
    return client


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_outcome_button_records_it_and_returns_to_the_page_it_was_on(
    signed_in, earlier_today, clock, receptionist
):
    back = day_url(TODAY) + "?from=list"
    response = signed_in.post(outcome_url(earlier_today), {"outcome": "attended", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    earlier_today.refresh_from_db()
    assert (earlier_today.outcome, earlier_today.outcome_set_by) == (ATTENDED, receptionist)
    assert message_texts(response) == [
        "Jamie Example, Wednesday 13 January 2027 at 09:00: attended."
    ]


def test_without_a_next_address_the_button_returns_to_the_appointments_day(
    signed_in, earlier_today, clock
):
    response = signed_in.post(outcome_url(earlier_today), {"outcome": "no_show"})
    assert response["Location"] == day_url(TODAY)


def test_an_address_on_another_site_is_never_followed(signed_in, earlier_today, clock):
    response = signed_in.post(
        outcome_url(earlier_today),
        {"outcome": "no_show", "next": "https://elsewhere.example/admin/"},
    )
    assert response["Location"] == day_url(TODAY)


def test_the_late_cancellation_button_cancels_and_says_the_client_is_emailed(
    signed_in, this_afternoon, clock
):
    response = signed_in.post(outcome_url(this_afternoon), {"outcome": "late_cancel"})
    this_afternoon.refresh_from_db()
    assert (this_afternoon.status, this_afternoon.outcome) == ("cancelled", LATE)
    assert "The client is being emailed" in message_texts(response)[0]


def test_another_clinics_appointment_id_is_a_404_and_changes_nothing(client, earlier_today, clock):
    client.force_login(staff_user("laser-reverse"))
    response = client.post(outcome_url(earlier_today), {"outcome": "no_show"})
    assert response.status_code == 404
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""


def test_a_get_changes_nothing(signed_in, earlier_today, clock):
    response = signed_in.get(outcome_url(earlier_today), {"outcome": "no_show"})
    assert response.status_code == 405
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""


@pytest.mark.parametrize("value", ["", "maybe", "late_cancel", "ATTENDED", "x" * 500])
def test_a_bad_value_changes_nothing_and_says_why(signed_in, earlier_today, clock, value):
    response = signed_in.post(outcome_url(earlier_today), {"outcome": value})
    assert response.status_code == 302
    earlier_today.refresh_from_db()
    assert (earlier_today.outcome, earlier_today.status) == ("", "booked")
    assert len(message_texts(response)) == 1


def test_a_refused_outcome_is_a_message_not_an_error(signed_in, this_afternoon, clock):
    response = signed_in.post(outcome_url(this_afternoon), {"outcome": "attended"})
    assert response.status_code == 302
    assert "record what happened once it has started" in message_texts(response)[0]


@pytest.mark.parametrize("appointment_id", ["abc", "99999999999999999999999", "-1"])
def test_an_id_that_is_no_appointment_finds_nothing(signed_in, clock, appointment_id):
    address = f"/admin/bookings/appointment/{appointment_id}/outcome/"
    response = signed_in.post(address, {"outcome": "attended"})
    assert response.status_code in (302, 404)


def test_an_account_that_may_only_view_appointments_cannot_record(earlier_today, client, clock):
    viewer = staff_user("restoration-u", username="viewer")
    viewer.groups.clear()
    viewer.user_permissions.add(
        *Group.objects.get(name="Reception").permissions.exclude(codename="change_appointment")
    )
    client.force_login(viewer)
    response = client.post(outcome_url(earlier_today), {"outcome": "attended"})
    assert response.status_code == 403
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""


def test_the_outcome_button_needs_the_pages_csrf_token(earlier_today, receptionist, clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(receptionist)
    response = browser.post(outcome_url(earlier_today), {"outcome": "attended"})
    assert response.status_code == 403
    earlier_today.refresh_from_db()
    assert earlier_today.outcome == ""
