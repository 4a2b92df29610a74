"""One authorization path for every read of enquiry data: a member of one clinic's staff tries
to reach the other clinic's enquiry by every route the admin offers, and the owning clinic's
staff reach it by the same route (so each test can fail)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, ConsultationRequest, EnquiryPhoto, Notification
from bookings.services.privacy import subject_access_export
from bookings.services.workflow import add_note
from restoration_site.common.clinic_clock import clinic_time
from tests.bookings.helpers import CHANGELIST
from tests.factories import (
    AppointmentFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    make_enquiry,
    staff_user,
)
from tests.html import parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db
NOTIFICATIONS = reverse("admin:bookings_notification_changelist")
SHARED_EMAIL = "morgan@client.example"


@pytest.fixture
def restoration_u_enquiry():
    """Restoration U's enquiry from a person who also asked Laser Reverse something."""
    enquiry = make_enquiry(
        enquiry_type="new_smp",
        full_name="Morgan Private",
        email=SHARED_EMAIL,
        message="A scar from surgery at the crown.",
        photos=[photo_with_exif()],
    )
    add_note(enquiry=enquiry, author=None, text="Prefers a call after six.")
    return enquiry


@pytest.fixture
def laser_reverse_enquiry():
    return make_enquiry(
        enquiry_type="laser_smp", full_name="Morgan Private", email=SHARED_EMAIL, message="Fading."
    )


@pytest.fixture
def owner(client):
    """Restoration U's receptionist, signed in."""
    client.force_login(staff_user("restoration-u"))
    return client


@pytest.fixture
def intruder(client):
    """Laser Reverse's receptionist, signed in."""
    client.force_login(staff_user("laser-reverse"))
    return client


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def shows(response, enquiry) -> bool:
    """Whether a response carries anything of the enquiry's health data or contact details."""
    text = body(response)
    return any(
        secret in text
        for secret in (enquiry.reference, enquiry.message, "Prefers a call after six", "scar")
    )


def listed(response) -> str:
    """The rows of an admin list (the search box repeats what was searched for)."""
    results = parse(response).select_one("#result_list")
    return results.get_text(" ") if results else ""


def post_action(client, action: str, enquiry, url: str = CHANGELIST, **extra):
    return client.post(url, {"action": action, "_selected_action": [enquiry.pk], **extra})


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:bookings_consultationrequest_change",
        "admin:bookings_consultationrequest_history",
    ],
)
def test_an_enquiry_page_is_open_to_its_clinic_and_closed_to_the_other(
    owner, restoration_u_enquiry, client, url_name
):
    url = reverse(url_name, args=[restoration_u_enquiry.pk])
    assert owner.get(url).status_code == 200
    client.force_login(staff_user("laser-reverse"))
    response = client.get(url, follow=True)
    assert not shows(response, restoration_u_enquiry)


def test_the_list_and_its_search_show_an_enquiry_only_to_its_clinic(
    owner, restoration_u_enquiry, client
):
    assert restoration_u_enquiry.reference in body(owner.get(CHANGELIST, {"q": SHARED_EMAIL}))
    client.force_login(staff_user("laser-reverse"))
    for term in (SHARED_EMAIL, restoration_u_enquiry.reference, "Morgan"):
        assert restoration_u_enquiry.reference not in listed(client.get(CHANGELIST, {"q": term}))


def test_the_csv_export_holds_an_enquiry_only_for_its_clinic(owner, restoration_u_enquiry, client):
    assert restoration_u_enquiry.reference in body(
        post_action(owner, "export_csv", restoration_u_enquiry)
    )
    client.force_login(staff_user("laser-reverse"))
    chosen = post_action(client, "export_csv", restoration_u_enquiry)
    everything = post_action(
        client, "export_csv", restoration_u_enquiry, select_across="1", index="0"
    )
    assert not shows(chosen, restoration_u_enquiry)
    assert everything["Content-Type"].startswith("text/csv")
    assert not shows(everything, restoration_u_enquiry)


def test_a_subject_access_export_of_ones_own_enquiry_leaves_out_the_other_clinics(
    intruder, restoration_u_enquiry, laser_reverse_enquiry
):
    response = post_action(intruder, "export_personal_data", laser_reverse_enquiry)
    export = json.loads(body(response))
    assert [entry["reference"] for entry in export["enquiries"]] == [
        laser_reverse_enquiry.reference
    ]
    assert not shows(response, restoration_u_enquiry)


def test_a_subject_access_export_by_the_owning_clinic_holds_its_enquiry(
    owner, restoration_u_enquiry, laser_reverse_enquiry
):
    export = json.loads(body(post_action(owner, "export_personal_data", restoration_u_enquiry)))
    (entry,) = export["enquiries"]
    assert (entry["reference"], entry["notes"][0]["text"]) == (
        restoration_u_enquiry.reference,
        "Prefers a call after six.",
    )


def test_the_export_service_itself_answers_only_for_the_staff_members_clinic(
    restoration_u_enquiry, laser_reverse_enquiry
):
    laser_reverse_staff = staff_user("laser-reverse")
    export = subject_access_export(email=SHARED_EMAIL, by=laser_reverse_staff)
    assert [e["reference"] for e in export["enquiries"]] == [laser_reverse_enquiry.reference]


@pytest.mark.parametrize("action", ["resend", "mark_contacted"])
def test_actions_on_another_clinics_enquiry_change_nothing(intruder, restoration_u_enquiry, action):
    before = list(Notification.objects.values_list("status", "next_attempt_at"))
    post_action(intruder, action, restoration_u_enquiry)
    restoration_u_enquiry.refresh_from_db()
    assert restoration_u_enquiry.status == ConsultationRequest.Status.NEW
    assert list(Notification.objects.values_list("status", "next_attempt_at")) == before


def test_the_owning_clinic_can_mark_its_enquiry_contacted(owner, restoration_u_enquiry):
    post_action(owner, "mark_contacted", restoration_u_enquiry)
    restoration_u_enquiry.refresh_from_db()
    assert restoration_u_enquiry.status == ConsultationRequest.Status.CONTACTED


@pytest.mark.parametrize(
    "url_name", ["admin:bookings_notification_change", "admin:bookings_notification_history"]
)
def test_an_email_page_is_open_to_its_clinic_and_closed_to_the_other(
    owner, restoration_u_enquiry, client, url_name
):
    notification = restoration_u_enquiry.notifications.first()
    url = reverse(url_name, args=[notification.pk])
    assert restoration_u_enquiry.reference in body(owner.get(url))
    client.force_login(staff_user("laser-reverse"))
    assert not shows(client.get(url, follow=True), restoration_u_enquiry)


def test_the_email_list_shows_an_enquirys_emails_only_to_its_clinic(
    owner, restoration_u_enquiry, client
):
    assert restoration_u_enquiry.reference in body(owner.get(NOTIFICATIONS))
    client.force_login(staff_user("laser-reverse"))
    assert not shows(client.get(NOTIFICATIONS), restoration_u_enquiry)
    searched = client.get(NOTIFICATIONS, {"q": restoration_u_enquiry.reference})
    assert restoration_u_enquiry.reference not in listed(searched)


@pytest.mark.parametrize("action", ["resend", "cancel"])
def test_email_actions_on_another_clinics_emails_change_nothing(
    intruder, restoration_u_enquiry, action
):
    notification = restoration_u_enquiry.notifications.first()
    post_action(intruder, action, notification, url=NOTIFICATIONS)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 0


def test_the_owning_clinic_can_cancel_its_enquirys_email(owner, restoration_u_enquiry):
    notification = restoration_u_enquiry.notifications.first()
    post_action(owner, "cancel", notification, url=NOTIFICATIONS)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.CANCELLED


def test_a_photo_is_open_to_its_clinic_and_a_404_to_the_other(owner, restoration_u_enquiry, client):
    photo = restoration_u_enquiry.photos.get()
    assert owner.get(photo.get_absolute_url()).status_code == 200
    client.force_login(staff_user("laser-reverse"))
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_the_staff_emails_admin_link_opens_only_for_the_clinic_it_was_sent_to(
    owner, restoration_u_enquiry, client, settings
):
    from bookings.services.emails import build_email

    staff_email = restoration_u_enquiry.notifications.get(kind=Notification.Kind.STAFF)
    link = next(
        word for word in build_email(notification=staff_email).body.split() if "/admin/" in word
    ).removeprefix(settings.SITE_URL)
    assert owner.get(link).status_code == 200
    client.force_login(staff_user("laser-reverse"))
    assert not shows(client.get(link, follow=True), restoration_u_enquiry)


def test_every_kind_of_enquiry_data_is_scoped_by_the_same_rule(
    restoration_u_enquiry, laser_reverse_enquiry
):
    laser_reverse_staff = staff_user("laser-reverse")
    for model in (ConsultationRequest, EnquiryPhoto, Notification):
        visible = model.objects.for_staff(laser_reverse_staff)
        own = {laser_reverse_enquiry.pk}
        enquiry_ids = (
            set(visible.values_list("pk", flat=True))
            if model is ConsultationRequest
            else set(visible.values_list("request_id", flat=True))
        )
        assert enquiry_ids <= own
    notes = restoration_u_enquiry.notes.model.objects.for_staff(laser_reverse_staff)
    events = restoration_u_enquiry.events.model.objects.for_staff(laser_reverse_staff)
    assert not notes.filter(request=restoration_u_enquiry).exists()
    assert not events.filter(request=restoration_u_enquiry).exists()
    assert events.filter(request=laser_reverse_enquiry).exists()


def test_a_staff_account_without_a_clinic_sees_no_enquiry(restoration_u_enquiry):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("no-clinic", password="a-long-staff-password-123")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Reception"))
    assert not ConsultationRequest.objects.for_staff(user).exists()


def test_a_staff_account_without_the_view_permission_sees_no_photo(restoration_u_enquiry):
    from django.contrib.auth.models import Group

    receptionist = staff_user("restoration-u")
    reception = Group.objects.get(name="Reception")
    reception.permissions.remove(reception.permissions.get(codename="view_enquiryphoto"))
    assert ConsultationRequest.objects.for_staff(receptionist).exists()
    assert not EnquiryPhoto.objects.for_staff(receptionist).exists()


# APPOINTMENTS


APPOINTMENTS = reverse("admin:bookings_appointment_changelist")


@pytest.fixture
def restoration_u_appointment(restoration_u_enquiry):
    return AppointmentFactory(request=restoration_u_enquiry)


def unchanged(appointment) -> bool:
    before = (appointment.starts_at, appointment.status, appointment.sequence)
    appointment.refresh_from_db()
    return (appointment.starts_at, appointment.status, appointment.sequence) == before


def outside_hours_move(appointment, practitioner) -> dict:
    later = appointment.starts_at + datetime.timedelta(days=1)
    return {
        "practitioner": practitioner.pk,
        "outside_hours": "on",
        "outside_date": clinic_time(later).date().isoformat(),
        "outside_time": "18:00",
        "_move": "Move",
    }


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:bookings_appointment_change",
        "admin:bookings_appointment_history",
        "admin:bookings_appointment_move",
        "admin:bookings_appointment_cancel",
    ],
)
def test_an_appointment_page_is_open_to_its_clinic_and_closed_to_the_other(
    owner, restoration_u_appointment, client, url_name
):
    url = reverse(url_name, args=[restoration_u_appointment.pk])
    assert owner.get(url).status_code == 200
    client.force_login(staff_user("laser-reverse"))
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("admin:index")
    assert not shows(response, restoration_u_appointment.request)
    assert "Morgan" not in body(response)


def test_the_appointment_list_and_its_search_show_an_appointment_only_to_its_clinic(
    owner, restoration_u_appointment, client
):
    assert "Morgan Private" in listed(owner.get(APPOINTMENTS))
    client.force_login(staff_user("laser-reverse"))
    for term in ("", "Morgan", restoration_u_appointment.request.reference, SHARED_EMAIL):
        assert "Morgan" not in listed(client.get(APPOINTMENTS, {"q": term, "status": "any"}))


def test_another_clinics_appointment_cannot_be_moved_or_cancelled(
    restoration_u_appointment, client
):
    intruder = staff_user("laser-reverse")
    theirs = PractitionerFactory(clinic=restoration_u_appointment.clinic)
    client.force_login(intruder)
    move = reverse("admin:bookings_appointment_move", args=[restoration_u_appointment.pk])
    cancel = reverse("admin:bookings_appointment_cancel", args=[restoration_u_appointment.pk])
    client.post(move, outside_hours_move(restoration_u_appointment, theirs))
    client.post(cancel, {"reason": "Not ours to cancel"})
    selected = {"_selected_action": [restoration_u_appointment.pk], "action": "cancel_selected"}
    client.post(APPOINTMENTS, selected | {"confirm_cancel": "yes", "reason": "Not ours"})
    assert unchanged(restoration_u_appointment)
    assert not restoration_u_appointment.notifications.exists()


def test_the_owning_clinic_moves_and_cancels_by_the_same_routes(owner, restoration_u_appointment):
    move = reverse("admin:bookings_appointment_move", args=[restoration_u_appointment.pk])
    owner.post(move, outside_hours_move(restoration_u_appointment, PractitionerFactory()))
    assert not unchanged(restoration_u_appointment)
    selected = {"_selected_action": [restoration_u_appointment.pk], "action": "cancel_selected"}
    owner.post(APPOINTMENTS, selected | {"confirm_cancel": "yes", "reason": "Client asked"})
    restoration_u_appointment.refresh_from_db()
    assert restoration_u_appointment.status == "cancelled"


def test_an_appointment_cannot_be_moved_to_another_clinics_practitioner(
    owner, restoration_u_appointment
):
    laser_practitioner = PractitionerFactory(clinic=clinic("laser-reverse"))
    move = reverse("admin:bookings_appointment_move", args=[restoration_u_appointment.pk])
    response = owner.post(move, outside_hours_move(restoration_u_appointment, laser_practitioner))
    assert "practitioner" in response.context["form"].errors
    assert unchanged(restoration_u_appointment)


def test_no_one_books_with_another_clinics_consultation_type(client):
    restoration_u_type = ConsultationTypeFactory()
    practitioner = PractitionerFactory()
    ConsultationTypeFactory(clinic=clinic("laser-reverse"))
    client.force_login(staff_user("laser-reverse"))
    starts_at = timezone.now() + datetime.timedelta(days=3)
    response = client.post(
        reverse("admin:bookings_appointment_add"),
        {
            "full_name": "Morgan Private",
            "email": SHARED_EMAIL,
            "phone": "07911 123456",
            "contact_method": "phone",
            "enquiry_type": "laser_smp",
            "consent": "on",
            "submission_key": "intruder",
            "consultation_type": restoration_u_type.pk,
            "practitioner": practitioner.pk,
            "outside_hours": "on",
            "outside_date": clinic_time(starts_at).date().isoformat(),
            "outside_time": "10:00",
            "_book": "Book",
        },
    )
    assert set(response.context["form"].errors) == {"consultation_type", "practitioner"}
    assert not ConsultationRequest.objects.exists()
    assert not Appointment.objects.exists()


def test_appointments_are_scoped_by_the_same_rule(restoration_u_appointment):
    assert not Appointment.objects.for_staff(staff_user("laser-reverse")).exists()
    assert Appointment.objects.for_staff(staff_user("restoration-u")).exists()
