import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_articles_exclude_drafts_and_scheduled_ones():
    public = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=3))
    assert list(Article.objects.published()) == [public]


def test_a_scheduled_article_becomes_public_when_its_time_comes():
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert article.is_scheduled
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize(
    "hostile",
    [
        '<p>Hi</p><script>alert("x")</script>',
        '<p onclick="alert(1)">Hi</p>',
        '<p><a href="javascript:alert(1)">Hi</a></p>',
        '<p><img src="x" onerror="alert(1)">Hi</p>',
        '<p><iframe src="https://evil.example"></iframe>Hi</p>',
        '<p style="background:url(javascript:alert(1))">Hi</p>',
    ],
)
def test_an_article_body_is_stored_without_anything_executable(hostile):
    article = ArticleFactory(body=hostile)
    stored = Article.objects.get(pk=article.pk).body.lower()
    for marker in ("<script", "onclick", "onerror", "javascript:", "<iframe", "style=", "<img"):
        assert marker not in stored
    assert "hi" in stored


def test_the_body_keeps_the_formatting_the_editor_offers():
    body = (
        "<h2>Heading</h2><p><strong>Bold</strong> and <em>italic</em> with a "
        '<a href="https://www.example.com/">link</a></p><ul><li>One</li></ul><blockquote>'
        "<p>Quote</p></blockquote>"
    )
    stored = ArticleFactory(body=body).body
    for fragment in (
        "<h2>",
        "<strong>",
        "<em>",
        'href="https://www.example.com/"',
        "<li>",
        "<blockquote>",
    ):
        assert fragment in stored


def test_reading_time_is_computed_from_the_body():
    article = ArticleFactory(body="<p>" + "word " * 450 + "</p>")
    assert article.reading_minutes == 3


def test_a_short_body_still_takes_a_minute_to_read():
    assert ArticleFactory(body="<p>Short.</p>").reading_minutes == 1


def test_a_summary_too_short_for_a_meta_description_is_refused():
    article = ArticleFactory.build(summary="Too short.")
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["hero_image", "author", "topic"])
    assert "summary" in error.value.message_dict


def test_a_summary_too_long_for_a_meta_description_is_refused():
    article = ArticleFactory.build(summary="x" * 161)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["hero_image", "author", "topic"])
    assert "summary" in error.value.message_dict


def test_a_hero_image_needs_a_description():
    article = ArticleFactory.build(hero_alt="")
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["author", "topic"])
    assert "hero_alt" in error.value.message_dict


def test_an_article_revised_on_a_later_day_says_so():
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=10))
    assert article.was_revised


def test_an_article_edited_on_its_publication_day_is_not_called_revised():
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(minutes=5))
    assert not article.was_revised
