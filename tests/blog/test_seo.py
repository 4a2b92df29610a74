import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, topic
from tests.html import parse
from tests.structured_data import structured_data

pytestmark = pytest.mark.django_db


def test_the_feed_parses_in_a_standard_feed_reader_with_the_latest_articles(client, settings):
    ArticleFactory(title="Older", published_at=timezone.now() - datetime.timedelta(days=5))
    ArticleFactory(title="Newer", published_at=timezone.now() - datetime.timedelta(days=1))
    ArticleFactory(title="Draft", status=Article.Status.DRAFT)
    feed = feedparser.parse(client.get(reverse("blog:feed")).content)
    assert not feed.bozo
    assert feed.feed.title == "Restoration U: articles"
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert (
        feed.entries[0].link
        == settings.SITE_URL + Article.objects.get(title="Newer").get_absolute_url()
    )
    assert feed.entries[0].summary


def test_each_topic_has_its_own_feed(client):
    ArticleFactory(title="Laser article", topic=topic("laser-removal"))
    ArticleFactory(title="Aftercare article", topic=topic("aftercare"))
    feed = feedparser.parse(client.get(reverse("blog:topic_feed", args=["laser-removal"])).content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Laser article"]


def test_an_unknown_topic_feed_is_a_404(client):
    assert client.get("/articles/topic/nothing/feed/").status_code == 404


def test_every_page_advertises_the_feed(client):
    link = parse(client.get(reverse("home"))).find("link", rel="alternate")
    assert link["href"] == reverse("blog:feed")
    assert link["type"] == "application/atom+xml"


def test_topic_pages_advertise_their_own_feed(client):
    links = parse(client.get(reverse("blog:topic", args=["aftercare"]))).find_all(
        "link", rel="alternate"
    )
    assert reverse("blog:topic_feed", args=["aftercare"]) in [link["href"] for link in links]


def test_the_sitemap_lists_every_published_article_with_its_last_change_and_no_draft(
    client, settings
):
    public = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=2))
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}{public.get_absolute_url()}</loc>" in body
    assert f"<lastmod>{public.updated_at.date().isoformat()}</lastmod>" in body
    assert draft.get_absolute_url() not in body
    assert scheduled.get_absolute_url() not in body


def test_the_sitemap_lists_the_topic_pages(client, settings):
    body = client.get("/sitemap.xml").content.decode()
    for slug in ("scalp-micropigmentation", "laser-removal", "aftercare", "clinic-news"):
        assert f"<loc>{settings.SITE_URL}/articles/topic/{slug}/</loc>" in body


def test_robots_txt_names_the_sitemap(client, settings):
    body = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body


def test_the_article_page_has_a_canonical_address(client, settings):
    article = ArticleFactory()
    canonical = parse(client.get(article.get_absolute_url() + "?utm_source=x")).find(
        "link", rel="canonical"
    )
    assert canonical["href"] == f"{settings.SITE_URL}{article.get_absolute_url()}"


def test_the_article_page_has_open_graph_and_twitter_card_tags(client, settings):
    article = ArticleFactory()
    soup = parse(client.get(article.get_absolute_url()))

    def meta(**attrs):
        return soup.find("meta", attrs=attrs)["content"]

    assert meta(property="og:type") == "article"
    assert meta(property="og:title") == article.title
    assert meta(property="og:description") == article.summary
    assert meta(property="og:image").startswith(f"{settings.SITE_URL}/media/articles/renditions/")
    assert meta(name="twitter:card") == "summary_large_image"
    assert meta(name="twitter:image:alt") == article.hero_alt


def test_the_article_page_describes_the_post_and_its_breadcrumbs_for_search_engines(client):
    article = ArticleFactory(topic=topic("laser-removal"))
    (data,) = structured_data(client.get(article.get_absolute_url()))
    posting, breadcrumbs = data["@graph"]
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == article.title
    assert posting["datePublished"] == article.published_at.replace(microsecond=0).isoformat()
    assert posting["dateModified"] == article.updated_at.replace(microsecond=0).isoformat()
    assert posting["author"] == {"@type": "Person", "name": article.author.name}
    assert posting["image"].endswith(".jpg")
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Home",
        "Articles",
        "Laser removal",
        article.title,
    ]


def test_structured_data_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    (data,) = structured_data(client.get(article.get_absolute_url()))
    assert data["@graph"][0]["headline"] == article.title


def test_the_home_page_describes_the_clinic_for_search_engines(client, settings):
    (data,) = structured_data(client.get(reverse("home")))
    assert "MedicalClinic" in data["@type"]
    assert "LocalBusiness" in data["@type"]
    assert data["name"] == "Restoration U"
    assert data["telephone"] == settings.CLINIC_PHONE
