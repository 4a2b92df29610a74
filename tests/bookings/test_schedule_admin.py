"""The clinics' schedules in the admin: each clinic's staff see and change only their own
practitioners, hours, overrides, consultation types and closures (the same `for_staff` path
as enquiries), and the inlines refuse hours that overlap. Each attack is made by Laser
Reverse's receptionist on Restoration U's rows; the owner's tests show the route works."""

import datetime

import pytest
from django.urls import reverse

from bookings.admin.schedules import overlapping_spans
from bookings.models import ClinicClosure, ConsultationType, Practitioner, WorkingHours
from tests.factories import (
    ClinicClosureFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    ScheduleOverrideFactory,
    clinic,
    hours,
    staff_user,
)
from tests.html import parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db

PRACTITIONERS = reverse("admin:bookings_practitioner_changelist")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def listed(response) -> str:
    results = parse(response).select_one("#result_list")
    return results.get_text(" ") if results else ""


def inline_rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data |= {f"{prefix}-{number}-{name}": value for name, value in row.items()}
    return data


def practitioner_form(practitioner: Practitioner, *, weekly=(), overrides=(), **changes) -> dict:
    """The practitioner's change form as the admin would post it: its fields, then the weekly
    hours and the dates that differ (each a dict of the inline's fields)."""
    fields = {
        "clinic": practitioner.clinic_id,
        "name": practitioner.name,
        "slug": practitioner.slug,
        "role": practitioner.role,
        "active": "on" if practitioner.active else "",
        "position": practitioner.position,
        "qualifications": practitioner.qualifications,
        "registration": practitioner.registration,
        "bio": practitioner.bio,
        "photo_alt": practitioner.photo_alt,
        "_save": "Save",
    }
    existing_hours = [h for h in weekly if h.get("id")]
    return (
        {key: value for key, value in (fields | changes).items() if value != ""}
        | inline_rows("working_hours", list(weekly), initial=len(existing_hours))
        | inline_rows("overrides", list(overrides))
    )


@pytest.fixture
def ours():
    """Restoration U's practitioner."""
    return PractitionerFactory(name="Amelia Ours", clinic=clinic("restoration-u"))


@pytest.fixture
def theirs():
    """Laser Reverse's practitioner."""
    return PractitionerFactory(name="Daniel Theirs", clinic=clinic("laser-reverse"))


@pytest.fixture
def owner(client):
    """Restoration U's receptionist, signed in."""
    client.force_login(staff_user("restoration-u"))
    return client


def test_staff_list_only_their_own_clinics_practitioners(owner, ours, theirs):
    text = listed(owner.get(PRACTITIONERS))
    assert ours.name in text
    assert theirs.name not in text


def test_a_superuser_lists_every_clinics_practitioners(admin_client, ours, theirs):
    text = listed(admin_client.get(PRACTITIONERS))
    assert ours.name in text and theirs.name in text


@pytest.mark.parametrize(
    "make",
    [
        lambda: ConsultationTypeFactory(name="Laser patch test", clinic=clinic("laser-reverse")),
        lambda: ClinicClosureFactory(name="Laser training day", clinic=clinic("laser-reverse")),
    ],
    ids=["consultation types", "closures"],
)
def test_staff_do_not_list_another_clinics_schedule_rows(owner, make):
    row = make()
    opts = row._meta
    response = owner.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    assert row.name not in listed(response)


def test_staff_open_their_own_clinics_practitioner(owner, ours):
    response = owner.get(change_url(ours))
    assert response.status_code == 200
    assert ours.name in response.content.decode()


def test_staff_cannot_open_another_clinics_practitioner(owner, theirs):
    response = owner.get(change_url(theirs), follow=True)
    assert theirs.name not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_a_change_posted_to_another_clinics_practitioner_changes_nothing(owner, theirs):
    hours(theirs, 0, "10:00", "18:00")
    owner.post(
        change_url(theirs),
        practitioner_form(
            theirs,
            clinic=clinic("restoration-u").pk,
            name="Taken over",
            weekly=[{"weekday": 0, "starts": "06:00", "ends": "23:00"}],
        ),
    )
    stored = Practitioner.objects.get(pk=theirs.pk)
    assert (stored.name, stored.clinic.slug) == ("Daniel Theirs", "laser-reverse")
    assert list(stored.working_hours.values_list("starts", "ends")) == [
        (datetime.time(10, 0), datetime.time(18, 0))
    ]


def test_a_delete_posted_for_another_clinics_closure_deletes_nothing(owner):
    # Reception may delete its own clinic's closures, so only the clinic scope stops this.
    closure = ClinicClosureFactory(clinic=clinic("laser-reverse"))
    owner.post(reverse("admin:bookings_clinicclosure_delete", args=[closure.pk]), {"post": "yes"})
    assert ClinicClosure.objects.filter(pk=closure.pk).exists()


def test_staff_delete_their_own_clinics_closure(owner):
    closure = ClinicClosureFactory(clinic=clinic("restoration-u"))
    owner.post(reverse("admin:bookings_clinicclosure_delete", args=[closure.pk]), {"post": "yes"})
    assert not ClinicClosure.objects.filter(pk=closure.pk).exists()


def test_the_delete_action_cannot_reach_another_clinics_closures(owner):
    closure = ClinicClosureFactory(clinic=clinic("laser-reverse"))
    owner.post(
        reverse("admin:bookings_clinicclosure_changelist"),
        {"action": "delete_selected", "_selected_action": [closure.pk], "post": "yes"},
    )
    assert ClinicClosure.objects.filter(pk=closure.pk).exists()


def test_staff_can_choose_only_their_own_clinic(owner):
    response = owner.get(reverse("admin:bookings_clinicclosure_add"))
    options = parse(response).select("select[name=clinic] option[value!='']")
    assert [option.get_text() for option in options] == ["Restoration U"]


def test_a_closure_added_for_another_clinic_is_refused(owner):
    response = owner.post(
        reverse("admin:bookings_clinicclosure_add"),
        {"clinic": clinic("laser-reverse").pk, "date": "2027-03-01", "name": "Not ours"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ClinicClosure.objects.exists()


def test_staff_add_a_closure_for_their_own_clinic(owner):
    owner.post(
        reverse("admin:bookings_clinicclosure_add"),
        {"clinic": clinic("restoration-u").pk, "date": "2027-03-01", "name": "Training day"},
    )
    closure = ClinicClosure.objects.get()
    assert (closure.clinic.slug, closure.source) == ("restoration-u", "staff")


def test_another_clinics_hours_cannot_be_changed_through_an_own_practitioners_inline(
    owner, ours, theirs
):
    foreign = hours(theirs, 0, "10:00", "18:00")
    owner.post(
        change_url(ours),
        practitioner_form(
            ours, weekly=[{"id": foreign.pk, "weekday": 0, "starts": "06:00", "ends": "07:00"}]
        ),
    )
    foreign.refresh_from_db()
    assert (foreign.practitioner_id, foreign.starts) == (theirs.pk, datetime.time(10, 0))


def test_staff_set_their_practitioners_weekly_hours_with_a_split_shift(owner, ours):
    owner.post(
        change_url(ours),
        practitioner_form(
            ours,
            weekly=[
                {"weekday": 0, "starts": "09:00", "ends": "13:00"},
                {"weekday": 0, "starts": "14:00", "ends": "18:00"},
            ],
        ),
    )
    assert list(ours.working_hours.values_list("starts", "ends")) == [
        (datetime.time(9, 0), datetime.time(13, 0)),
        (datetime.time(14, 0), datetime.time(18, 0)),
    ]


def test_overlapping_weekly_hours_are_refused_with_a_clear_message(owner, ours):
    response = owner.post(
        change_url(ours),
        practitioner_form(
            ours,
            weekly=[
                {"weekday": 2, "starts": "09:00", "ends": "13:00"},
                {"weekday": 2, "starts": "12:00", "ends": "17:00"},
            ],
        ),
    )
    assert "Wednesday: 09:00 to 13:00 and 12:00 to 17:00 overlap." in response.content.decode()
    assert not WorkingHours.objects.exists()


def test_a_long_span_is_named_with_each_shorter_span_it_overlaps():
    day = [
        ("Monday", datetime.time(9), datetime.time(18)),
        ("Monday", datetime.time(10), datetime.time(11)),
        ("Monday", datetime.time(12), datetime.time(13)),
    ]
    assert [problem.split(" overlap")[0] for problem in overlapping_spans(day)] == [
        "Monday: 09:00 to 18:00 and 10:00 to 11:00",
        "Monday: 09:00 to 18:00 and 12:00 to 13:00",
    ]


def test_spans_that_only_touch_do_not_overlap():
    day = [
        ("Monday", datetime.time(9), datetime.time(13)),
        ("Monday", datetime.time(13), datetime.time(17)),
    ]
    assert overlapping_spans(day) == []


def test_an_overlap_with_hours_already_stored_is_refused(owner, ours):
    stored = hours(ours, 4, "09:00", "17:00")
    response = owner.post(
        change_url(ours),
        practitioner_form(
            ours,
            weekly=[
                {"id": stored.pk, "weekday": 4, "starts": "09:00", "ends": "17:00"},
                {"weekday": 4, "starts": "16:00", "ends": "19:00"},
            ],
        ),
    )
    assert "Friday: 09:00 to 17:00 and 16:00 to 19:00 overlap." in response.content.decode()
    assert ours.working_hours.count() == 1


def test_hours_on_the_same_weekday_of_two_practitioners_may_overlap(owner, ours):
    other = PractitionerFactory(clinic=clinic("restoration-u"))
    hours(other, 0, "09:00", "17:00")
    owner.post(
        change_url(ours),
        practitioner_form(ours, weekly=[{"weekday": 0, "starts": "09:00", "ends": "17:00"}]),
    )
    assert ours.working_hours.count() == 1


def test_a_day_off_and_hours_on_the_same_date_are_refused(owner, ours):
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = owner.post(
        change_url(ours),
        practitioner_form(
            ours,
            overrides=[
                {"date": day},
                {"date": day, "starts": "10:00", "ends": "12:00"},
            ],
        ),
    )
    assert "a day off cannot also have hours" in response.content.decode()
    assert not ours.overrides.exists()


def test_an_override_for_a_date_that_has_passed_is_refused(owner, ours):
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    response = owner.post(
        change_url(ours), practitioner_form(ours, overrides=[{"date": yesterday}])
    )
    assert "This date has passed" in response.content.decode()
    assert not ours.overrides.exists()


def test_past_overrides_are_kept_but_not_listed(owner, ours):
    ScheduleOverrideFactory(practitioner=ours, date=datetime.date(2020, 5, 1), note="Long ago")
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    ScheduleOverrideFactory(practitioner=ours, date=next_week, note="Coming up")
    text = owner.get(change_url(ours)).content.decode()
    assert "Coming up" in text
    assert "Long ago" not in text


def test_a_photo_uploaded_in_the_admin_gets_renditions(admin_client, ours):
    data = practitioner_form(ours, photo_alt="Amelia at the clinic")
    data["photo"] = photo_with_exif(1200, 900)
    admin_client.post(change_url(ours), data)
    ours.refresh_from_db()
    assert ours.photo.name.startswith("team/")
    assert [source["w"] for source in ours.photo_renditions["sources"]] == [480, 960, 1200]


def test_a_photo_without_a_description_is_refused(admin_client, ours):
    data = practitioner_form(ours, photo_alt="")
    data["photo"] = photo_with_exif(600, 400)
    response = admin_client.post(change_url(ours), data)
    assert "Describe the photo for people who cannot see it." in response.content.decode()
    ours.refresh_from_db()
    assert not ours.photo


def test_reception_sees_their_clinics_consultation_types_without_changing_them(owner):
    kind = ConsultationTypeFactory(clinic=clinic("restoration-u"))
    owner.post(change_url(kind), {"duration_minutes": 120})
    response = owner.get(change_url(kind))
    assert kind.name in response.content.decode()
    assert not parse(response).select("input[name=duration_minutes]")
    assert ConsultationType.objects.get(pk=kind.pk).duration_minutes == 30


def test_reception_keeps_hours_and_closures_but_does_not_add_practitioners():
    user = staff_user("restoration-u")
    assert user.has_perm("bookings.change_practitioner")
    assert user.has_perm("bookings.add_workinghours")
    assert user.has_perm("bookings.delete_scheduleoverride")
    assert user.has_perm("bookings.add_clinicclosure")
    assert not user.has_perm("bookings.add_practitioner")
    assert not user.has_perm("bookings.change_consultationtype")
