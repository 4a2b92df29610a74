"""Appointments in the admin as reception uses them: the day's list, booking a caller by phone,
moving and cancelling, each through the appointment services, with the clinic's clock frozen."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, ConsultationRequest, Notification, Weekday
from bookings.services import appointments
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    hours,
    make_enquiry,
    staff_user,
)
from tests.html import parse

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)  # Monday 08:00, GMT
MONDAY = datetime.date(2027, 1, 11)
CHANGELIST = reverse("admin:bookings_appointment_changelist")
BOOK = reverse("admin:bookings_appointment_add")


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def change_url(appointment) -> str:
    return reverse("admin:bookings_appointment_change", args=[appointment.pk])


def enquiry_page(appointment) -> str:
    return reverse("admin:bookings_consultationrequest_change", args=[appointment.request_id])


def move_url(appointment) -> str:
    return reverse("admin:bookings_appointment_move", args=[appointment.pk])


def cancel_url(appointment) -> str:
    return reverse("admin:bookings_appointment_cancel", args=[appointment.pk])


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The clinic's clock reads NOW everywhere (views, forms, services)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def consultation():
    return ConsultationTypeFactory(name="Free SMP consultation", duration_minutes=30)


@pytest.fixture
def amelia():
    practitioner = PractitionerFactory(name="Amelia Hart", position=1)
    hours(practitioner, Weekday.MONDAY, "09:00", "17:00")
    return practitioner


@pytest.fixture
def reception(client):
    user = staff_user("restoration-u")
    user.first_name, user.last_name = "Sam", "Desk"
    user.save()
    client.force_login(user)
    return user


def booked(consultation, practitioner, clock="10:00", day=MONDAY, **fields) -> Appointment:
    enquiry = make_enquiry(**fields)
    return appointments.book_appointment(
        request=enquiry,
        consultation_type=consultation,
        practitioner=practitioner,
        starts_at=at(day, clock),
        now=NOW,
    )


def stored_at(appointment, starts_at: datetime.datetime) -> None:
    """Put a stored appointment at another time (past, or outside the hours), its span and
    buffers moved with it, as no service would."""
    shift = starts_at - appointment.starts_at
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=starts_at,
        ends_at=appointment.ends_at + shift,
        blocked_from=appointment.blocked_from + shift,
        blocked_until=appointment.blocked_until + shift,
    )


def outside_hours(practitioner, clock: str) -> dict:
    return {
        "practitioner": practitioner.pk,
        "outside_hours": "on",
        "outside_date": MONDAY.isoformat(),
        "outside_time": clock,
    }


def rows(response) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")][1:]
        for row in parse(response).select("#result_list tbody tr")
    ]


def caller(**overrides) -> dict:
    return {
        "full_name": "Jordan Caller",
        "email": "jordan@client.example",
        "phone": "07911 123456",
        "contact_method": "phone",
        "enquiry_type": "new_smp",
        "message": "Thinning at the crown.",
        "consent": "on",
        "submission_key": "key-1",
        "from_day": MONDAY.isoformat(),
        "_book": "Book this time",
        **overrides,
    }


# THE LIST


def test_the_list_shows_upcoming_booked_appointments_in_time_order(
    client, reception, consultation, amelia
):
    later = booked(consultation, amelia, "11:00", full_name="Later Client")
    booked(consultation, amelia, "09:30", full_name="Early Client")
    appointments.cancel_appointment(appointment=later, reason="Unwell", by=reception, now=NOW)
    booked(consultation, amelia, "14:00", full_name="Phone Client")
    Appointment.objects.filter(request__full_name="Phone Client").update(booked_by=reception)
    assert rows(client.get(CHANGELIST)) == [
        [
            "Monday 11 January 2027, 09:30",
            "Amelia Hart",
            "Free SMP consultation",
            "Early Client",
            "Booked",
            "Online",
        ],
        [
            "Monday 11 January 2027, 14:00",
            "Amelia Hart",
            "Free SMP consultation",
            "Phone Client",
            "Booked",
            "By phone, Sam Desk",
        ],
    ]


def test_the_list_shows_cancelled_and_past_appointments_when_asked(
    client, reception, consultation, amelia
):
    gone = booked(consultation, amelia, "11:00", full_name="Cancelled Client")
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=reception, now=NOW)
    past = booked(consultation, amelia, "10:00", full_name="Past Client")
    stored_at(past, NOW - datetime.timedelta(days=1))
    names = [row[3] for row in rows(client.get(CHANGELIST, {"status": "cancelled"}))]
    assert names == ["Cancelled Client"]
    names = [row[3] for row in rows(client.get(CHANGELIST, {"when": "past"}))]
    assert names == ["Past Client"]


def test_a_day_chosen_in_the_drill_down_lists_that_day(client, reception, consultation, amelia):
    booked(consultation, amelia, "10:00", full_name="That Day")
    booked(consultation, amelia, "10:00", day=MONDAY + datetime.timedelta(days=7), full_name="Next")
    response = client.get(
        CHANGELIST, {"starts_at__year": 2027, "starts_at__month": 1, "starts_at__day": 11}
    )
    assert [row[3] for row in rows(response)] == ["That Day"]


def test_the_practitioner_filter_offers_only_the_staff_members_clinic(client, reception, amelia):
    PractitionerFactory(name="Ben Stone")
    PractitionerFactory(name="Laser Practitioner", clinic=clinic("laser-reverse"))
    filters = parse(client.get(CHANGELIST)).select_one("#changelist-filter").get_text(" ")
    assert "Amelia Hart" in filters and "Ben Stone" in filters
    assert "Laser Practitioner" not in filters


def test_an_appointments_page_is_read_only_and_links_to_its_enquiry(
    client, reception, consultation, amelia
):
    appointment = booked(consultation, amelia, full_name="Read Only")
    page = parse(client.get(change_url(appointment)))
    form = page.select_one("#appointment_form")
    assert not form.select("input[type=text], input[type=datetime-local], select, textarea")
    assert not page.select("input[name=_save]")
    enquiry_url = enquiry_page(appointment)
    assert page.select_one(f"a[href='{enquiry_url}']").get_text() == appointment.request.reference
    assert "Monday 11 January 2027, 10:00" in form.select_one(".field-time").get_text()
    tools = [link.get_text(strip=True) for link in page.select(".object-tools a")]
    assert tools[:2] == ["Move", "Cancel"]


def test_the_enquiry_page_shows_its_appointment_with_a_link(
    client, reception, consultation, amelia
):
    appointment = booked(consultation, amelia)
    enquiry_url = enquiry_page(appointment)
    inline = parse(client.get(enquiry_url)).select_one("#appointment-group")
    assert "Monday 11 January 2027, 10:00 UK time" in inline.get_text(" ")
    assert inline.select_one(f"a[href='{change_url(appointment)}']")


# BOOKING BY PHONE


def test_the_booking_page_lists_free_times_as_choices(client, reception, consultation, amelia):
    booked(consultation, amelia, "10:00")
    page = parse(client.get(BOOK, {"from_day": MONDAY.isoformat()}))
    monday = page.find("legend", string="Monday 11 January 2027").find_parent("fieldset")
    times = [label.get_text(strip=True) for label in monday.select("label")]
    assert times[:4] == ["09:00", "09:15", "10:45", "11:00"]
    assert monday.select_one("input[type=radio][name=time]")


def test_reception_books_a_caller_by_phone(client, reception, consultation, amelia):
    response = client.post(
        BOOK, caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15").isoformat())
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(appointment)
    assert (appointment.starts_at, appointment.practitioner, appointment.booked_by) == (
        at(MONDAY, "11:15"),
        amelia,
        reception,
    )
    assert not appointment.outside_hours
    enquiry = appointment.request
    assert (enquiry.full_name, enquiry.phone, enquiry.status) == (
        "Jordan Caller",
        "+447911123456",
        ConsultationRequest.Status.BOOKED,
    )
    assert enquiry.source == "Booked by phone by Sam Desk"
    assert enquiry.consent_given_at == NOW
    client_emails = enquiry.notifications.filter(recipients=["jordan@client.example"])
    assert set(client_emails.values_list("kind", flat=True)) == {"booked", "reminder"}
    message = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert message == [
        "Jordan Caller: booked for Monday 11 January 2027, 11:15 UK time with Amelia Hart. "
        "The client is being emailed."
    ]


def test_the_enquiry_says_consent_was_given_on_the_phone(client, reception, consultation, amelia):
    client.post(BOOK, caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15")))
    enquiry = ConsultationRequest.objects.get()
    page = client.get(reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk]))
    assert "Given on the phone" in parse(page).select_one(".field-consent").get_text()


def test_the_same_booking_sent_twice_books_once(client, reception, consultation, amelia):
    data = caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15").isoformat())
    client.post(BOOK, data)
    client.post(BOOK, data)
    assert (Appointment.objects.count(), ConsultationRequest.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("mistake", "field", "message"),
    [
        ({"phone": "0791"}, "phone", "UK numbers have 11"),
        ({"consent": ""}, "consent", "Ask the client for their agreement"),
        ({"time": ""}, "time", "Choose a time, or book outside"),
        ({"email": "jordan@[10.0.0.5]"}, "email", "domain name"),
        ({"time": at(MONDAY, "10:00") - datetime.timedelta(days=8)}, "time", "has passed"),
    ],
    ids=["phone", "consent", "no-time", "email", "past"],
)
def test_a_booking_with_a_mistake_stores_nothing_and_says_why(
    client, reception, consultation, amelia, mistake, field, message
):
    data = caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15").isoformat())
    response = client.post(BOOK, data | mistake)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ConsultationRequest.objects.exists()


def test_a_time_just_taken_is_refused_with_the_nearest_free_times(
    client, reception, consultation, amelia
):
    booked(consultation, amelia, "11:15", email="first@client.example")
    response = client.post(
        BOOK, caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15").isoformat())
    )
    assert [str(m) for m in response.context["messages"]] == [appointments.TAKEN]
    nearest = parse(response).select_one(".nearest-times").get_text(" ", strip=True)
    assert "Monday 11 January 2027, 10:30 UK time" in nearest
    assert "Monday 11 January 2027, 12:00 UK time" in nearest
    assert ConsultationRequest.objects.count() == 1


def test_reception_books_outside_the_practitioners_hours(client, reception, consultation, amelia):
    client.post(BOOK, caller(consultation_type=consultation.pk, **outside_hours(amelia, "18:30")))
    appointment = Appointment.objects.get()
    assert (appointment.starts_at, appointment.outside_hours) == (at(MONDAY, "18:30"), True)


def test_outside_hours_still_never_overlaps(client, reception, consultation, amelia):
    evening = booked(consultation, amelia, "10:00", email="first@client.example")
    stored_at(evening, at(MONDAY, "18:30"))
    response = client.post(
        BOOK, caller(consultation_type=consultation.pk, **outside_hours(amelia, "18:45"))
    )
    assert [str(m) for m in response.context["messages"]] == [appointments.TAKEN]
    assert parse(response).select(".nearest-times input[type=radio][name=time]")
    assert Appointment.objects.count() == 1


def test_outside_hours_needs_a_named_practitioner(client, reception, consultation, amelia):
    anyone = outside_hours(amelia, "18:30") | {"practitioner": ""}
    response = client.post(BOOK, caller(consultation_type=consultation.pk, **anyone))
    assert "Choose who will see the client" in response.context["form"].errors["practitioner"][0]


def test_enquiries_the_other_clinic_handles_cannot_be_booked_here(
    client, reception, consultation, amelia
):
    page = parse(client.get(BOOK))
    offered = [option["value"] for option in page.select("#id_enquiry_type option")]
    assert offered == ["new_smp", "smp_correction", "other"]
    response = client.post(
        BOOK,
        caller(
            consultation_type=consultation.pk,
            time=at(MONDAY, "11:15").isoformat(),
            enquiry_type="laser_smp",
        ),
    )
    assert "enquiry_type" in response.context["form"].errors
    assert not ConsultationRequest.objects.exists()


def test_showing_other_times_keeps_what_was_typed_and_books_nothing(
    client, reception, consultation, amelia
):
    data = caller(consultation_type=consultation.pk, full_name="Half Typed")
    del data["_book"]
    response = client.post(BOOK, data | {"_next_week": "Show the next 7 days"})
    page = parse(response)
    assert page.select_one("#id_full_name")["value"] == "Half Typed"
    assert page.select_one("#id_from_day")["value"] == "2027-01-18"
    assert not page.select(".errorlist")
    assert not ConsultationRequest.objects.exists()


def test_staff_without_the_add_permission_cannot_book(client, consultation, amelia):
    user = staff_user("restoration-u")
    reception = Group.objects.get(name="Reception")
    reception.permissions.remove(reception.permissions.get(codename="add_appointment"))
    client.force_login(user)
    assert client.get(BOOK).status_code == 403
    response = client.post(
        BOOK, caller(consultation_type=consultation.pk, time=at(MONDAY, "11:15").isoformat())
    )
    assert response.status_code == 403
    assert not ConsultationRequest.objects.exists()


def test_the_reception_group_books_moves_and_cancels_but_never_deletes():
    codenames = set(
        Group.objects.get(name="Reception").permissions.values_list("codename", flat=True)
    )
    assert {"view_appointment", "add_appointment", "change_appointment"} <= codenames
    assert "delete_appointment" not in codenames


# MOVING AND CANCELLING


def test_reception_moves_an_appointment_to_a_free_time(client, reception, consultation, amelia):
    appointment = booked(consultation, amelia, "10:00")
    page = parse(client.get(move_url(appointment)))
    monday = page.find("legend", string="Monday 11 January 2027").find_parent("fieldset")
    # Its own time is free to move within: 10:15 overlaps only the appointment being moved.
    assert "10:15" in [label.get_text(strip=True) for label in monday.select("label")]
    response = client.post(
        move_url(appointment),
        {"practitioner": amelia.pk, "time": at(MONDAY, "10:15").isoformat(), "_move": "Move"},
    )
    appointment.refresh_from_db()
    assert response["Location"] == change_url(appointment)
    assert (appointment.starts_at, appointment.sequence) == (at(MONDAY, "10:15"), 1)
    moved = appointment.notifications.filter(kind=Notification.Kind.MOVED)
    assert list(moved.values_list("recipients", flat=True)) == [[appointment.request.email]]
    assert not appointment.notifications.filter(kind=Notification.Kind.STAFF_CHANGE).exists()


def test_reception_moves_an_appointment_outside_the_practitioners_hours(
    client, reception, consultation, amelia
):
    appointment = booked(consultation, amelia, "10:00")
    client.post(move_url(appointment), outside_hours(amelia, "08:00") | {"_move": "Move"})
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.outside_hours) == (at(MONDAY, "08:00"), True)


def test_a_move_to_a_taken_time_says_so_and_changes_nothing(
    client, reception, consultation, amelia
):
    appointment = booked(consultation, amelia, "10:00")
    booked(consultation, amelia, "14:00", email="other@client.example")
    response = client.post(
        move_url(appointment),
        {"practitioner": amelia.pk, "time": at(MONDAY, "14:00").isoformat(), "_move": "Move"},
    )
    assert [str(m) for m in response.context["messages"]] == [appointments.TAKEN]
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.sequence) == (at(MONDAY, "10:00"), 0)


def test_a_cancelled_appointment_cannot_be_moved_and_the_page_says_why(
    client, reception, consultation, amelia
):
    appointment = booked(consultation, amelia, "10:00")
    appointments.cancel_appointment(appointment=appointment, reason="Unwell", by=reception, now=NOW)
    page = parse(client.get(move_url(appointment)))
    assert "cannot be moved" in page.select_one(".errornote").get_text()
    assert not page.select("input[name=time]")
    client.post(
        move_url(appointment),
        {"practitioner": amelia.pk, "time": at(MONDAY, "11:00").isoformat(), "_move": "Move"},
    )
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.status) == (at(MONDAY, "10:00"), "cancelled")
    tools = parse(client.get(change_url(appointment))).select(".object-tools a")
    assert "Move" not in [link.get_text(strip=True) for link in tools]


def test_reception_cancels_an_appointment_with_a_reason(client, reception, consultation, amelia):
    appointment = booked(consultation, amelia, "10:00")
    asked = parse(client.get(cancel_url(appointment)))
    assert asked.select_one("#id_reason")
    refused = client.post(cancel_url(appointment), {"reason": ""})
    assert "Say why" in refused.context["form"].errors["reason"][0]
    response = client.post(cancel_url(appointment), {"reason": "Client called: unwell"})
    appointment.refresh_from_db()
    assert response["Location"] == change_url(appointment)
    assert (appointment.status, appointment.cancel_reason, appointment.cancelled_by) == (
        "cancelled",
        "Client called: unwell",
        "staff",
    )
    assert appointment.notifications.filter(kind=Notification.Kind.APPOINTMENT_CANCELLED).exists()
    # The time is free again: another caller can have it.
    client.post(
        BOOK, caller(consultation_type=consultation.pk, time=at(MONDAY, "10:00").isoformat())
    )
    assert Appointment.objects.booked().get().starts_at == at(MONDAY, "10:00")


def test_several_appointments_are_cancelled_at_once_with_one_reason(
    client, reception, consultation, amelia
):
    first = booked(consultation, amelia, "10:00")
    second = booked(consultation, amelia, "11:00", email="second@client.example")
    selected = {"action": "cancel_selected", "_selected_action": [first.pk, second.pk]}
    asked = client.post(CHANGELIST, selected)
    assert "Amelia Hart" in parse(asked).select_one("#content-main ul").get_text()
    assert Appointment.objects.booked().count() == 2
    client.post(CHANGELIST, selected | {"confirm_cancel": "yes", "reason": "Practitioner unwell"})
    assert set(Appointment.objects.values_list("status", "cancel_reason")) == {
        ("cancelled", "Practitioner unwell")
    }


def test_the_enquiry_export_gives_each_appointment_in_clinic_time(
    client, reception, consultation, amelia
):
    import csv
    import io

    kept = booked(consultation, amelia, "10:00", full_name="Kept")
    gone = booked(consultation, amelia, "11:00", full_name="Gone")
    appointments.cancel_appointment(appointment=gone, reason="Unwell", by=reception, now=NOW)
    make_enquiry(full_name="Not Booked")
    response = client.post(
        reverse("admin:bookings_consultationrequest_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(ConsultationRequest.objects.values_list("pk", flat=True)),
        },
    )
    text = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    cells = {row["Name"]: row["Appointment"] for row in csv.DictReader(io.StringIO(text))}
    assert kept.request.full_name == "Kept"
    assert cells == {
        "Kept": "Monday 11 January 2027, 10:00",
        "Gone": "Monday 11 January 2027, 11:00 (cancelled)",
        "Not Booked": "",
    }


def test_the_appointment_list_runs_as_many_queries_for_eight_appointments_as_for_one(
    client, reception, consultation, amelia
):
    def listed_with_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST, {"when": "any"})
        return len(parse(response).select("#result_list tbody tr")), len(queries)

    booked(consultation, amelia, "09:00")
    rows, with_one = listed_with_queries()
    assert rows == 1
    for hour in range(10, 17):
        booked(consultation, amelia, f"{hour}:00")
    assert listed_with_queries() == (8, with_one)
