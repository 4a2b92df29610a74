"""Enquiry photos in S3-compatible object storage (moto's server): private objects, read only
through short-lived signed URLs handed to staff who may see the enquiry."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import ConsultationRequest
from bookings.services import privacy
from tests.factories import make_enquiry, staff_user
from tests.html import parse
from tests.images import photo_with_exif
from tests.object_storage import anonymous_get, img_src

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(object_storage):
    """An enquiry photo sent through the consultation service, to Restoration U."""
    return make_enquiry(photos=[photo_with_exif()]).photos.get()


def key_of(photo) -> str:
    return f"private/{photo.image.name}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_an_enquiry_photo_is_stored_under_the_private_prefix(object_storage, photo):
    assert object_storage.keys(object_storage.bucket) == [key_of(photo)]


def test_an_enquiry_photo_object_is_readable_by_nobody_but_the_bucket_owner(object_storage, photo):
    assert not object_storage.readable_by_everyone(object_storage.bucket, key_of(photo))


def test_an_enquiry_photo_object_tells_browsers_not_to_keep_a_copy(object_storage, photo):
    head = object_storage.head(object_storage.bucket, key_of(photo))
    assert head["CacheControl"] == "private, no-store"


def test_an_anonymous_get_of_an_enquiry_photo_object_is_refused(object_storage, photo):
    url = object_storage.object_url(object_storage.bucket, key_of(photo))
    assert anonymous_get(url).status == 403


def test_a_separate_private_bucket_holds_the_photos_and_the_public_bucket_none(
    object_storage_with_private_bucket,
):
    store = object_storage_with_private_bucket
    photo = make_enquiry(photos=[photo_with_exif()]).photos.get()
    assert store.keys(store.private_bucket) == [key_of(photo)]
    assert store.keys(store.bucket) == []


def test_staff_of_the_enquirys_clinic_are_redirected_to_the_photos_signed_url(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/{object_storage.bucket}/{key_of(photo)}"
    assert "X-Amz-Signature" in parse_qs(location.query)


def test_the_signed_url_expires_after_the_configured_seconds(client, object_storage, photo):
    client.force_login(staff_user("restoration-u"))
    query = parse_qs(urlsplit(client.get(photo.get_absolute_url())["Location"]).query)
    assert query["X-Amz-Expires"] == [str(object_storage.signed_url_seconds)]


def test_the_redirect_is_never_cached_and_sends_no_referrer_to_the_object_store(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    response = client.get(photo.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_following_the_signed_url_returns_the_photo(client, object_storage, photo):
    client.force_login(staff_user("restoration-u"))
    signed = anonymous_get(client.get(photo.get_absolute_url())["Location"])
    stored = object_storage.client.get_object(Bucket=object_storage.bucket, Key=key_of(photo))
    assert signed.status == 200
    assert signed.body == stored["Body"].read()
    assert signed.body.startswith(b"\xff\xd8")  # a JPEG


def test_the_signed_url_serves_the_photo_as_a_download_named_after_the_reference(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    signed = anonymous_get(client.get(photo.get_download_url())["Location"])
    assert signed.headers["Content-Disposition"] == (
        f'attachment; filename="{photo.request.reference}-{photo.pk}.jpg"'
    )


def test_the_signed_url_shows_the_photo_in_the_page_when_not_downloading(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    signed = anonymous_get(client.get(photo.get_absolute_url())["Location"])
    assert signed.headers["Content-Disposition"].startswith("inline;")


def test_staff_of_the_other_clinic_get_a_404_and_no_redirect(client, object_storage, photo):
    client.force_login(staff_user("laser-reverse"))
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 404
    assert "Location" not in response


def test_anonymous_visitors_get_a_404_and_no_redirect(client, object_storage, photo):
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 404
    assert "Location" not in response


def test_a_photo_gone_from_the_bucket_is_a_404_rather_than_a_redirect(
    client, object_storage, photo
):
    object_storage.client.delete_object(Bucket=object_storage.bucket, Key=key_of(photo))
    client.force_login(staff_user("restoration-u"))
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_the_retention_purge_removes_the_photo_objects(
    settings, object_storage, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_RETENTION_DAYS = 30
    enquiry = make_enquiry(photos=[photo_with_exif(), photo_with_exif()])
    ConsultationRequest.objects.filter(pk=enquiry.pk).update(
        status="closed_treated", last_activity_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert len(object_storage.keys(object_storage.bucket, "private/")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.purge_expired_enquiries() == 1
    assert object_storage.keys(object_storage.bucket) == []


def test_the_admin_shows_photos_through_the_photo_view_never_a_bucket_address(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    response = client.get(
        reverse("admin:bookings_consultationrequest_change", args=[photo.request.pk])
    )
    thumbnails = [img["src"] for img in parse(response).select("img[src*='/photos/']")]
    assert thumbnails == [photo.get_absolute_url()]
    assert object_storage.bucket not in response.content.decode()


def test_the_admin_pages_policy_allows_the_images_its_thumbnails_redirect_to(
    client, object_storage, photo
):
    client.force_login(staff_user("restoration-u"))
    page = client.get(reverse("admin:bookings_consultationrequest_change", args=[photo.request.pk]))
    redirect = client.get(photo.get_absolute_url())
    assert origin(redirect["Location"]) in img_src(page["Content-Security-Policy"])


def test_a_subject_access_export_names_the_photos_without_any_address_of_them(
    object_storage, photo, admin_user
):
    export = privacy.subject_access_export(email=photo.request.email, by=admin_user)
    assert export["enquiries"][0]["photos"] == [photo.image.name.rsplit("/", 1)[-1]]
    assert object_storage.endpoint not in json.dumps(export)
