import pytest
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_an_edit_shows_at_once_on_a_cached_article_page(client):
    article = ArticleFactory(title="First title")
    assert "First title" in client.get(article.get_absolute_url()).content.decode()
    article.title = "Second title"
    article.save()
    assert "Second title" in client.get(article.get_absolute_url()).content.decode()


def test_a_new_article_shows_at_once_on_the_cached_list(client):
    ArticleFactory(title="First article")
    client.get(reverse("blog:article_list"))
    ArticleFactory(title="Another article")
    assert "Another article" in client.get(reverse("blog:article_list")).content.decode()


def test_an_unpublished_article_disappears_at_once_from_the_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes_despite_the_cache(client):
    import datetime

    from django.utils import timezone

    article = ArticleFactory(
        title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert "Coming soon" not in client.get(reverse("blog:article_list")).content.decode()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "Coming soon" in client.get(reverse("blog:article_list")).content.decode()


def test_a_page_staff_were_shown_is_never_kept_for_visitors(admin_client, client):
    draft = ArticleFactory(title="Not yet public", status=Article.Status.DRAFT)
    staff_page = admin_client.get(draft.get_absolute_url())
    assert "Staff preview" in staff_page.content.decode()
    visitor_page = client.get(draft.get_absolute_url())
    assert visitor_page.status_code == 404
    assert "Not yet public" not in visitor_page.content.decode()
    assert "Staff preview" not in visitor_page.content.decode()


def test_staff_never_get_a_copy_kept_for_visitors(admin_client, client):
    article = ArticleFactory(title="Before the edit")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="After the edit")
    assert "Before the edit" in client.get(article.get_absolute_url()).content.decode()
    assert "After the edit" in admin_client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_tag_shows_at_once_on_the_cached_article_page(client):
    tag = TagFactory(name="Hairlines")
    article = ArticleFactory(tags=[tag])
    client.get(article.get_absolute_url())
    tag.name = "Soft hairlines"
    tag.save()
    assert ">Soft hairlines</a>" in client.get(article.get_absolute_url()).content.decode()


def test_a_renamed_topic_shows_at_once_on_the_cached_article_list(client):
    article = ArticleFactory()
    client.get(reverse("blog:article_list"))
    article.topic.name = "Looking after your SMP"
    article.topic.save()
    assert "Looking after your SMP" in client.get(reverse("blog:article_list")).content.decode()


def test_an_authors_new_job_title_shows_at_once_on_the_cached_article_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    article.author.job_title = "Lead practitioner"
    article.author.save()
    assert "Lead practitioner" in client.get(article.get_absolute_url()).content.decode()


def test_a_deleted_tag_disappears_at_once_from_the_cached_article_page(client):
    tag = TagFactory(name="Density")
    article = ArticleFactory(tags=[tag])
    client.get(article.get_absolute_url())
    tag.delete()
    assert ">Density</a>" not in client.get(article.get_absolute_url()).content.decode()
