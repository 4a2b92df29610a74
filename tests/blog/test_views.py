import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article, Topic
from tests.factories import ArticleFactory, topic
from tests.html import headings_h1, meta_description, page_title, parse

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_article_list_shows_the_newest_article_first(client):
    ArticleFactory(title="Older article", published_at=days_ago(9))
    ArticleFactory(title="Newer article", published_at=days_ago(2))
    titles = [
        h.get_text() for h in parse(client.get(reverse("blog:article_list"))).select(".card__title")
    ]
    assert titles == ["Newer article", "Older article"]


def test_each_listed_article_shows_summary_date_reading_time_and_thumbnail(client):
    ArticleFactory(summary="A summary a reader sees in the list, long enough to be a description.")
    card = parse(client.get(reverse("blog:article_list"))).select_one(".card")
    assert "A summary a reader sees in the list" in card.get_text()
    assert card.find("time")["datetime"]
    assert "1 min read" in card.get_text()
    assert card.select_one("picture source[type='image/webp']")["srcset"]
    assert card.find("img")["alt"] == "Illustration of a shaved head with a soft hairline"


def test_an_article_card_links_once_from_its_title_with_its_topic_link_beside_it(client):
    article = ArticleFactory(title="Designing a hairline", topic=topic("scalp-micropigmentation"))
    card = parse(client.get(reverse("blog:article_list"))).select_one(".card")
    assert "card--link" in card["class"]
    (title_link,) = card.select(".card__link")
    assert title_link["href"] == article.get_absolute_url()
    assert title_link.find_parent(class_="card__title").get_text() == "Designing a hairline"
    other_links = [a["href"] for a in card.find_all("a") if a is not title_link]
    assert other_links == [article.topic.get_absolute_url()]


def test_the_article_list_hides_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Visible")
    ArticleFactory(title="Draft", status=Article.Status.DRAFT)
    ArticleFactory(title="Scheduled", published_at=timezone.now() + datetime.timedelta(days=1))
    text = client.get(reverse("blog:article_list")).content.decode()
    assert "Visible" in text
    assert "Draft" not in text
    assert "Scheduled" not in text


def test_the_article_list_is_paginated(client):
    ArticleFactory.create_batch(10)
    first = parse(client.get(reverse("blog:article_list")))
    second = parse(client.get(reverse("blog:article_list") + "?page=2"))
    assert len(first.select(".card")) == 9
    assert len(second.select(".card")) == 1


@pytest.mark.parametrize("page_number", ["99", "0", "-1", "abc", "1.5", "9" * 30])
def test_a_page_number_that_is_not_a_page_shows_the_404_page(client, page_number):
    ArticleFactory()
    response = client.get(reverse("blog:article_list"), {"page": page_number})
    assert response.status_code == 404
    assert headings_h1(response) == ["Page not found"]


def test_a_topic_page_lists_only_that_topics_articles(client):
    ArticleFactory(title="About lasers", topic=topic("laser-removal"))
    ArticleFactory(title="About hairlines", topic=topic("scalp-micropigmentation"))
    response = client.get(reverse("blog:topic", kwargs={"slug": "laser-removal"}))
    assert headings_h1(response) == ["Laser removal"]
    titles = [h.get_text() for h in parse(response).select(".card__title")]
    assert titles == ["About lasers"]


def test_the_topic_filter_marks_the_current_topic(client):
    response = client.get(reverse("blog:topic", kwargs={"slug": "aftercare"}))
    assert parse(response).select_one(".topic-nav [aria-current=page]").get_text() == "Aftercare"


def test_the_article_page_shows_title_dates_author_and_reading_time(client):
    article = ArticleFactory(
        title="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP",
        published_at=timezone.make_aware(datetime.datetime(2024, 4, 12, 9, 0)),
    )
    soup = parse(client.get(article.get_absolute_url()))
    assert headings_h1(client.get(article.get_absolute_url())) == [article.title]
    header = soup.select_one(".article__header")
    published, updated = header.find_all("time")
    assert published["datetime"].startswith("2024-04-12T09:00:00")
    assert published.get_text() == "12 April 2024"
    assert updated["datetime"].startswith(timezone.localdate().isoformat())
    assert article.author.name in header.get_text()
    assert "1 min read" in header.get_text()


def test_the_updated_date_is_left_out_when_the_article_was_not_revised(client):
    article = ArticleFactory(published_at=days_ago(0) - datetime.timedelta(minutes=1))
    assert len(parse(client.get(article.get_absolute_url())).select(".article__header time")) == 1


def test_the_hero_image_is_responsive_webp_with_its_size_set(client):
    article = ArticleFactory()
    soup = parse(client.get(article.get_absolute_url()))
    hero = soup.select_one(".article__hero")
    assert ".webp 48w" in hero.find("source", type="image/webp")["srcset"]
    img = hero.find("img")
    assert (img["width"], img["height"]) == ("48", "32")
    assert img["alt"] == article.hero_alt
    assert img["loading"] == "eager"


def test_the_article_page_describes_itself_with_the_summary(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert meta_description(response) == article.summary
    assert page_title(response).startswith(article.title)


def test_the_article_body_is_shown_as_formatted_text(client):
    article = ArticleFactory(
        body="<h2>What to expect</h2><p>Several <strong>sessions</strong>.</p>"
    )
    body = parse(client.get(article.get_absolute_url())).select_one(".prose")
    assert body.find("h2").get_text() == "What to expect"
    assert body.find("strong").get_text() == "sessions"


def test_the_article_page_links_to_its_topic(client):
    article = ArticleFactory(topic=topic("aftercare"))
    soup = parse(client.get(article.get_absolute_url()))
    assert soup.select_one(".article__header a")["href"] == reverse(
        "blog:topic", kwargs={"slug": "aftercare"}
    )


def test_related_articles_show_the_same_topic_first(client):
    article = ArticleFactory(topic=topic("laser-removal"))
    same = ArticleFactory(
        title="Same topic, older", topic=topic("laser-removal"), published_at=days_ago(400)
    )
    ArticleFactory.create_batch(3, topic=topic("aftercare"), published_at=days_ago(1))
    related = parse(client.get(article.get_absolute_url())).select(
        "#related-heading ~ .card-grid .card__title"
    )
    assert len(related) == 3
    assert related[0].get_text() == same.title


def test_the_call_to_action_preselects_the_articles_enquiry_type(client):
    article = ArticleFactory(cta_enquiry_type="laser_smp")
    cta = parse(client.get(article.get_absolute_url())).select_one(".cta-block a")
    assert cta["href"] == (
        f"{reverse('bookings:times')}?type=laser_smp&from=/articles/{article.slug}/"
    )


def test_the_call_to_action_without_a_type_still_books_a_consultation(client):
    article = ArticleFactory(cta_enquiry_type="")
    cta = parse(client.get(article.get_absolute_url())).select_one(".cta-block a")
    assert cta["href"].startswith(f"{reverse('bookings:times')}?from=")
    assert cta.get_text() == "Book a free consultation"


def test_a_draft_is_a_404_for_visitors(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_is_a_404_for_visitors(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft_which_search_engines_are_told_to_skip(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Staff preview" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert parse(response).find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_with_two_factor_on_a_password_alone_never_previews_a_draft(admin_client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert admin_client.get(article.get_absolute_url()).status_code == 404


def test_a_logged_in_non_staff_user_cannot_preview_a_draft(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-a-reader-123")
    client.force_login(user)
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_home_page_shows_the_latest_three_articles(client):
    ArticleFactory(title="Oldest", published_at=days_ago(30))
    for n in range(3):
        ArticleFactory(title=f"Recent {n}", published_at=days_ago(3 - n))
    titles = [
        h.get_text()
        for h in parse(client.get(reverse("home"))).select(
            "#latest-articles ~ .card-grid .card__title"
        )
    ]
    assert titles == ["Recent 2", "Recent 1", "Recent 0"]


def test_the_home_page_leaves_out_the_articles_section_when_there_are_none(client):
    assert "Latest articles" not in client.get(reverse("home")).content.decode()


def test_search_finds_articles_by_words_in_the_body(client):
    ArticleFactory(title="Fading old pigment", body="<p>Laser pulses break pigment apart.</p>")
    ArticleFactory(title="Hairline design", body="<p>Drawing a natural line.</p>")
    response = client.get(reverse("blog:search"), {"q": "pigment"})
    titles = [h.get_text() for h in parse(response).select(".card__title")]
    assert titles == ["Fading old pigment"]


def test_search_never_shows_drafts(client):
    ArticleFactory(title="Draft about pigment", status=Article.Status.DRAFT, body="<p>pigment</p>")
    response = client.get(reverse("blog:search"), {"q": "pigment"})
    assert "Draft about pigment" not in response.content.decode()


def test_search_echoes_the_query_as_text_not_markup(client):
    response = client.get(reverse("blog:search"), {"q": "<script>alert(1)</script>"})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1; DROP TABLE blog_article; --",
        "laser\x00removal",
        "a" * 10_000,
        "scalp " * 500,
        "素晴らしい 🚀 Ω≈ç√",
        '"unbalanced quote',
        "!!! & | ( ) :*",
        "\u202e\u0000\ud7ff",
    ],
)
def test_any_search_query_renders_safely(client, query):
    ArticleFactory()
    response = client.get(reverse("blog:search"), {"q": query})
    assert response.status_code == 200
    assert len(parse(response).find(id="article-search")["value"]) <= 200


def test_an_empty_search_asks_for_a_query(client):
    response = client.get(reverse("blog:search"))
    assert response.status_code == 200
    assert "Type a word or phrase" in response.content.decode()


def test_hero_renditions_are_served_with_a_year_long_cache(client):
    article = ArticleFactory()
    src = parse(client.get(article.get_absolute_url())).select_one(".article__hero img")["src"]
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]


def test_a_topic_pages_heading_keeps_the_topics_capitals(client):
    smp = Topic.objects.create(
        name="SMP aftercare", slug="smp-aftercare", description="Looking after SMP."
    )
    headings = parse(client.get(smp.get_absolute_url())).select("h2")
    assert "SMP aftercare articles" in [h.get_text() for h in headings]
