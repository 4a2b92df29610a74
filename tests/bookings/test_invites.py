"""Calendar invites: one event for an appointment's life, updated and cancelled in place."""

import datetime

import pytest
from icalendar import Calendar

from bookings.services import invites
from tests.bookings.appointment_changes import cancel, move
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def parsed(appointment, method=invites.REQUEST):
    """The invite's calendar and its one event, as a calendar client reads them."""
    calendar = Calendar.from_ical(invites.calendar_invite(appointment=appointment, method=method))
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def appointment():
    return AppointmentFactory(starts_at=datetime.datetime(2026, 12, 8, 10, 30, tzinfo=UTC))


def test_a_booked_appointment_is_sent_as_a_confirmed_request(appointment):
    calendar, event = parsed(appointment)
    assert (str(calendar["method"]), str(event["status"])) == ("REQUEST", "CONFIRMED")


def test_the_calendar_names_its_product_and_version(appointment):
    calendar, _ = parsed(appointment)
    assert (str(calendar["prodid"]), str(calendar["version"])) == (invites.PRODUCT_ID, "2.0")


def test_the_event_starts_and_ends_in_utc_at_the_appointments_times(appointment):
    _, event = parsed(appointment)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start, end) == (appointment.starts_at, appointment.ends_at)
    assert start.utcoffset() == end.utcoffset() == datetime.timedelta(0)


def test_the_times_are_written_in_utc_with_no_time_zone_to_resolve(appointment):
    ics = invites.calendar_invite(appointment=appointment, method=invites.REQUEST).decode()
    assert "DTSTART:20261208T103000Z" in ics.splitlines()
    assert "VTIMEZONE" not in ics


def test_the_uid_is_the_appointments_own_at_the_sites_host(settings, appointment):
    settings.SITE_URL = "https://www.restoration-u.example"
    _, event = parsed(appointment)
    assert str(event["uid"]) == f"{appointment.uid}@www.restoration-u.example"


def test_the_uid_stays_the_same_when_the_appointment_moves_and_is_cancelled(appointment):
    uids = [str(parsed(appointment)[1]["uid"])]
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=1))
    uids.append(str(parsed(appointment)[1]["uid"]))
    cancel(appointment)
    uids.append(str(parsed(appointment, invites.CANCEL)[1]["uid"]))
    assert len(set(uids)) == 1


def test_the_sequence_rises_with_each_change(appointment):
    sequences = [parsed(appointment)[1].decoded("sequence")]
    move(appointment, to=appointment.starts_at + datetime.timedelta(days=1))
    sequences.append(parsed(appointment)[1].decoded("sequence"))
    cancel(appointment)
    sequences.append(parsed(appointment, invites.CANCEL)[1].decoded("sequence"))
    assert sequences == [0, 1, 2]


def test_a_moved_appointment_is_sent_at_its_new_time(appointment):
    move(appointment, to=datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    _, event = parsed(appointment)
    assert event.decoded("dtstart") == datetime.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)


def test_a_cancellation_is_a_cancel_with_the_event_cancelled(appointment):
    cancel(appointment)
    calendar, event = parsed(appointment, invites.CANCEL)
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")


def test_a_cancelled_appointment_is_never_sent_as_a_request(appointment):
    cancel(appointment)
    with pytest.raises(ValueError, match="CANCEL"):
        invites.calendar_invite(appointment=appointment, method=invites.REQUEST)


def test_the_method_follows_the_appointments_status(appointment):
    booked = invites.method_for(appointment=appointment)
    cancel(appointment)
    assert (booked, invites.method_for(appointment=appointment)) == ("REQUEST", "CANCEL")


def test_an_unknown_method_is_refused(appointment):
    with pytest.raises(ValueError, match="PUBLISH"):
        invites.calendar_invite(appointment=appointment, method="PUBLISH")


def test_the_location_is_the_clinics_postal_address(settings, appointment):
    settings.CLINIC_ADDRESS_OVERRIDES = {"restoration-u": "1 Deployment Road, Leeds, LS1 1AA"}
    _, event = parsed(appointment)
    assert str(event["location"]) == "1 Deployment Road, Leeds, LS1 1AA"


def test_the_summary_names_the_consultation_and_the_clinic(appointment):
    _, event = parsed(appointment)
    assert str(event["summary"]) == "Free SMP consultation at Restoration U"


def test_the_description_names_the_practitioner_and_the_clinics_phone(appointment):
    _, event = parsed(appointment)
    description = str(event["description"])
    assert appointment.practitioner.name in description
    assert appointment.clinic.phone in description


def test_the_invite_carries_nothing_the_client_wrote_about_their_health(appointment):
    ics = invites.calendar_invite(appointment=appointment, method=invites.REQUEST).decode()
    assert "hairline" not in ics.lower()


def test_the_clinic_organises_and_the_client_attends_already_accepted(appointment):
    _, event = parsed(appointment)
    organizer, attendee = event["organizer"], event["attendee"]
    assert str(organizer) == f"mailto:{appointment.clinic.email}"
    assert organizer.params["CN"] == "Restoration U"
    assert str(attendee) == "mailto:jamie@client.example"
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == ("ACCEPTED", "FALSE")


def test_the_invite_is_stamped_when_it_is_written(appointment):
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    _, event = parsed(appointment)
    assert event.decoded("dtstamp") >= before
