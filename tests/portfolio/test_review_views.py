"""Client reviews on the site: the reviews page, the home page and the case page, each showing
only what the client agreed to, and nothing at all when there are no reviews."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BeforeAfterCaseFactory, ClientReviewFactory
from tests.html import headings_h1, parse

pytestmark = pytest.mark.django_db

REVIEWS = reverse("portfolio:reviews")


def review_texts(response) -> list[str]:
    return [q.get_text(" ", strip=True) for q in parse(response).select(".review__text")]


def signatures(response) -> list[str]:
    return [c.get_text(" ", strip=True) for c in parse(response).select(".review__by")]


# The reviews page


def test_the_reviews_page_shows_each_review_with_its_date_name_and_treatment(client):
    ClientReviewFactory(
        text="Nobody has guessed.", first_name="Priya", reviewed_on=datetime.date(2026, 3, 2)
    )
    response = client.get(REVIEWS)
    assert headings_h1(response) == ["Client reviews"]
    assert review_texts(response) == ["Nobody has guessed."]
    assert signatures(response) == ["Priya, hairline restoration, 2 March 2026"]
    assert parse(response).select_one(".review__by time")["datetime"] == "2026-03-02"


def test_a_client_who_did_not_agree_to_show_their_name_or_treatment_is_a_client(client):
    ClientReviewFactory(
        first_name="Priya",
        show_first_name=False,
        show_treatment=False,
        reviewed_on=datetime.date(2026, 3, 2),
    )
    response = client.get(REVIEWS)
    assert signatures(response) == ["A client, 2 March 2026"]
    assert "Priya" not in response.content.decode()
    assert "hairline restoration" not in parse(response).select_one(".review").get_text().lower()


def test_a_rating_is_shown_as_stars_and_said_in_words(client):
    ClientReviewFactory(rating=4)
    rating = parse(client.get(REVIEWS)).select_one(".review__rating")
    assert rating.select_one("[aria-hidden=true]").get_text() == "★★★★☆"
    assert rating.select_one(".visually-hidden").get_text() == "Rated 4 out of 5"


def test_a_review_without_a_rating_shows_no_stars(client):
    ClientReviewFactory(rating=None)
    assert parse(client.get(REVIEWS)).select_one(".review__rating") is None


def test_drafts_and_withdrawn_reviews_are_never_shown(client):
    ClientReviewFactory(text="Shown.")
    ClientReviewFactory(text="Draft.", status="draft")
    ClientReviewFactory(text="Withdrawn.", consent_withdrawn_on=timezone.localdate())
    assert review_texts(client.get(REVIEWS)) == ["Shown."]


def test_the_clients_words_are_escaped_and_keep_their_paragraphs(client):
    ClientReviewFactory(text="First <script>x</script>\n\nSecond")
    quote = parse(client.get(REVIEWS)).select_one(".review__text")
    assert [p.get_text() for p in quote.find_all("p")] == ["First <script>x</script>", "Second"]
    assert quote.find("script") is None


def test_the_case_photo_is_shown_and_linked_only_when_the_client_agreed(client):
    case = BeforeAfterCaseFactory(title="A soft hairline")
    ClientReviewFactory(case=case, show_case_photo=True, text="With photo.")
    ClientReviewFactory(case=case, show_case_photo=False, text="Without photo.")
    links = parse(client.get(REVIEWS)).select(".review__case")
    assert len(links) == 1
    assert links[0]["href"] == case.get_absolute_url()
    assert links[0].find_parent(class_="review").select_one(".review__text").get_text(
        strip=True
    ) == ("With photo.")
    image = links[0].find("img")
    assert image["alt"] == case.after_alt
    assert image["width"] and image["height"] and image["srcset"]


def test_an_example_review_is_labelled_as_invented(client):
    ClientReviewFactory(is_example=True)
    label = parse(client.get(REVIEWS)).select_one(".review__example")
    assert label.get_text(" ", strip=True) == (
        "Example review Invented to show how reviews appear; not a real client."
    )


def test_without_reviews_the_page_says_so_and_shows_no_list(client):
    soup = parse(client.get(REVIEWS))
    assert soup.select_one(".review-list") is None
    assert "No client reviews have been published yet" in soup.select_one(".empty-state").text


def test_the_reviews_page_is_paginated(client):
    ClientReviewFactory.create_batch(21)
    assert len(review_texts(client.get(REVIEWS))) == 20
    second = client.get(REVIEWS, {"page": 2})
    assert len(review_texts(second)) == 1
    assert "Newer reviews" in parse(second).select_one(".pagination").get_text()


@pytest.mark.parametrize("page_number", ["2", "0", "x"])
def test_a_reviews_page_that_does_not_exist_is_a_404(client, page_number):
    ClientReviewFactory()
    assert client.get(REVIEWS, {"page": page_number}).status_code == 404


def test_a_withdrawn_consent_takes_the_review_off_the_cached_page_at_once(client):
    review = ClientReviewFactory(text="Soon withdrawn.")
    assert review_texts(client.get(REVIEWS)) == ["Soon withdrawn."]
    review.consent_withdrawn_on = timezone.localdate()
    review.save()
    assert review_texts(client.get(REVIEWS)) == []


def test_a_typo_fix_shows_on_the_cached_page_at_once(client):
    review = ClientReviewFactory(text="Lovely resluts.")
    assert review_texts(client.get(REVIEWS)) == ["Lovely resluts."]
    review.text = "Lovely results."
    review.save()
    assert review_texts(client.get(REVIEWS)) == ["Lovely results."]


# The gallery


def test_the_gallery_links_to_the_reviews_once_there_are_some(client):
    assert parse(client.get(reverse("portfolio:gallery"))).select_one(".reviews-link") is None
    ClientReviewFactory()
    link = parse(client.get(reverse("portfolio:gallery"))).select_one(".reviews-link a")
    assert link["href"] == REVIEWS


# The home page


def home_reviews(client):
    return parse(client.get(reverse("home"))).select_one("section[aria-labelledby=client-reviews]")


def test_the_home_page_shows_the_three_latest_reviews_and_links_to_all(client):
    for day in range(1, 5):
        ClientReviewFactory(text=f"Review {day}.", reviewed_on=datetime.date(2026, 3, day))
    section = home_reviews(client)
    assert section.find("h2").get_text() == "What our clients say"
    texts = [q.get_text(strip=True) for q in section.select(".review__text")]
    assert texts == ["Review 4.", "Review 3.", "Review 2."]
    assert section.find("a", string="Read all client reviews")["href"] == REVIEWS


def test_without_reviews_the_home_page_has_no_reviews_section(client):
    ClientReviewFactory(status="draft")
    assert home_reviews(client) is None
    assert "What our clients say" not in client.get(reverse("home")).content.decode()


# The case page


def case_reviews(client, case):
    return parse(client.get(case.get_absolute_url())).select_one(
        "section[aria-labelledby=case-reviews]"
    )


def test_a_case_page_shows_its_clients_review_when_they_agreed_to_the_photos(client):
    case = BeforeAfterCaseFactory()
    ClientReviewFactory(case=case, show_case_photo=True, text="My own case.")
    section = case_reviews(client, case)
    assert section.find("h2").get_text() == "In the client's words"
    assert [q.get_text(strip=True) for q in section.select(".review__text")] == ["My own case."]
    assert section.select_one(".review__case") is None  # already on the case's page


def test_a_case_page_never_shows_a_review_whose_client_did_not_agree_to_the_photos(client):
    case = BeforeAfterCaseFactory()
    ClientReviewFactory(case=case, show_case_photo=False)
    ClientReviewFactory(case=BeforeAfterCaseFactory(), show_case_photo=True)
    assert case_reviews(client, case) is None
    assert "In the client's words" not in client.get(case.get_absolute_url()).content.decode()


# The sitemap


def test_the_sitemap_lists_the_reviews_page_once_it_shows_a_review(client, settings):
    location = f"<loc>{settings.SITE_URL}{REVIEWS}</loc>"
    ClientReviewFactory(status="draft")
    assert location not in client.get("/sitemap.xml").content.decode()
    review = ClientReviewFactory()
    body = client.get("/sitemap.xml").content.decode()
    entry = body.split(location)[1].split("</url>")[0]
    assert f"<lastmod>{review.updated_at:%Y-%m-%d}</lastmod>" in entry
