"""bookings.services.team: practitioners' photos stored cleaned, with renditions, and gone
from storage when replaced, removed or their practitioner is deleted."""

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from bookings.models import Practitioner
from bookings.services import team
from tests.factories import PractitionerFactory
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def stored_files(practitioner: Practitioner) -> list[str]:
    names = [practitioner.photo.name]
    for source in practitioner.photo_renditions["sources"]:
        names += [source["webp"], source["jpeg"]]
    return names


def test_a_new_photo_is_stored_with_renditions():
    practitioner = PractitionerFactory(photo=photo_with_exif(1200, 900), photo_alt="Amelia")
    assert [s["w"] for s in practitioner.photo_renditions["sources"]] == [480, 960, 1200]


def test_a_stored_photo_carries_no_camera_or_location_metadata():
    practitioner = PractitionerFactory(photo=photo_with_exif(), photo_alt="Amelia")
    for name in stored_files(practitioner):
        assert not Image.open(default_storage.open(name)).getexif(), name


def test_a_replaced_photo_is_deleted_with_its_renditions(django_capture_on_commit_callbacks):
    practitioner = PractitionerFactory(photo=photo_with_exif(), photo_alt="Amelia")
    old = stored_files(practitioner)
    practitioner.photo = photo_with_exif(800, 600)
    with django_capture_on_commit_callbacks(execute=True):
        team.save_practitioner(practitioner=practitioner, photo_changed=True)
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in stored_files(practitioner))


def test_a_removed_photo_is_deleted_and_its_renditions_cleared(django_capture_on_commit_callbacks):
    practitioner = PractitionerFactory(photo=photo_with_exif(), photo_alt="Amelia")
    old = stored_files(practitioner)
    practitioner.photo = None
    with django_capture_on_commit_callbacks(execute=True):
        team.save_practitioner(practitioner=practitioner, photo_changed=True)
    assert Practitioner.objects.get(pk=practitioner.pk).photo_renditions == {}
    assert not any(default_storage.exists(name) for name in old)


def test_saving_without_a_new_photo_keeps_the_photo(django_capture_on_commit_callbacks):
    practitioner = PractitionerFactory(photo=photo_with_exif(), photo_alt="Amelia")
    kept = stored_files(practitioner)
    practitioner.bio = "A new bio."
    with django_capture_on_commit_callbacks(execute=True):
        team.save_practitioner(practitioner=practitioner, photo_changed=False)
    assert all(default_storage.exists(name) for name in kept)


def test_deleting_a_practitioner_deletes_their_photo(django_capture_on_commit_callbacks):
    practitioner = PractitionerFactory(photo=photo_with_exif(), photo_alt="Amelia")
    old = stored_files(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        team.delete_practitioner(practitioner=practitioner)
    assert not any(default_storage.exists(name) for name in old)
