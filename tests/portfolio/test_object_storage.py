"""Portfolio photos in S3-compatible object storage (moto's server): public objects under
media/, with plain URLs browsers may keep for a year."""

from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage

from portfolio import services
from tests.factories import BeforeAfterCaseFactory
from tests.html import parse
from tests.images import photo_with_exif
from tests.object_storage import anonymous_get, img_src

pytestmark = pytest.mark.django_db
LONG_CACHE = "public, max-age=31536000, immutable"


def stored_names(case) -> list[str]:
    """The originals and every rendition of a case, as the storage names them."""
    names = [case.before_image.name, case.after_image.name]
    for renditions in (case.before_renditions, case.after_renditions):
        names += [s[key] for s in renditions["sources"] for key in ("webp", "jpeg")]
    return names


@pytest.fixture
def case(object_storage):
    return BeforeAfterCaseFactory(
        before_image=photo_with_exif(1700, 1000), after_image=photo_with_exif(1700, 1000)
    )


def test_a_cases_originals_and_renditions_are_stored_in_the_bucket_under_media(
    object_storage, case
):
    expected = sorted(f"media/{name}" for name in stored_names(case))
    assert object_storage.keys(object_storage.bucket) == expected


def test_every_stored_portfolio_image_is_readable_by_everyone(object_storage, case):
    for key in object_storage.keys(object_storage.bucket):
        assert object_storage.readable_by_everyone(object_storage.bucket, key), key


def test_every_stored_portfolio_image_may_be_kept_by_browsers_for_a_year(object_storage, case):
    for key in object_storage.keys(object_storage.bucket):
        assert object_storage.head(object_storage.bucket, key)["CacheControl"] == LONG_CACHE, key


def test_an_anonymous_get_of_a_rendition_url_returns_it_with_the_long_cache_header(
    object_storage, case
):
    url = default_storage.url(case.after_renditions["sources"][0]["jpeg"])
    response = anonymous_get(url)
    assert response.status == 200
    assert response.headers["cache-control"] == LONG_CACHE
    assert response.body.startswith(b"\xff\xd8")  # a JPEG


def test_public_image_urls_are_plain_addresses_in_the_bucket_without_a_signature(
    object_storage, case
):
    url = urlsplit(default_storage.url(case.before_image.name))
    assert url.path == f"/{object_storage.bucket}/media/{case.before_image.name}"
    assert url.query == ""


def test_the_case_page_shows_images_from_the_bucket(client, object_storage, case):
    page = parse(client.get(case.get_absolute_url()))
    sources = [img["src"] for img in page.select("picture img")]
    assert sources
    assert all(
        src.startswith(f"{object_storage.endpoint}/{object_storage.bucket}/media/")
        for src in sources
    )


def test_the_case_pages_policy_allows_images_from_the_bucket(client, object_storage, case):
    policy = client.get(case.get_absolute_url())["Content-Security-Policy"]
    assert object_storage.endpoint in img_src(policy)


def test_replacing_a_photo_removes_its_old_renditions_from_the_bucket(object_storage, case):
    old = [f"media/{s[key]}" for s in case.before_renditions["sources"] for key in ("webp", "jpeg")]
    case.before_image = photo_with_exif()
    services.save_case(case=case, changed_images={"before_image"})
    assert not set(old) & set(object_storage.keys(object_storage.bucket))
