"""Booking, moving and cancelling appointments: the rules, the enquiry's status and the emails."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from bookings.models import (
    Appointment,
    AppointmentLink,
    ConsultationRequest,
    Notification,
    Weekday,
)
from bookings.services import appointments, availability
from restoration_site.common.clinic_clock import clinic_moment
from tests.factories import (
    AppointmentFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    WorkingHoursFactory,
    clinic,
    make_enquiry,
    staff_user,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 4, 8, tzinfo=datetime.UTC)  # Monday, GMT
MONDAY = datetime.date(2027, 1, 11)


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


@pytest.fixture
def consultation():
    return ConsultationTypeFactory(
        duration_minutes=30, buffer_before_minutes=5, buffer_after_minutes=10
    )


@pytest.fixture
def practitioner():
    practitioner = PractitionerFactory(position=1)
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.MONDAY)
    return practitioner


@pytest.fixture
def enquiry():
    return make_enquiry(email="casey@client.example")


def book(enquiry, consultation, clock="10:00", **options):
    options.setdefault("now", NOW)
    return appointments.book_appointment(
        request=enquiry, consultation_type=consultation, starts_at=at(MONDAY, clock), **options
    )


def emails_of(appointment) -> list[tuple[str, int, list[str]]]:
    return sorted(
        (email.kind, email.appointment_sequence, email.recipients)
        for email in Notification.objects.filter(appointment=appointment)
    )


def test_a_client_books_an_offered_time(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    assert appointment.starts_at == at(MONDAY, "10:00")
    assert appointment.practitioner == practitioner
    assert appointment.is_booked


def test_the_blocked_span_is_the_time_and_its_buffers(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    assert appointment.ends_at == at(MONDAY, "10:30")
    assert appointment.blocked_from == at(MONDAY, "09:55")
    assert appointment.blocked_until == at(MONDAY, "10:40")


def test_booking_marks_the_enquiry_consultation_booked(enquiry, consultation, practitioner):
    book(enquiry, consultation)
    enquiry.refresh_from_db()
    assert enquiry.status == ConsultationRequest.Status.BOOKED
    assert enquiry.events.last().description == "Status: New → Consultation booked"


def test_booking_queues_the_clients_confirmation_and_reminder(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    assert emails_of(appointment) == [
        ("booked", 0, ["casey@client.example"]),
        ("reminder", 0, ["casey@client.example"]),
    ]


def test_the_confirmation_is_due_at_once_in_the_clinics_name(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    confirmation = appointment.notifications.get(kind=Notification.Kind.BOOKED)
    assert confirmation.next_attempt_at == NOW
    assert confirmation.clinic == appointment.clinic


def test_the_confirmations_subject_gives_the_time_in_uk_time(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    confirmation = appointment.notifications.get(kind=Notification.Kind.BOOKED)
    assert confirmation.subject == (
        "Your consultation at Restoration U is booked: Monday 11 January 2027, 10:00 UK time"
    )


def test_the_reminder_is_due_the_configured_hours_before(
    enquiry, consultation, practitioner, settings
):
    settings.BOOKING_REMINDER_HOURS = 48
    appointment = book(enquiry, consultation)
    reminder = appointment.notifications.get(kind=Notification.Kind.REMINDER)
    assert reminder.next_attempt_at == at(MONDAY, "10:00") - datetime.timedelta(hours=48)


def test_no_reminder_is_queued_when_its_moment_has_passed(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation, now=at(MONDAY, "08:00"), by=staff_user())
    assert not appointment.notifications.filter(kind=Notification.Kind.REMINDER).exists()


def test_a_time_not_offered_is_refused_with_the_nearest_free_times(
    enquiry, consultation, practitioner
):
    with pytest.raises(appointments.TimeUnavailable) as refused:
        book(enquiry, consultation, clock="10:05")
    assert [time.label[-5:] for time in refused.value.alternatives] == ["09:45", "10:00", "10:15"]
    assert refused.value.reason


def test_a_taken_time_is_refused_with_three_alternatives(consultation, practitioner):
    book(make_enquiry(), consultation)
    with pytest.raises(appointments.TimeUnavailable) as refused:
        book(make_enquiry(), consultation)
    assert [time.label[-5:] for time in refused.value.alternatives] == ["09:00", "09:15", "10:45"]


def test_a_refused_booking_leaves_the_enquiry_as_it_was(consultation, practitioner):
    book(make_enquiry(), consultation)
    second = make_enquiry()
    with pytest.raises(appointments.TimeUnavailable):
        book(second, consultation)
    second.refresh_from_db()
    assert second.status == ConsultationRequest.Status.NEW
    assert not Appointment.objects.filter(request=second).exists()


def test_no_preference_books_the_first_free_practitioner_in_team_order(consultation, practitioner):
    earlier = PractitionerFactory(position=0)
    WorkingHoursFactory(practitioner=earlier, weekday=Weekday.MONDAY)
    first = book(make_enquiry(), consultation)
    second = book(make_enquiry(), consultation)
    assert (first.practitioner, second.practitioner) == (earlier, practitioner)


def test_a_chosen_practitioner_is_booked_even_when_another_comes_first(
    enquiry, consultation, practitioner
):
    WorkingHoursFactory(practitioner=PractitionerFactory(position=0), weekday=Weekday.MONDAY)
    assert book(enquiry, consultation, practitioner=practitioner).practitioner == practitioner


def test_the_same_submission_twice_books_once(consultation, practitioner):
    first = book(make_enquiry(), consultation, submission_key="form-7f3a")
    again = book(make_enquiry(), consultation, clock="11:00", submission_key="form-7f3a")
    assert again == first
    assert Appointment.objects.count() == 1


def test_the_same_submission_twice_queues_its_emails_once(enquiry, consultation, practitioner):
    book(enquiry, consultation, submission_key="form-7f3a")
    book(enquiry, consultation, submission_key="form-7f3a")
    assert Notification.objects.filter(kind=Notification.Kind.BOOKED).count() == 1


def test_a_consultation_type_of_another_clinic_is_refused(enquiry, practitioner):
    elsewhere = ConsultationTypeFactory(clinic=clinic("laser-reverse"))
    with pytest.raises(appointments.TimeUnavailable) as refused:
        book(enquiry, elsewhere)
    assert "not offered at this clinic" in refused.value.reason
    assert not Appointment.objects.exists()


def test_a_practitioner_of_another_clinic_is_refused(enquiry, consultation):
    elsewhere = PractitionerFactory(clinic=clinic("laser-reverse"))
    WorkingHoursFactory(practitioner=elsewhere, weekday=Weekday.MONDAY)
    with pytest.raises(appointments.TimeUnavailable) as refused:
        book(enquiry, consultation, practitioner=elsewhere)
    assert "does not work at this clinic" in refused.value.reason


def test_an_enquiry_with_an_appointment_cannot_book_a_second(enquiry, consultation, practitioner):
    book(enquiry, consultation)
    with pytest.raises(appointments.BookingRefused) as refused:
        book(enquiry, consultation, clock="11:00")
    assert "already has an appointment" in refused.value.reason


def test_staff_can_book_inside_the_minimum_notice(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation, now=at(MONDAY, "08:00"), by=staff_user())
    assert appointment.booked_by.username == "reception-restoration-u"


def test_a_client_cannot_book_inside_the_minimum_notice(enquiry, consultation, practitioner):
    with pytest.raises(appointments.TimeUnavailable):
        book(enquiry, consultation, now=at(MONDAY, "08:00"))


def test_staff_can_book_outside_the_practitioners_hours(enquiry, consultation, practitioner):
    appointment = book(
        enquiry,
        consultation,
        clock="18:10",
        practitioner=practitioner,
        by=staff_user(),
        outside_hours=True,
    )
    assert appointment.outside_hours
    assert appointment.starts_at == at(MONDAY, "18:10")


def test_staff_outside_the_hours_still_never_overlap_another_appointment(
    consultation, practitioner
):
    staff = staff_user()
    options = {"practitioner": practitioner, "by": staff, "outside_hours": True}
    book(make_enquiry(), consultation, clock="18:00", **options)
    with pytest.raises(appointments.TimeUnavailable):
        book(make_enquiry(), consultation, clock="18:35", **options)


def test_staff_outside_the_hours_with_no_preference_take_the_first_practitioner_free(
    consultation, practitioner
):
    other = PractitionerFactory(position=2)
    staff = staff_user()
    book(make_enquiry(), consultation, clock="19:00", by=staff, outside_hours=True)
    second = book(make_enquiry(), consultation, clock="19:00", by=staff, outside_hours=True)
    assert second.practitioner == other


def test_only_staff_can_book_outside_the_hours(enquiry, consultation, practitioner):
    with pytest.raises(ValueError):
        book(enquiry, consultation, clock="18:00", outside_hours=True)


# Moving


@pytest.fixture
def booked(enquiry, consultation, practitioner):
    appointment = book(enquiry, consultation)
    AppointmentLink.objects.create(
        appointment=appointment, token_hash="a" * 64, expires_at=at(MONDAY, "10:00")
    )
    return appointment


def move(appointment, clock="14:00", **options):
    options.setdefault("now", NOW)
    return appointments.reschedule_appointment(
        appointment=appointment, starts_at=at(MONDAY, clock), **options
    )


def test_moving_keeps_the_calendar_uid_and_raises_the_sequence(booked):
    moved = move(booked)
    assert (moved.pk, moved.uid, moved.sequence) == (booked.pk, booked.uid, 1)
    assert moved.starts_at == at(MONDAY, "14:00")


def test_moving_carries_the_buffers_to_the_new_time(booked):
    moved = move(booked)
    assert (moved.blocked_from, moved.blocked_until) == (at(MONDAY, "13:55"), at(MONDAY, "14:40"))


def test_moving_a_little_later_over_its_own_old_time_is_allowed(booked):
    assert move(booked, clock="10:15").starts_at == at(MONDAY, "10:15")


def test_moving_revokes_the_manage_links_sent_so_far(booked):
    move(booked)
    assert AppointmentLink.objects.get().revoked_at == NOW


def test_moving_queues_the_new_time_and_a_new_reminder_for_the_client(booked):
    move(booked, by=staff_user())
    assert emails_of(booked) == [
        ("booked", 0, ["casey@client.example"]),
        ("moved", 1, ["casey@client.example"]),
        ("reminder", 0, ["casey@client.example"]),
        ("reminder", 1, ["casey@client.example"]),
    ]


def test_a_client_moving_online_tells_the_clinic(booked):
    move(booked)
    change = booked.notifications.get(kind=Notification.Kind.STAFF_CHANGE)
    assert change.recipients == [booked.clinic.email]
    assert change.subject == (
        f"{booked.request.reference}: the client moved their consultation to "
        "Monday 11 January 2027, 14:00 UK time"
    )


def test_staff_moving_it_send_the_clinic_nothing(booked):
    move(booked, by=staff_user())
    assert not booked.notifications.filter(kind=Notification.Kind.STAFF_CHANGE).exists()


def test_a_client_moving_online_is_written_in_the_enquirys_history(booked):
    move(booked)
    event = booked.request.events.get(kind="appointment")
    assert event.description == (
        "Appointment moved from Monday 11 January 2027, 10:00 to Monday 11 January 2027, "
        "14:00 UK time, online by the client"
    )
    assert event.actor is None


def test_staff_moving_it_to_another_practitioner_is_written_with_their_names(booked):
    tom = PractitionerFactory(name="Tom Reed", position=2)
    WorkingHoursFactory(practitioner=tom, weekday=Weekday.MONDAY)
    receptionist = staff_user()
    move(booked, practitioner=tom, by=receptionist)
    event = booked.request.events.get(kind="appointment")
    assert event.description.endswith("14:00 UK time, with Tom Reed, by staff")
    assert event.actor == receptionist


def test_a_client_cannot_move_it_after_the_change_cutoff(booked):
    with pytest.raises(appointments.ChangeTooLate) as refused:
        move(booked, now=at(MONDAY, "10:30") - datetime.timedelta(days=1))
    assert booked.clinic.phone in refused.value.reason


def test_staff_can_move_it_after_the_change_cutoff(booked):
    moved = move(booked, clock="11:00", now=at(MONDAY, "09:00"), by=staff_user())
    assert moved.starts_at == at(MONDAY, "11:00")


def test_moving_to_a_taken_time_changes_nothing(booked, consultation):
    book(make_enquiry(), consultation, clock="14:00")
    with pytest.raises(appointments.TimeUnavailable):
        move(booked)
    booked.refresh_from_db()
    assert (booked.starts_at, booked.sequence) == (at(MONDAY, "10:00"), 0)


def test_moving_keeps_the_practitioner_when_they_are_free(booked):
    other = PractitionerFactory(position=0)
    WorkingHoursFactory(practitioner=other, weekday=Weekday.MONDAY)
    assert move(booked).practitioner_id == booked.practitioner_id


def test_a_cancelled_appointment_cannot_be_moved(booked):
    appointments.cancel_appointment(appointment=booked, reason="", now=NOW)
    with pytest.raises(appointments.BookingRefused):
        move(booked)


# Cancelling


def cancel(appointment, **options):
    options.setdefault("now", NOW)
    options.setdefault("reason", "Cannot make it after all")
    return appointments.cancel_appointment(appointment=appointment, **options)


def test_cancelling_keeps_the_row_with_when_who_and_why(booked):
    cancelled = cancel(booked)
    assert (cancelled.status, cancelled.cancelled_at, cancelled.cancelled_by) == (
        Appointment.Status.CANCELLED,
        NOW,
        Appointment.CancelledBy.CLIENT,
    )
    assert cancelled.cancel_reason == "Cannot make it after all"


def test_cancelling_is_written_in_the_enquirys_history(booked):
    receptionist = staff_user()
    cancel(booked, by=receptionist)
    event = booked.request.events.get(kind="appointment")
    assert event.description == (
        "Appointment of Monday 11 January 2027, 10:00 UK time cancelled by staff"
    )
    assert event.actor == receptionist


def test_cancelling_raises_the_sequence(booked):
    assert cancel(booked).sequence == 1


def test_cancelling_frees_the_time_at_once(booked, consultation, practitioner):
    cancel(booked)
    assert availability.is_offered(
        consultation_type=consultation,
        practitioner_id=practitioner.pk,
        starts_at=at(MONDAY, "10:00"),
        now=NOW,
    )


def test_cancelling_revokes_the_manage_links(booked):
    cancel(booked)
    assert AppointmentLink.objects.get().revoked_at == NOW


def test_a_client_cancelling_online_tells_the_client_and_the_clinic(booked):
    cancel(booked)
    assert sorted(
        booked.notifications.filter(appointment_sequence=1).values_list("kind", flat=True)
    ) == ["appt_cancelled", "staff_change"]


def test_staff_cancelling_tell_only_the_client(booked):
    cancelled = cancel(booked, by=staff_user())
    assert cancelled.cancelled_by == Appointment.CancelledBy.STAFF
    assert list(
        booked.notifications.filter(appointment_sequence=1).values_list("kind", flat=True)
    ) == ["appt_cancelled"]


def test_a_client_cannot_cancel_online_after_the_change_cutoff(booked):
    with pytest.raises(appointments.ChangeTooLate):
        cancel(booked, now=at(MONDAY, "08:00"))


def test_staff_can_cancel_after_the_change_cutoff(booked):
    assert not cancel(booked, now=at(MONDAY, "08:00"), by=staff_user()).is_booked


def test_cancelling_twice_changes_nothing_more(booked):
    cancel(booked)
    again = cancel(booked)
    assert again.sequence == 1
    assert booked.notifications.filter(kind=Notification.Kind.APPOINTMENT_CANCELLED).count() == 1


# A visitor's booking: the enquiry and its appointment together


def book_consultation(consultation, clock="10:00", **options):
    details = {
        "full_name": "Jamie Example",
        "email": "jamie@client.example",
        "phone": "+447911123456",
        "contact_method": "email",
        "enquiry_type": "new_smp",
        "consultation_type": consultation,
        "starts_at": at(MONDAY, clock),
        "now": NOW,
    }
    return appointments.book_consultation(**(details | options))


def test_a_visitor_booking_stores_the_enquiry_and_its_appointment(consultation, practitioner):
    appointment = book_consultation(consultation, message="Receding at the temples.")
    assert appointment.request.message == "Receding at the temples."
    assert appointment.request.status == ConsultationRequest.Status.BOOKED


def test_a_visitor_booking_is_recorded_as_routed_then_booked(consultation, practitioner):
    appointment = book_consultation(consultation)
    history = list(appointment.request.events.order_by("pk").values_list("kind", "description"))
    assert history == [
        ("routed", "Routing rule: New SMP treatment → Restoration U"),
        ("status", "Status: New → Consultation booked"),
    ]


def test_a_booking_taken_by_phone_names_the_member_of_staff_in_its_history(
    consultation, practitioner
):
    receptionist = staff_user()
    appointment = book_consultation(consultation, by=receptionist)
    assert appointment.request.status_changed_by == receptionist
    assert appointment.request.events.get(kind="status").actor == receptionist


def test_a_visitor_booking_tells_the_clinic_and_sends_the_client_the_confirmation_only(
    consultation, practitioner
):
    appointment = book_consultation(consultation)
    assert sorted(appointment.request.notifications.values_list("kind", flat=True)) == [
        "booked",
        "reminder",
        "staff",
    ]


def test_a_visitor_booking_with_laser_reverse_copies_restoration_u():
    laser = ConsultationTypeFactory(clinic=clinic("laser-reverse"))
    practitioner = PractitionerFactory(clinic=clinic("laser-reverse"))
    WorkingHoursFactory(practitioner=practitioner, weekday=Weekday.MONDAY)
    appointment = book_consultation(laser, enquiry_type="laser_smp")
    copy = appointment.request.notifications.get(kind=Notification.Kind.COPY)
    assert copy.recipients == [clinic("restoration-u").email]


def test_a_visitor_booking_takes_one_of_the_addresses_attempts(
    consultation, practitioner, settings
):
    settings.CONSULTATION_RATE_LIMIT = 1
    book_consultation(consultation, visitor_address="203.0.113.9")
    with pytest.raises(appointments.TooManyAttempts):
        book_consultation(consultation, clock="11:00", visitor_address="203.0.113.9")
    assert ConsultationRequest.objects.count() == 1


def test_a_booking_whose_time_has_gone_gives_its_attempt_back(consultation, practitioner, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    book_consultation(consultation, email="sam@client.example")
    with pytest.raises(appointments.TimeUnavailable):
        book_consultation(consultation, visitor_address="203.0.113.9")
    book_consultation(consultation, clock="11:00", visitor_address="203.0.113.9")
    assert ConsultationRequest.objects.count() == 2


def test_a_visitor_booking_a_taken_time_stores_nothing(consultation, practitioner):
    book_consultation(consultation)
    with pytest.raises(appointments.TimeUnavailable):
        book_consultation(consultation, email="sam@client.example")
    assert ConsultationRequest.objects.count() == 1


def test_a_visitor_booking_sent_twice_stores_one_enquiry(consultation, practitioner):
    first = book_consultation(consultation, submission_key="form-91c2")
    again = book_consultation(consultation, submission_key="form-91c2")
    assert again == first
    assert ConsultationRequest.objects.count() == 1


def test_a_visitor_booking_a_type_the_enquiry_is_not_routed_to_stores_nothing(practitioner):
    laser = ConsultationTypeFactory(clinic=clinic("laser-reverse"))
    with pytest.raises(appointments.TimeUnavailable):
        book_consultation(laser, enquiry_type="new_smp")
    assert not ConsultationRequest.objects.exists()


# The database's own guarantee


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's exclusion constraint (migration 0005)"
)
def test_postgresql_refuses_overlapping_appointments_written_past_the_service(
    consultation, practitioner
):
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            practitioner=practitioner,
            consultation_type=consultation,
            starts_at=at(MONDAY, "10:35"),  # inside the first one's 10-minute buffer
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's exclusion constraint (migration 0005)"
)
def test_postgresql_lets_a_cancelled_appointments_time_be_booked_again(consultation, practitioner):
    AppointmentFactory(
        practitioner=practitioner,
        consultation_type=consultation,
        starts_at=at(MONDAY, "10:00"),
        status=Appointment.Status.CANCELLED,
    )
    AppointmentFactory(
        practitioner=practitioner, consultation_type=consultation, starts_at=at(MONDAY, "10:00")
    )
    assert Appointment.objects.booked().count() == 1
