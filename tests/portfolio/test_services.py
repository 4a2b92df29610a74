import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from portfolio import services
from portfolio.models import BeforeAfterCase
from tests.factories import BeforeAfterCaseFactory
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def test_saving_a_case_writes_renditions_of_both_photos():
    case = BeforeAfterCaseFactory(
        before_image=photo_with_exif(1700, 1000), after_image=photo_with_exif(1700, 1000)
    )
    for renditions in (case.before_renditions, case.after_renditions):
        assert [s["w"] for s in renditions["sources"]] == [480, 960, 1600]


def test_served_photos_carry_no_camera_or_location_metadata():
    case = BeforeAfterCaseFactory(before_image=photo_with_exif(), after_image=photo_with_exif())
    names = [case.before_image.name, case.after_image.name]
    for renditions in (case.before_renditions, case.after_renditions):
        names += [s[key] for s in renditions["sources"] for key in ("webp", "jpeg")]
    for name in names:
        assert not Image.open(default_storage.open(name)).getexif(), name


def test_a_sideways_phone_photo_is_stored_upright():
    # Stored 1200 wide and 800 high, but the camera says it was held rotated by 90 degrees.
    case = BeforeAfterCaseFactory(before_image=photo_with_exif(1200, 800, orientation=6))
    assert Image.open(default_storage.open(case.before_image.name)).size == (800, 1200)
    assert case.before_renditions["width"] < case.before_renditions["height"]


def test_publishing_without_consent_is_refused_and_changes_nothing():
    case = BeforeAfterCaseFactory(status=BeforeAfterCase.Status.DRAFT, consent_recorded_on=None)
    with pytest.raises(ValidationError):
        services.publish_case(case=case)
    assert BeforeAfterCase.objects.get(pk=case.pk).status == BeforeAfterCase.Status.DRAFT


def test_publishing_with_consent_and_unretouched_photos_succeeds():
    case = BeforeAfterCaseFactory(status=BeforeAfterCase.Status.DRAFT)
    services.publish_case(case=case)
    assert BeforeAfterCase.objects.get(pk=case.pk).status == BeforeAfterCase.Status.PUBLISHED


def test_replacing_a_photo_removes_its_old_renditions_only():
    case = BeforeAfterCaseFactory()
    old_before = [s["jpeg"] for s in case.before_renditions["sources"]]
    kept_after = [s["jpeg"] for s in case.after_renditions["sources"]]
    case.before_image = photo_with_exif()
    services.save_case(case=case, changed_images={"before_image"})
    assert not any(default_storage.exists(name) for name in old_before)
    assert all(default_storage.exists(name) for name in kept_after)
