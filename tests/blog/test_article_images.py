"""Images in an article's body: stored as hero images are, placed by a placeholder paragraph."""

import feedparser
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from blog import services
from blog.models import Article, ArticleImage, reading_minutes
from tests.blog.test_admin import article_form
from tests.factories import ArticleFactory, ArticleImageFactory
from tests.html import parse
from tests.images import photo_with_exif, upload

pytestmark = pytest.mark.django_db


def files_of(image: ArticleImage) -> list[str]:
    return [image.image.name] + [
        entry[key] for entry in image.renditions["sources"] for key in ("webp", "jpeg")
    ]


def article_page(client, article: Article):
    return parse(client.get(article.get_absolute_url()))


# Storing an image


def test_a_body_image_gets_webp_and_jpeg_renditions_at_each_width():
    image = ArticleImageFactory(image=photo_with_exif(width=1800, height=1200))
    sources = image.renditions["sources"]
    assert [(s["w"], s["h"]) for s in sources] == [(480, 320), (960, 640), (1600, 1067)]
    for entry in sources:
        assert Image.open(default_storage.open(entry["webp"])).format == "WEBP"
        assert Image.open(default_storage.open(entry["jpeg"])).format == "JPEG"


def test_a_body_image_is_stored_without_camera_or_location_metadata_under_a_random_name():
    image = ArticleImageFactory(image=photo_with_exif())
    assert "IMG_0001" not in image.image.name
    assert image.image.name.startswith("articles/body/")
    for name in files_of(image):
        assert not Image.open(default_storage.open(name)).getexif(), name


def test_a_body_image_is_turned_upright():
    image = ArticleImageFactory(image=photo_with_exif(width=1200, height=800, orientation=6))
    assert (image.renditions["width"], image.renditions["height"]) == (800, 1200)


def test_images_are_numbered_in_upload_order_within_their_own_article():
    article, other = ArticleFactory(), ArticleFactory()
    first = ArticleImageFactory(article=article)
    elsewhere = ArticleImageFactory(article=other)
    second = ArticleImageFactory(article=article)
    assert (first.placeholder, second.placeholder) == ("[image 1]", "[image 2]")
    assert elsewhere.placeholder == "[image 1]"


def test_deleting_an_earlier_image_never_renumbers_the_others():
    article = ArticleFactory()
    first, second = ArticleImageFactory(article=article), ArticleImageFactory(article=article)
    services.delete_article_image(image=first)
    third = ArticleImageFactory(article=article)
    second.refresh_from_db()
    assert (second.number, third.number) == (2, 3)


def test_an_image_without_a_description_is_refused_with_the_hero_images_message():
    image = ArticleImage(article=ArticleFactory(), image="articles/body/x.jpg", alt="   ")
    with pytest.raises(ValidationError) as refused:
        image.full_clean(exclude=["number"])
    assert refused.value.message_dict["alt"] == ["Describe the image for people who cannot see it."]


def test_replacing_an_images_upload_keeps_its_number_and_deletes_the_old_files(
    django_capture_on_commit_callbacks,
):
    image = ArticleImageFactory()
    old_files = files_of(image)
    image.image = photo_with_exif(width=900, height=600)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article_image(image=image, image_changed=True)
    assert image.number == 1
    assert not any(default_storage.exists(name) for name in old_files)
    assert all(default_storage.exists(name) for name in files_of(image))


def test_deleting_an_image_deletes_its_upload_and_renditions(django_capture_on_commit_callbacks):
    image = ArticleImageFactory()
    stored = files_of(image)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_article_image(image=image)
    assert not ArticleImage.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)


def test_deleting_an_article_deletes_the_files_of_its_images(django_capture_on_commit_callbacks):
    images = ArticleImageFactory.create_batch(2, article=ArticleFactory())
    stored = [name for image in images for name in files_of(image)]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_article(article=images[0].article)
    assert not ArticleImage.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)


def test_the_placeholder_survives_the_sanitiser_on_every_save():
    article = ArticleFactory(body="<p>Before.</p><p>[image 1]</p><p>After.</p>")
    article.save()
    assert Article.objects.get(pk=article.pk).body == "<p>Before.</p><p>[image 1]</p><p>After.</p>"


# The article page


def test_a_placeholder_paragraph_shows_the_image_with_srcset_dimensions_and_caption(client):
    article = ArticleFactory(body="<p>Before the image.</p><p>[image 1]</p><p>After it.</p>")
    ArticleImageFactory(
        article=article,
        image=photo_with_exif(width=1800, height=1200),
        alt="Illustration of a soft hairline",
        caption="Lighter dots at the front, denser behind.",
    )
    figure = article_page(client, article).select_one(".prose figure")
    img = figure.find("img")
    assert img["alt"] == "Illustration of a soft hairline"
    assert (img["width"], img["height"]) == ("1600", "1067")
    assert [c.split()[1] for c in img["srcset"].split(", ")] == ["480w", "960w", "1600w"]
    assert img["sizes"]
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert figure.select_one("source[type='image/webp']")["srcset"]
    assert figure.figcaption.get_text() == "Lighter dots at the front, denser behind."
    assert figure.find_previous_sibling("p").get_text() == "Before the image."
    assert figure.find_next_sibling("p").get_text() == "After it."


def test_an_image_without_a_caption_has_no_figcaption(client):
    article = ArticleFactory(body="<p>[image 1]</p>")
    ArticleImageFactory(article=article, caption="")
    figure = article_page(client, article).select_one(".prose figure")
    assert figure.img and figure.figcaption is None


def test_loosely_typed_placeholders_still_place_their_images(client):
    article = ArticleFactory(body="<p>[Image  1 ]</p><p><strong>[image 2]</strong></p>")
    ArticleImageFactory.create_batch(2, article=article)
    assert len(article_page(client, article).select(".prose figure img")) == 2


def test_a_placeholder_for_an_image_the_article_does_not_have_shows_nothing(client):
    article = ArticleFactory(body="<p>Text.</p><p>[image 7]</p><p>More text.</p>")
    response = client.get(article.get_absolute_url())
    prose = parse(response).select_one(".prose")
    assert response.status_code == 200
    assert "[image" not in prose.get_text()
    assert [p.get_text() for p in prose.find_all("p")] == ["Text.", "More text."]
    assert prose.find("figure") is None


def test_a_placeholder_for_a_deleted_image_shows_nothing(client):
    article = ArticleFactory(body="<p>[image 1]</p><p>Text.</p>")
    services.delete_article_image(image=ArticleImageFactory(article=article))
    prose = article_page(client, article).select_one(".prose")
    assert "[image" not in prose.get_text()
    assert prose.find("figure") is None


def test_a_placeholder_never_shows_another_articles_image(client):
    article = ArticleFactory(body="<p>[image 1]</p>")
    ArticleImageFactory(article=ArticleFactory())
    assert article_page(client, article).select_one(".prose figure") is None


def test_a_placeholder_inside_a_sentence_is_dropped_and_the_sentence_kept(client):
    article = ArticleFactory(body="<p>See the hairline [image 1] below.</p>")
    ArticleImageFactory(article=article)
    prose = article_page(client, article).select_one(".prose")
    assert " ".join(prose.p.get_text().split()) == "See the hairline below."
    assert prose.find("figure") is None


def test_a_heading_holding_only_a_placeholder_is_dropped_not_left_empty(client):
    article = ArticleFactory(body="<h2>[image 1]</h2><p>Text.</p>")
    ArticleImageFactory(article=article)
    prose = article_page(client, article).select_one(".prose")
    assert prose.find("h2") is None
    assert "[image" not in prose.get_text()


def test_placeholders_are_not_counted_as_words_for_the_reading_time():
    two_hundred_words = " ".join(["word"] * 200)
    body = f"<p>{two_hundred_words}</p><p>[image 1]</p><p>[image 2]</p>"
    assert reading_minutes(body) == 1


def test_the_feed_never_shows_a_placeholder(client):
    article = ArticleFactory(body="<p>[image 1]</p><p>Text.</p>")
    ArticleImageFactory(article=article)
    assert b"[image" not in client.get(reverse("blog:feed")).content
    assert not feedparser.parse(client.get(reverse("blog:feed")).content).bozo


def test_search_never_finds_an_article_by_the_word_in_its_placeholders(client):
    ArticleFactory(title="Illustrated", body="<p>Pigment, dot by dot.</p><p>[image 1]</p>")
    ArticleFactory(title="About images", body="<p>Every image here is an illustration.</p>")
    found = parse(client.get(reverse("blog:search"), {"q": "image"})).select(".card__title")
    assert [title.get_text(strip=True) for title in found] == ["About images"]


def test_a_changed_caption_shows_at_once_on_the_cached_article_page(client):
    article = ArticleFactory(body="<p>[image 1]</p>")
    image = ArticleImageFactory(article=article, caption="First caption")
    assert "First caption" in client.get(article.get_absolute_url()).content.decode()
    image.caption = "Second caption"
    services.save_article_image(image=image, image_changed=False)
    assert "Second caption" in client.get(article.get_absolute_url()).content.decode()


# The admin


def change_data(article: Article, **overrides) -> dict:
    """The article admin's change form as a browser sends it, with no image forms."""
    published = article.published_at
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "hero_alt": article.hero_alt,
        "status": article.status,
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "author": article.author_id,
        "topic": article.topic_id,
        "cta_enquiry_type": article.cta_enquiry_type,
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return data | overrides


def image_form(index: int, **fields) -> dict:
    return {f"images-{index}-{name}": value for name, value in fields.items()}


def change(admin_client, article: Article, data: dict):
    return admin_client.post(
        reverse("admin:blog_article_change", args=[article.pk]), data, follow=True
    )


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_staff_upload_an_image_and_the_admin_shows_its_placeholder_to_copy(admin_client):
    article = ArticleFactory()
    data = change_data(article, **{"images-TOTAL_FORMS": "1"}) | image_form(
        0, image=photo_with_exif(), alt="Illustration of a soft hairline", caption="Soft."
    )
    assert change(admin_client, article, data).status_code == 200
    image = article.images.get()
    assert (image.number, image.alt, image.caption) == (
        1,
        "Illustration of a soft hairline",
        "Soft.",
    )
    assert image.renditions["sources"]
    page = parse(admin_client.get(reverse("admin:blog_article_change", args=[article.pk])))
    assert page.select_one(".field-placeholder_to_copy code").get_text() == "[image 1]"


def test_a_new_article_can_be_saved_with_its_images_placed_in_one_go(admin_client, client):
    data = article_form(body="<p>Intro.</p><p>[image 1]</p>", **{"images-TOTAL_FORMS": "1"})
    data |= image_form(0, image=photo_with_exif(), alt="Illustration of a hairline")
    response = admin_client.post(reverse("admin:blog_article_add"), data, follow=True)
    assert warnings(response) == []
    article = Article.objects.get(slug=data["slug"])
    assert article_page(client, article).select_one(".prose figure img")["alt"] == (
        "Illustration of a hairline"
    )


def test_a_writer_allowed_only_to_change_articles_may_add_their_images(client, django_user_model):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(codename__in=["change_article", "view_article"])
    )
    client.force_login(writer)
    article = ArticleFactory()
    data = change_data(article, **{"images-TOTAL_FORMS": "1"}) | image_form(
        0, image=photo_with_exif(), alt="Illustration of a hairline"
    )
    assert change(client, article, data).status_code == 200
    assert article.images.get().alt == "Illustration of a hairline"


def test_an_image_uploaded_without_a_description_is_refused_with_the_hero_images_message(
    admin_client,
):
    article = ArticleFactory()
    data = change_data(article, **{"images-TOTAL_FORMS": "1"}) | image_form(
        0, image=photo_with_exif(), alt=""
    )
    page = parse(change(admin_client, article, data))
    errors = page.select_one(".field-alt .errorlist").get_text()
    assert "Describe the image for people who cannot see it." in errors
    assert not ArticleImage.objects.exists()


def test_an_upload_that_is_not_a_photo_is_refused_with_the_image_checks_message(admin_client):
    article = ArticleFactory()
    data = change_data(article, **{"images-TOTAL_FORMS": "1"}) | image_form(
        0, image=upload(b"%PDF-1.4 not an image", "leaflet.jpg"), alt="A leaflet"
    )
    page = parse(change(admin_client, article, data))
    assert "This file is not an image" in page.select_one(".field-image .errorlist").get_text()
    assert not ArticleImage.objects.exists()


def test_saving_a_placeholder_for_an_image_the_article_lacks_warns_the_editor(admin_client):
    article = ArticleFactory()
    response = change(admin_client, article, change_data(article, body="<p>[image 3]</p>"))
    assert any("“[image 3]” names no image of this article" in w for w in warnings(response))


def test_a_placeholder_saved_with_its_image_in_the_same_save_raises_no_warning(admin_client):
    article = ArticleFactory()
    data = change_data(article, body="<p>[image 1]</p>", **{"images-TOTAL_FORMS": "1"})
    data |= image_form(0, image=photo_with_exif(), alt="Illustration of a hairline")
    assert warnings(change(admin_client, article, data)) == []


def test_saving_a_placeholder_inside_a_sentence_warns_the_editor(admin_client):
    article = ArticleFactory()
    ArticleImageFactory(article=article)
    body = "<p>The hairline [image 1] here.</p>"
    response = change(admin_client, article, change_data(article, body=body))
    assert any("“[image 1]” is not a paragraph of its own" in w for w in warnings(response))


def test_deleting_an_image_in_the_admin_deletes_its_files_and_warns_of_its_placeholder(
    admin_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="<p>[image 1]</p>")
    image = ArticleImageFactory(article=article)
    stored = files_of(image)
    data = change_data(
        article, **{"images-TOTAL_FORMS": "1", "images-INITIAL_FORMS": "1"}
    ) | image_form(0, id=image.pk, article=article.pk, alt=image.alt, DELETE="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = change(admin_client, article, data)
    assert not ArticleImage.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert any("“[image 1]” names no image" in w for w in warnings(response))


def test_deleting_an_article_in_the_admin_deletes_its_images_files(
    admin_client, django_capture_on_commit_callbacks
):
    image = ArticleImageFactory()
    stored = files_of(image)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:blog_article_delete", args=[image.article_id]), {"post": "yes"}
        )
    assert not Article.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
