"""Pages run the same number of SQL queries however many articles there are."""

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    BeforeAfterCaseFactory,
    TagFactory,
    topic,
)

pytestmark = pytest.mark.django_db

TOPICS = ["scalp-micropigmentation", "laser-removal", "aftercare", "clinic-news"]


@pytest.fixture(params=[5, 50], ids=["5-articles", "50-articles"])
def articles(request):
    tags = [TagFactory(name=f"tag {n}") for n in range(4)]
    return [
        ArticleFactory(topic=topic(TOPICS[n % 4]), tags=tags[: n % 4]) for n in range(request.param)
    ]


# version + count + page; topics for the filter
def test_the_article_list_runs_a_constant_number_of_queries(
    client, articles, django_assert_num_queries
):
    with django_assert_num_queries(4):
        assert client.get(reverse("blog:article_list")).status_code == 200


def test_a_topic_page_runs_a_constant_number_of_queries(
    client, articles, django_assert_num_queries
):
    with django_assert_num_queries(4):
        assert client.get(reverse("blog:topic", args=["laser-removal"])).status_code == 200


# version + article + tags + images in the body + related
def test_the_article_page_runs_a_constant_number_of_queries(
    client, articles, django_assert_num_queries
):
    with django_assert_num_queries(5):
        assert client.get(articles[-1].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("images", [0, 5])
def test_the_article_page_runs_the_same_queries_however_many_images_its_body_shows(
    client, images, django_assert_num_queries
):
    article = ArticleFactory(body="".join(f"<p>[image {n}]</p>" for n in range(1, images + 1)))
    ArticleImageFactory.create_batch(images, article=article)
    with django_assert_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="article__figure"') == images


# version + tag + count + page
def test_a_tag_page_runs_a_constant_number_of_queries(client, articles, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert client.get(reverse("blog:tag", args=["tag-0"])).status_code == 200


def test_the_home_page_runs_a_constant_number_of_queries(
    client, articles, django_assert_num_queries
):
    # three versions (articles, cases and reviews, schedules and prices), latest articles,
    # featured cases, latest reviews, and for the structured data the clinic's opening hours,
    # its price range and its clients' rating
    with django_assert_num_queries(9):
        assert client.get(reverse("home")).status_code == 200


def test_a_cached_article_page_costs_one_query(client, articles, django_assert_num_queries):
    client.get(articles[-1].get_absolute_url())
    with django_assert_num_queries(1):
        assert client.get(articles[-1].get_absolute_url()).status_code == 200


def test_search_runs_a_constant_number_of_queries(client, articles, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, page, topics
        assert client.get(reverse("blog:search"), {"q": "hairline"}).status_code == 200


def test_the_feed_runs_a_constant_number_of_queries(client, articles, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("blog:feed")).status_code == 200


def test_the_sitemap_runs_a_constant_number_of_queries(client, articles, django_assert_num_queries):
    BeforeAfterCaseFactory()
    # count and page of articles, of topics, of tags and of portfolio cases; the client reviews
    # page's last change; the clinics (their "Visit us" pages)
    with django_assert_num_queries(10):
        assert client.get("/sitemap.xml").status_code == 200
