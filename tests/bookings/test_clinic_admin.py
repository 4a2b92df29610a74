"""The clinics in the admin: what each clinic's "Visit us" page says, edited on the clinic's
page. The map is stored as the other public images are (re-encoded, without metadata, with
renditions) and needs a description; staff given the clinic permissions see and change only
their own clinic's visiting details, and a superuser everything."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from bookings.models import Clinic
from bookings.services import clinics
from tests.factories import clinic, staff_user, with_visit_details
from tests.html import parse
from tests.images import SVG, photo_with_exif, upload

pytestmark = pytest.mark.django_db

CLINICS = reverse("admin:bookings_clinic_changelist")


def change_url(place: Clinic) -> str:
    return reverse("admin:bookings_clinic_change", args=[place.pk])


def clinic_form(place: Clinic, **changes) -> dict:
    """The clinic's change form as the admin would post it."""
    fields = {
        "name": place.name,
        "slug": place.slug,
        "email": place.email,
        "phone": place.phone,
        "address": place.address,
        "website": place.website,
        "public_transport": place.public_transport,
        "parking": place.parking,
        "step_free_access": "unknown",
        "accessible_toilet": "unknown",
        "accessibility": place.accessibility,
        "latitude": place.latitude or "",
        "longitude": place.longitude or "",
        "map_alt": place.map_alt,
        "_save": "Save",
    }
    return fields | changes


def stored_files(place: Clinic) -> list[str]:
    names = [place.map_image.name]
    for source in place.map_renditions["sources"]:
        names += [source["webp"], source["jpeg"]]
    return names


def staff_with_clinic_permissions(client, *actions: str):
    """Laser Reverse's receptionist, given these permissions on clinics, signed in."""
    user = staff_user("laser-reverse")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=[f"{action}_clinic" for action in actions])
    )
    client.force_login(user)
    return client


@pytest.fixture
def laser_reverse_staff(client):
    """Laser Reverse's receptionist, given the permissions to see and change clinics."""
    return staff_with_clinic_permissions(client, "view", "change")


# Editing the visiting details


def test_a_superuser_fills_in_a_clinics_visiting_details(admin_client):
    place = clinic("laser-reverse")
    admin_client.post(
        change_url(place),
        clinic_form(
            place,
            public_transport="Sample Park station is a five-minute walk.",
            parking="Pay-by-phone bays on Example Road.",
            step_free_access="true",
            accessible_toilet="false",
            accessibility="A lift from the lobby.",
            latitude="51.5169",
            longitude="-0.1398",
        ),
    )
    place.refresh_from_db()
    assert place.public_transport == "Sample Park station is a five-minute walk."
    assert place.parking == "Pay-by-phone bays on Example Road."
    assert (place.step_free_access, place.accessible_toilet) == (True, False)
    assert str(place.latitude) == "51.516900"


def test_a_map_uploaded_in_the_admin_is_stored_with_renditions(admin_client):
    place = clinic()
    data = clinic_form(place, map_alt="Street map: the clinic on Example Street")
    data["map_image"] = photo_with_exif(1600, 1000)
    admin_client.post(change_url(place), data)
    place.refresh_from_db()
    assert place.map_image.name.startswith("clinics/maps/")
    assert [source["w"] for source in place.map_renditions["sources"]] == [480, 960, 1600]


def test_a_stored_map_carries_no_camera_or_location_metadata(admin_client):
    place = clinic()
    data = clinic_form(place, map_alt="Street map")
    data["map_image"] = photo_with_exif(1200, 800, name="IMG_0001.jpg")
    admin_client.post(change_url(place), data)
    place.refresh_from_db()
    assert "IMG_0001" not in place.map_image.name
    for name in stored_files(place):
        assert not Image.open(default_storage.open(name)).getexif(), name


def test_a_map_without_a_description_is_refused(admin_client):
    place = clinic()
    data = clinic_form(place, map_alt="")
    data["map_image"] = photo_with_exif(600, 400)
    response = admin_client.post(change_url(place), data)
    assert "Describe the map for people who cannot see it." in response.content.decode()
    place.refresh_from_db()
    assert not place.map_image


def test_a_file_that_is_not_an_image_is_refused_as_a_map(admin_client):
    place = clinic()
    data = clinic_form(place, map_alt="Street map")
    data["map_image"] = upload(SVG, "map.svg", "image/svg+xml")
    response = admin_client.post(change_url(place), data)
    assert "This file is not an image" in response.content.decode()
    place.refresh_from_db()
    assert not place.map_image


def test_a_latitude_without_a_longitude_is_refused(admin_client):
    place = clinic()
    response = admin_client.post(change_url(place), clinic_form(place, latitude="51.5"))
    assert "Give both the latitude and the longitude, or neither." in response.content.decode()


def test_a_latitude_beyond_the_pole_is_refused(admin_client):
    place = clinic()
    response = admin_client.post(
        change_url(place), clinic_form(place, latitude="91", longitude="0")
    )
    assert parse(response).select(".errorlist")
    place.refresh_from_db()
    assert place.latitude is None


# Who sees and changes what


def test_staff_given_the_clinic_permissions_list_only_their_own_clinic(laser_reverse_staff):
    rows = parse(laser_reverse_staff.get(CLINICS)).select("#result_list tbody tr")
    assert [row.find("th").get_text(strip=True) for row in rows] == ["Laser Reverse"]


def test_staff_cannot_open_another_clinic(laser_reverse_staff):
    response = laser_reverse_staff.get(change_url(clinic("restoration-u")))
    assert response.status_code == 302  # the admin's "does not exist", back to the index


def test_staff_change_their_own_clinics_visiting_details(laser_reverse_staff):
    place = clinic("laser-reverse")
    laser_reverse_staff.post(change_url(place), clinic_form(place, parking="No parking."))
    place.refresh_from_db()
    assert place.parking == "No parking."


def test_staff_cannot_change_what_routing_and_emails_rely_on(laser_reverse_staff):
    place = clinic("laser-reverse")
    laser_reverse_staff.post(
        change_url(place),
        clinic_form(place, slug="renamed", email="someone@else.example", parking="No parking."),
    )
    saved = clinic("laser-reverse")
    assert (saved.email, saved.parking) == (place.email, "No parking.")


def test_a_change_posted_to_another_clinic_changes_nothing(laser_reverse_staff):
    place = clinic("restoration-u")
    laser_reverse_staff.post(change_url(place), clinic_form(place, parking="Changed"))
    place.refresh_from_db()
    assert place.parking == ""


def test_staff_neither_add_nor_delete_clinics_whatever_their_permissions(client):
    staff = staff_with_clinic_permissions(client, "view", "add", "change", "delete")
    place = clinic("laser-reverse")
    assert staff.get(reverse("admin:bookings_clinic_add")).status_code == 403
    assert staff.get(reverse("admin:bookings_clinic_delete", args=[place.pk])).status_code == 403


def test_reception_without_the_clinic_permissions_has_no_clinic_pages(client):
    client.force_login(staff_user("laser-reverse"))
    assert client.get(CLINICS).status_code == 403


# The map's files


def test_a_replaced_map_is_deleted_with_its_renditions(django_capture_on_commit_callbacks):
    place = with_visit_details()
    old = stored_files(place)
    place.map_image = photo_with_exif(800, 600)
    with django_capture_on_commit_callbacks(execute=True):
        clinics.save_clinic(clinic=place, map_changed=True)
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in stored_files(place))


def test_a_removed_map_is_deleted_and_its_renditions_cleared(django_capture_on_commit_callbacks):
    place = with_visit_details()
    old = stored_files(place)
    place.map_image = None
    with django_capture_on_commit_callbacks(execute=True):
        clinics.save_clinic(clinic=place, map_changed=True)
    assert Clinic.objects.get(pk=place.pk).map_renditions == {}
    assert not any(default_storage.exists(name) for name in old)


def test_saving_a_clinic_without_a_new_map_keeps_the_map(django_capture_on_commit_callbacks):
    place = with_visit_details()
    kept = stored_files(place)
    place.parking = "Changed."
    with django_capture_on_commit_callbacks(execute=True):
        clinics.save_clinic(clinic=place, map_changed=False)
    assert all(default_storage.exists(name) for name in kept)
