import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bookings.models import Appointment, Clinic, ConsultationRequest, Notification
from tests.bookings.helpers import CHANGELIST, change_form, change_url, enquiry_form
from tests.factories import AppointmentFactory, make_enquiry, staff_user
from tests.html import parse

pytestmark = pytest.mark.django_db


def test_the_enquiry_list_shows_what_staff_work_from(admin_client):
    enquiry = make_enquiry(source="/articles/x/")
    row = parse(admin_client.get(CHANGELIST)).select_one("#result_list tbody tr")
    text = row.get_text(" ")
    for value in (
        enquiry.reference,
        "Jamie Example",
        "New SMP treatment",
        "Restoration U",
        "New",
        "/articles/x/",
    ):
        assert value in text


def test_the_enquiry_list_filters_and_searches(admin_client):
    soup = parse(admin_client.get(CHANGELIST))
    filters = soup.select_one("#changelist-filter").get_text()
    for title in ("By status", "By enquiry type", "By clinic", "By created at", "By is spam"):
        assert title in filters
    make_enquiry(full_name="Morgan Finder")
    found = make_enquiry(full_name="Riley Other")
    response = admin_client.get(CHANGELIST, {"q": found.reference})
    assert [a.get_text() for a in parse(response).select("#result_list tbody th a")] == [
        found.reference
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_the_enquiry_list_runs_a_constant_number_of_queries(
    admin_client, django_assert_num_queries, settings, count
):
    for n in range(count):
        make_enquiry(email=f"person{n}@client.example")
    admin_client.get(CHANGELIST)  # warm the session and content types
    # The same ten (session, user, the clinic for the header, session save, count, date
    # range, page, ...) at any size; six when the sessions live in Redis (REDIS_URL).
    with django_assert_num_queries(10 if settings.SESSION_ENGINE.endswith(".db") else 6):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_reception_staff_see_only_their_own_clinics_enquiries(client, reception):
    ours = make_enquiry(enquiry_type="new_smp")
    theirs = make_enquiry(enquiry_type="laser_smp")
    text = client.get(CHANGELIST).content.decode()
    assert ours.reference in text
    assert theirs.reference not in text


def test_laser_reverse_staff_cannot_open_a_restoration_u_enquiry(client):
    ours = make_enquiry(enquiry_type="new_smp")
    client.force_login(staff_user("laser-reverse"))
    response = client.get(change_url(ours), follow=True)
    assert ours.full_name not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_superusers_see_every_clinics_enquiries(admin_client):
    a, b = make_enquiry(enquiry_type="new_smp"), make_enquiry(enquiry_type="laser_tattoo")
    text = admin_client.get(CHANGELIST).content.decode()
    assert a.reference in text and b.reference in text


def test_staff_change_the_status_and_it_is_stamped_with_who_and_when(client, reception):
    enquiry = make_enquiry()
    response = client.post(change_url(enquiry), change_form(enquiry, status="booked"))
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "booked"
    assert enquiry.status_changed_by == reception
    assert enquiry.events.filter(description="Status: New → Consultation booked").exists()


def test_staff_add_an_internal_note_recorded_with_its_author(client, reception):
    enquiry = make_enquiry()
    data = change_form(
        enquiry,
        **{"notes-TOTAL_FORMS": "1", "notes-0-text": "Left a voicemail.", "notes-0-request": ""},
    )
    client.post(change_url(enquiry), data)
    note = enquiry.notes.get()
    assert (note.text, note.author) == ("Left a voicemail.", reception)


def test_re_routing_needs_a_reason(client, reception):
    enquiry = make_enquiry()
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    response = client.post(change_url(enquiry), change_form(enquiry, clinic=laser_reverse.pk))
    assert "Say why the enquiry goes to another clinic." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.clinic.slug == "restoration-u"


def test_re_routing_from_the_admin_notifies_the_new_clinic_and_is_logged(client, reception):
    enquiry = make_enquiry()
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    client.post(
        change_url(enquiry),
        change_form(enquiry, clinic=laser_reverse.pk, routing_note="Wants a tattoo removed"),
    )
    enquiry.refresh_from_db()
    assert enquiry.clinic == laser_reverse
    assert enquiry.routed_by == reception
    assert enquiry.notifications.get(kind="rerouted").recipients == [laser_reverse.email]
    assert enquiry.events.filter(kind="rerouted", actor=reception).exists()


def test_an_enquiry_with_a_booked_appointment_is_not_re_routed_and_staff_are_told_why(
    client, reception
):
    appointment = AppointmentFactory()
    enquiry = appointment.request
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    response = client.post(
        change_url(enquiry),
        change_form(enquiry, clinic=laser_reverse.pk, routing_note="Wants a tattoo removed"),
    )
    assert "cancel the appointment first" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.clinic.slug == "restoration-u"
    assert not enquiry.notifications.filter(kind="rerouted").exists()


def test_an_enquiry_whose_appointment_was_cancelled_can_be_re_routed(client, reception):
    appointment = AppointmentFactory(status=Appointment.Status.CANCELLED)
    enquiry = appointment.request
    laser_reverse = Clinic.objects.get(slug="laser-reverse")
    client.post(
        change_url(enquiry),
        change_form(enquiry, clinic=laser_reverse.pk, routing_note="Wants a tattoo removed"),
    )
    enquiry.refresh_from_db()
    assert enquiry.clinic == laser_reverse


def test_the_change_page_shows_the_emails_sent_and_their_status(client, reception):
    enquiry = make_enquiry()
    text = client.get(change_url(enquiry)).content.decode()
    for notification in enquiry.notifications.all():
        assert notification.subject in text
    assert "Pending" in text


def test_mark_contacted_moves_new_enquiries_on(client, reception):
    enquiry = make_enquiry()
    client.post(CHANGELIST, {"action": "mark_contacted", "_selected_action": [enquiry.pk]})
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.status_changed_by) == ("contacted", reception)


def test_the_csv_export_streams_the_selected_enquiries(client, reception):
    chosen = make_enquiry(full_name="Chosen Person")
    make_enquiry(full_name="Left Out")
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]})
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Chosen Person" in body
    assert "Left Out" not in body
    # The byte order mark first, so Excel on Windows reads the file as UTF-8.
    assert body.splitlines()[0].startswith("\ufeffReference,Received,Name")


def test_the_csv_export_never_includes_another_clinics_enquiries(client, reception):
    ours = make_enquiry(enquiry_type="new_smp", full_name="Own Client")
    theirs = make_enquiry(enquiry_type="laser_smp", full_name="Laser Client")
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [ours.pk, theirs.pk]}
    )
    body = b"".join(response.streaming_content).decode()
    assert "Own Client" in body
    assert "Laser Client" not in body


def test_resend_queues_the_enquirys_emails_again(client, reception):
    enquiry = make_enquiry()
    Notification.objects.update(status="sent")
    client.post(CHANGELIST, {"action": "resend", "_selected_action": [enquiry.pk]})
    assert set(enquiry.notifications.values_list("status", flat=True)) == {"pending"}


def test_a_subject_access_export_downloads_one_persons_data_as_json(client, reception):
    enquiry = make_enquiry(email="casey@client.example")
    response = client.post(
        CHANGELIST, {"action": "export_personal_data", "_selected_action": [enquiry.pk]}
    )
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["enquiries"][0]["reference"] == enquiry.reference


def test_a_subject_access_export_refuses_two_different_people(client, reception):
    a = make_enquiry(email="a@client.example")
    b = make_enquiry(email="b@client.example")
    response = client.post(
        CHANGELIST,
        {"action": "export_personal_data", "_selected_action": [a.pk, b.pk]},
        follow=True,
    )
    assert "exactly one person" in response.content.decode()


def test_staff_see_each_notification_with_its_status_attempts_and_error(client, reception):
    enquiry = make_enquiry()
    Notification.objects.filter(request=enquiry).update(
        status="retrying", attempts=3, last_error="SMTPConnectError: 421"
    )
    text = client.get(reverse("admin:bookings_notification_changelist")).content.decode()
    assert "Failed, will retry" in text
    assert "SMTPConnectError: 421" in text


def test_staff_cannot_see_another_clinics_notifications(client, reception):
    ours = make_enquiry(enquiry_type="new_smp")
    theirs = make_enquiry(enquiry_type="laser_smp")
    response = client.get(reverse("admin:bookings_notification_changelist"))
    assert response.status_code == 200
    assert ours.reference in response.content.decode()
    assert theirs.reference not in response.content.decode()


def test_the_reception_group_can_work_enquiries_but_not_delete_them():
    codenames = set(
        Group.objects.get(name="Reception").permissions.values_list("codename", flat=True)
    )
    assert {
        "view_consultationrequest",
        "change_consultationrequest",
        "add_enquirynote",
    } <= codenames
    assert "delete_consultationrequest" not in codenames


def test_enquiries_cannot_be_added_through_the_admin(admin_client):
    restoration_u = Clinic.objects.get(slug="restoration-u")
    data = enquiry_form(status="new", email="casey@client.example", clinic=restoration_u.pk)
    response = admin_client.post(reverse("admin:bookings_consultationrequest_add"), data)
    assert response.status_code == 403
    assert not ConsultationRequest.objects.exists()


def test_the_date_drill_down_offers_the_years_then_the_months_in_range(admin_client):
    import datetime

    from django.utils import timezone

    old = make_enquiry()
    ConsultationRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 14, 10, 0))
    )
    make_enquiry()
    years = [a.get_text() for a in parse(admin_client.get(CHANGELIST)).select("nav.toplinks a")]
    assert years[:2] == ["2025", "2026"]
    months = parse(admin_client.get(CHANGELIST, {"created_at__year": "2025"})).select(
        "nav.toplinks a"
    )
    assert [a.get_text().lstrip("\u2039 ") for a in months] == ["All dates", "March 2025"]
    listed = admin_client.get(CHANGELIST, {"created_at__year": "2025", "created_at__month": "3"})
    assert old.reference in listed.content.decode()


def test_the_change_page_shows_consent_routing_and_who_changed_the_status(client, reception):
    from django.conf import settings

    enquiry = make_enquiry()
    text = parse(client.get(change_url(enquiry))).get_text(" ")
    assert f"(privacy policy {settings.PRIVACY_POLICY_VERSION})" in text
    assert "Restoration U since" in text
    assert "by the routing rules: Routing rule: New SMP treatment → Restoration U" in text
    assert "by the website" in text
