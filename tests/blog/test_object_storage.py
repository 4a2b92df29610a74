"""Article hero images in S3-compatible object storage (moto's server)."""

import pytest

from tests.factories import ArticleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def test_an_articles_hero_and_renditions_are_public_objects_under_media(object_storage):
    article = ArticleFactory()
    keys = object_storage.keys(object_storage.bucket)
    assert f"media/{article.hero_image.name}" in keys
    assert all(key.startswith("media/") for key in keys)
    assert all(object_storage.readable_by_everyone(object_storage.bucket, key) for key in keys)


def test_the_share_image_of_an_article_is_its_address_in_the_bucket(client, object_storage):
    article = ArticleFactory()
    page = parse(client.get(article.get_absolute_url()))
    share_image = page.find("meta", property="og:image")["content"]
    assert share_image.startswith(f"{object_storage.endpoint}/{object_storage.bucket}/media/")
