"""Tags on an article link to a page listing that tag's published articles."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, TagFactory
from tests.html import headings_h1, meta_description, page_title, parse

pytestmark = pytest.mark.django_db


def tag_page(client, slug: str, **query):
    return client.get(reverse("blog:tag", args=[slug]), query)


def titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in parse(response).select(".card__title")]


def test_the_article_page_shows_its_tags_as_links_to_their_lists(client):
    laser, correction = TagFactory(name="laser"), TagFactory(name="correction")
    article = ArticleFactory(tags=[laser, correction])
    chips = parse(client.get(article.get_absolute_url())).select("ul.article__tags a.tag")
    assert {(chip.get_text(), chip["href"]) for chip in chips} == {
        ("laser", "/articles/tag/laser/"),
        ("correction", "/articles/tag/correction/"),
    }


def test_an_article_without_tags_shows_no_tag_list(client):
    article = ArticleFactory()
    assert parse(client.get(article.get_absolute_url())).select_one(".article__tags") is None


def test_a_tag_page_lists_only_that_tags_published_articles_newest_first(client):
    laser, other = TagFactory(name="laser"), TagFactory(name="aftercare")
    now = timezone.now()
    ArticleFactory(title="Older laser", tags=[laser], published_at=now - datetime.timedelta(9))
    ArticleFactory(title="Newer laser", tags=[laser], published_at=now - datetime.timedelta(1))
    ArticleFactory(title="Other tag", tags=[other])
    ArticleFactory(title="Draft laser", tags=[laser], status=Article.Status.DRAFT)
    ArticleFactory(title="Scheduled laser", tags=[laser], published_at=now + datetime.timedelta(1))
    assert titles(tag_page(client, "laser")) == ["Newer laser", "Older laser"]


def test_an_unknown_tag_is_the_404_page(client):
    assert tag_page(client, "no-such-tag").status_code == 404


def test_a_tag_page_has_a_title_a_description_and_a_canonical_address(client, settings):
    ArticleFactory(tags=[TagFactory(name="hairline")])
    response = tag_page(client, "hairline", utm_source="newsletter")
    assert page_title(response) == "Articles tagged “hairline” | Restoration U"
    assert headings_h1(response) == ["Articles tagged “hairline”"]
    assert "tagged “hairline”" in meta_description(response)
    canonical = parse(response).find("link", rel="canonical")["href"]
    assert canonical == f"{settings.SITE_URL}/articles/tag/hairline/"


def test_a_tag_page_is_paginated_like_the_topic_pages(client):
    tag = TagFactory(name="laser")
    ArticleFactory.create_batch(10, tags=[tag])
    assert len(titles(tag_page(client, "laser"))) == 9
    second = tag_page(client, "laser", page="2")
    assert len(titles(second)) == 1
    assert page_title(second) == "Articles tagged “laser” (page 2) | Restoration U"
    assert tag_page(client, "laser", page="3").status_code == 404
    assert tag_page(client, "laser", page="x").status_code == 404


def test_a_tag_without_published_articles_says_so_and_asks_not_to_be_indexed(client):
    TagFactory(name="scars")
    ArticleFactory(tags=[TagFactory(name="scars")], status=Article.Status.DRAFT)
    soup = parse(tag_page(client, "scars"))
    assert "No published article carries this tag yet." in soup.select_one(".empty-state").text
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_a_tag_page_with_articles_may_be_indexed(client):
    ArticleFactory(tags=[TagFactory(name="laser")])
    assert parse(tag_page(client, "laser")).find("meta", attrs={"name": "robots"}) is None


def test_a_newly_tagged_article_shows_at_once_on_the_cached_tag_page(client):
    tag = TagFactory(name="laser")
    ArticleFactory(title="First", tags=[tag])
    assert titles(tag_page(client, "laser")) == ["First"]
    ArticleFactory(title="Second", tags=[tag])
    assert titles(tag_page(client, "laser")) == ["Second", "First"]


def test_the_sitemap_lists_only_the_tags_that_have_published_articles(client, settings):
    ArticleFactory(tags=[TagFactory(name="laser")])
    ArticleFactory(tags=[TagFactory(name="scars")], status=Article.Status.DRAFT)
    TagFactory(name="unused")
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}/articles/tag/laser/</loc>" in body
    assert "/articles/tag/scars/" not in body
    assert "/articles/tag/unused/" not in body
