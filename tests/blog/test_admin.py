import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, topic
from tests.html import parse
from tests.images import photo_with_exif, upload

pytestmark = pytest.mark.django_db


def article_form(**overrides) -> dict:
    data = {
        "title": "Choosing an SMP practitioner",
        "slug": "choosing-an-smp-practitioner",
        "summary": "What to check before you book SMP: qualifications, a real portfolio and a "
        "proper consultation.",
        "body": "<p>Take your time and ask questions.</p>",
        "hero_alt": "Illustration of a hairline",
        "status": "published",
        "published_at_0": "2026-01-05",
        "published_at_1": "09:00:00",
        "author": AuthorFactory().pk,
        "topic": topic().pk,
        "cta_enquiry_type": "new_smp",
        "hero_image": photo_with_exif(),
        # The images inline's management form: no image in the body.
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return data | overrides


def test_staff_publish_an_article_with_a_cleaned_hero_image_and_renditions(admin_client):
    response = admin_client.post(reverse("admin:blog_article_add"), article_form())
    assert response.status_code == 302
    article = Article.objects.get(slug="choosing-an-smp-practitioner")
    assert article.hero_renditions["sources"]
    assert default_storage.exists(article.hero_image.name)
    assert "IMG_0001" not in article.hero_image.name


def test_saving_a_draft_with_risky_claims_warns_and_quotes_each_sentence(admin_client):
    body = "<p>Careful work. SMP gives permanent results. The treatment is painless for all.</p>"
    response = admin_client.post(
        reverse("admin:blog_article_add"), article_form(body=body, status="draft"), follow=True
    )
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("“permanent results”" in w and "SMP gives permanent results." in w for w in warnings)
    assert any("“painless”" in w and "The treatment is painless for all." in w for w in warnings)
    assert Article.objects.filter(slug="choosing-an-smp-practitioner").exists()


def test_an_article_without_risky_claims_saves_without_warnings(admin_client):
    response = admin_client.post(reverse("admin:blog_article_add"), article_form(), follow=True)
    messages = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert messages == []


def test_a_script_typed_into_the_editor_is_removed_on_save(admin_client):
    body = '<p>Hello</p><script>alert(1)</script><p onmouseover="steal()">there</p>'
    admin_client.post(reverse("admin:blog_article_add"), article_form(body=body))
    stored = Article.objects.get(slug="choosing-an-smp-practitioner").body
    assert "script" not in stored
    assert "onmouseover" not in stored


def test_a_hero_upload_that_is_not_a_photo_is_refused_with_the_image_checks_message(
    admin_client,
):
    # Every kind of refusal is tested once, in tests/restoration_site/test_images.py.
    hero = upload(b"%PDF-1.4 not an image", "leaflet.jpg")
    response = admin_client.post(reverse("admin:blog_article_add"), article_form(hero_image=hero))
    assert response.status_code == 200
    errors = parse(response).select_one(".field-hero_image .errorlist").get_text()
    assert "This file is not an image" in errors
    assert not Article.objects.exists()


def test_the_article_list_in_the_admin_filters_by_visibility_claims_topic_and_date(
    admin_client,
):
    ArticleFactory()
    soup = parse(admin_client.get(reverse("admin:blog_article_changelist")))
    filters = soup.select_one("#changelist-filter").get_text()
    assert "By visibility" in filters
    assert "By claims warnings" in filters
    assert "By topic" in filters
    assert "By publish date and time" in filters
    assert soup.select_one("nav.toplinks")  # date hierarchy
    assert soup.select_one("#searchbar")


def test_the_admin_marks_scheduled_articles(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(published_at=timezone.now() + timedelta(days=2))
    assert (
        "Scheduled" in admin_client.get(reverse("admin:blog_article_changelist")).content.decode()
    )


def test_the_admin_links_to_the_article_on_the_site_for_a_preview(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    soup = parse(admin_client.get(reverse("admin:blog_article_change", args=[article.pk])))
    view_on_site = soup.select_one("a.viewsitelink")["href"]
    assert (
        admin_client.get(view_on_site, follow=True).request["PATH_INFO"]
        == article.get_absolute_url()
    )


def test_the_rich_text_editor_is_loaded_in_the_admin(admin_client):
    html = admin_client.get(reverse("admin:blog_article_add")).content.decode()
    assert "django_prose_editor" in html
    assert "data-django-prose-editor" in html


def test_renaming_a_tag_keeps_the_address_other_pages_link_to(admin_client):
    tag = TagFactory(name="scars", slug="scars")

    admin_client.post(
        reverse("admin:blog_tag_change", args=[tag.pk]),
        {"name": "Scar camouflage", "slug": "scar-camouflage"},
    )

    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Scar camouflage", "scars")
