"""Absolute addresses come from SITE_URL, never from the Host header a client sends.

Django checks only the host name against ALLOWED_HOSTS, so `localhost:6666` is accepted; none
of it may reach a page, robots.txt, the sitemap or a feed."""

import json
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from restoration_site.common.site_url import absolute_url
from tests.factories import ArticleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

SITE = "https://www.restoration-u.example"
FOREIGN_HOST = "localhost:6666"
SITEMAP_NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def article():
    return ArticleFactory()


def get(client, path: str):
    response = client.get(path, HTTP_HOST=FOREIGN_HOST)
    assert response.status_code == 200
    return response


def addresses_in(data) -> list[str]:
    """Every web address anywhere in structured data, but the vocabulary's (`@context`)."""
    if isinstance(data, dict):
        return [
            url for key, value in data.items() if key != "@context" for url in addresses_in(value)
        ]
    if isinstance(data, list):
        return [url for value in data for url in addresses_in(value)]
    return [data] if isinstance(data, str) and data.startswith(("http:", "https:")) else []


@pytest.mark.parametrize(
    "path",
    ["/", "{article}", "/articles/", "/team/", "/robots.txt", "/sitemap.xml", "/articles/feed/"],
)
def test_a_foreign_port_in_the_host_header_appears_nowhere_in_the_answer(client, article, path):
    body = get(client, path.format(article=article.get_absolute_url())).content.decode()
    assert "6666" not in body


@pytest.mark.parametrize("path", ["/", "{article}", "/articles/"])
def test_the_canonical_link_is_on_the_site_url_whatever_the_host(client, article, path):
    path = path.format(article=article.get_absolute_url())
    canonical = parse(get(client, path)).find("link", rel="canonical")["href"]
    assert canonical == f"{SITE}{path}"


def test_the_open_graph_and_twitter_addresses_are_on_the_site_url(client, article):
    soup = parse(get(client, article.get_absolute_url()))
    assert soup.find("meta", property="og:url")["content"] == SITE + article.get_absolute_url()
    assert soup.find("meta", property="og:image")["content"].startswith(f"{SITE}/media/")
    assert soup.find("meta", attrs={"name": "twitter:image"})["content"].startswith(
        f"{SITE}/media/"
    )


@pytest.mark.parametrize("path", ["/", "{article}"])
def test_every_address_in_the_structured_data_is_on_the_site_url(client, article, path):
    soup = parse(get(client, path.format(article=article.get_absolute_url())))
    (script,) = soup.find_all("script", type="application/ld+json")
    urls = addresses_in(json.loads(script.string))
    assert urls
    assert all(url.startswith(f"{SITE}/") for url in urls)


def test_robots_txt_names_the_sitemap_on_the_site_url(client):
    assert f"Sitemap: {SITE}/sitemap.xml" in get(client, "/robots.txt").content.decode()


def test_every_sitemap_address_is_on_the_site_url(client, article):
    sitemap = ElementTree.fromstring(get(client, "/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP_NAMESPACE}loc")]
    assert f"{SITE}{article.get_absolute_url()}" in locations
    assert all(location.startswith(f"{SITE}/") for location in locations)


@pytest.mark.parametrize(
    "path", ["/articles/feed/", "/articles/topic/scalp-micropigmentation/feed/"]
)
def test_every_feed_address_is_on_the_site_url(client, article, path):
    feed = feedparser.parse(get(client, path).content)
    urls = [feed.feed.link, feed.feed.id, *(link.href for link in feed.feed.links)]
    urls += [url for entry in feed.entries for url in (entry.link, entry.id)]
    assert SITE + article.get_absolute_url() in urls
    assert all(url.startswith(f"{SITE}/") for url in urls)


def test_the_feed_names_its_own_address_on_the_site_url(client):
    feed = feedparser.parse(get(client, "/articles/feed/").content)
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {
        f"{SITE}/articles/feed/"
    }


def test_a_path_becomes_an_address_on_the_site_url():
    assert absolute_url(reverse("blog:article_list")) == f"{SITE}/articles/"


def test_an_address_in_object_storage_is_left_as_it_is():
    image = "https://bucket.s3.example/media/hero.jpg"
    assert absolute_url(image) == image


def test_a_scheme_relative_address_takes_the_site_urls_scheme():
    assert absolute_url("//cdn.restoration-u.example/hero.jpg") == (
        "https://cdn.restoration-u.example/hero.jpg"
    )
