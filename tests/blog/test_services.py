import pytest
from django.core.files.storage import default_storage
from PIL import Image

from blog import services
from blog.models import ClaimPhrase
from tests.factories import ArticleFactory
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db


def test_claims_are_found_with_the_sentence_that_makes_them():
    article = ArticleFactory.build(
        body="<p>Our work is careful. Results are guaranteed for everyone! Book now.</p>"
    )
    claims = services.find_claims(article=article)
    assert [(c.phrase, c.sentence) for c in claims] == [
        ("guaranteed", "Results are guaranteed for everyone!")
    ]


def test_claims_in_the_title_and_summary_are_found_too():
    article = ArticleFactory.build(
        title="Painless SMP", summary="A 100% natural look, explained simply for everyone here."
    )
    assert {c.phrase for c in services.find_claims(article=article)} == {"painless", "100%"}


def test_staff_can_extend_the_claims_list():
    ClaimPhrase.objects.create(phrase="instant transformation")
    article = ArticleFactory.build(body="<p>An Instant Transformation awaits.</p>")
    assert [c.phrase for c in services.find_claims(article=article)] == ["instant transformation"]


def test_careful_wording_raises_no_claims():
    article = ArticleFactory.build(
        body="<p>Most people feel mild discomfort. Results vary and fade over the years.</p>"
    )
    assert services.find_claims(article=article) == []


def test_a_word_that_only_contains_a_claim_is_not_flagged():
    ClaimPhrase.objects.create(phrase="cure")
    article = ArticleFactory.build(body="<p>Keep the area secure and clean.</p>")
    assert services.find_claims(article=article) == []


def test_saving_an_article_writes_webp_and_jpeg_renditions_at_each_width():
    article = ArticleFactory(hero_image=photo_with_exif(width=1800, height=1200))
    sources = article.hero_renditions["sources"]
    assert [s["w"] for s in sources] == [480, 960, 1600]
    assert [s["h"] for s in sources] == [320, 640, 1067]
    for entry in sources:
        assert Image.open(default_storage.open(entry["webp"])).format == "WEBP"
        assert Image.open(default_storage.open(entry["jpeg"])).format == "JPEG"


def test_renditions_are_never_wider_than_the_original():
    article = ArticleFactory(hero_image=photo_with_exif(width=700, height=400))
    assert [s["w"] for s in article.hero_renditions["sources"]] == [480, 700]


def test_renditions_carry_no_camera_or_location_metadata():
    article = ArticleFactory(hero_image=photo_with_exif())
    for entry in article.hero_renditions["sources"]:
        for key in ("webp", "jpeg"):
            assert not Image.open(default_storage.open(entry[key])).getexif()


def hero_files(article) -> list[str]:
    """The stored original of an article's hero image and every one of its renditions."""
    return [article.hero_image.name] + [
        entry[key] for entry in article.hero_renditions["sources"] for key in ("webp", "jpeg")
    ]


def test_replacing_the_hero_image_removes_the_old_original_and_renditions(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory()
    old = hero_files(article)
    article.hero_image = photo_with_exif()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=article, hero_changed=True)
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in hero_files(article))


def test_saving_an_article_with_its_hero_unchanged_keeps_the_hero_files(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory()
    article.title = "A new title"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=article, hero_changed=False)
    assert all(default_storage.exists(name) for name in hero_files(article))


def test_deleting_an_article_deletes_its_hero_files(django_capture_on_commit_callbacks):
    article = ArticleFactory()
    stored = hero_files(article)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_article(article=article)
    assert not any(default_storage.exists(name) for name in stored)


def test_the_stored_original_has_no_metadata_and_a_random_name():
    upload = photo_with_exif()
    assert Image.open(upload).getexif()[0x010F] == "CameraMaker"
    article = ArticleFactory(hero_image=upload)
    assert "IMG_0001" not in article.hero_image.name
    assert not Image.open(default_storage.open(article.hero_image.name)).getexif()
