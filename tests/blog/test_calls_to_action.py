"""An article's calls to action: the boxed one speaks for the clinic that will handle the
enquiry, and links to the booking pages in the body carry the enquiry type and source as the
box does."""

import pytest

from tests.factories import ArticleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

BOOKING_LINK = '<p>Ready? <a href="{href}">Book a consultation</a>.</p>'


def call_to_action(client, article):
    return parse(client.get(article.get_absolute_url())).select_one(".cta-block")


def body_links(client, article) -> list[str]:
    page = parse(client.get(article.get_absolute_url()))
    return [a["href"] for a in page.select(".prose a")]


def test_a_laser_removal_articles_call_to_action_is_in_laser_reverses_name(client):
    cta = call_to_action(client, ArticleFactory(cta_enquiry_type="laser_smp"))
    assert cta.h2.get_text() == "Book a free consultation with Laser Reverse"
    assert cta.a.get_text() == "Book a free consultation with Laser Reverse"


def test_a_laser_removal_articles_call_to_action_says_who_carries_it_out(client):
    cta = call_to_action(client, ArticleFactory(cta_enquiry_type="laser_tattoo"))
    assert "Laser removal is carried out by Laser Reverse, our sister clinic" in cta.get_text()
    assert "look at your scalp" not in cta.get_text()


def test_an_smp_articles_call_to_action_stays_restoration_us(client):
    cta = call_to_action(client, ArticleFactory(cta_enquiry_type="new_smp"))
    assert cta.h2.get_text() == "Book a free consultation"
    assert "Laser Reverse" not in cta.get_text()


def test_a_booking_link_in_the_body_gets_the_articles_type_and_source(client):
    article = ArticleFactory(cta_enquiry_type="laser_smp", body=BOOKING_LINK.format(href="/book/"))
    assert body_links(client, article) == [f"/book/?type=laser_smp&from=/articles/{article.slug}/"]


def test_a_link_to_the_times_page_in_the_body_gets_the_articles_type_and_source(client):
    article = ArticleFactory(
        cta_enquiry_type="laser_smp", body=BOOKING_LINK.format(href="/book/times/")
    )
    assert body_links(client, article) == [
        f"/book/times/?type=laser_smp&from=/articles/{article.slug}/"
    ]


def test_a_booking_link_in_the_body_keeps_the_type_it_names(client):
    article = ArticleFactory(
        cta_enquiry_type="laser_smp", body=BOOKING_LINK.format(href="/book/?type=smp_correction")
    )
    assert body_links(client, article) == [
        f"/book/?type=smp_correction&from=/articles/{article.slug}/"
    ]


def test_a_booking_link_at_the_sites_full_address_is_given_them_too(client, settings):
    article = ArticleFactory(
        cta_enquiry_type="new_smp", body=BOOKING_LINK.format(href=f"{settings.SITE_URL}/book/")
    )
    assert body_links(client, article) == [
        f"{settings.SITE_URL}/book/?type=new_smp&from=/articles/{article.slug}/"
    ]


def test_a_booking_link_without_an_articles_type_still_names_its_source(client):
    article = ArticleFactory(cta_enquiry_type="", body=BOOKING_LINK.format(href="/book/#form"))
    assert body_links(client, article) == [f"/book/?from=/articles/{article.slug}/#form"]


def test_links_elsewhere_in_the_body_are_left_alone(client):
    article = ArticleFactory(
        cta_enquiry_type="laser_smp",
        body=(
            '<p><a href="/articles/aftercare/">Aftercare</a>, '
            '<a href="https://elsewhere.example/book/">another site</a> and '
            '<a href="/book/thank-you/">a page under the form</a>.</p>'
        ),
    )
    assert body_links(client, article) == [
        "/articles/aftercare/",
        "https://elsewhere.example/book/",
        "/book/thank-you/",
    ]


def test_the_stored_body_keeps_the_links_as_the_editor_wrote_them(client):
    article = ArticleFactory(cta_enquiry_type="laser_smp", body=BOOKING_LINK.format(href="/book/"))
    client.get(article.get_absolute_url())
    article.refresh_from_db()
    assert 'href="/book/"' in article.body


def test_a_booking_link_follows_a_later_change_of_the_articles_type(client):
    article = ArticleFactory(cta_enquiry_type="laser_smp", body=BOOKING_LINK.format(href="/book/"))
    article.cta_enquiry_type = "smp_correction"
    article.save()
    assert body_links(client, article) == [
        f"/book/?type=smp_correction&from=/articles/{article.slug}/"
    ]
