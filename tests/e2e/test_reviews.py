"""Client reviews in a real browser, on a 390x844 phone and on desktop: a visitor reads them
from the home page to a case, and staff correct a typo, are refused a rewrite and take a review
off the site when the client withdraws their consent."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_no_violations
from tests.e2e.pages import sign_in
from tests.factories import STAFF_PASSWORD, BeforeAfterCaseFactory, ClientReviewFactory


def fits_the_screen(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.fixture
def reviews():
    case = BeforeAfterCaseFactory(title="A soft hairline at thirty-two")
    ClientReviewFactory(
        text="Nobody has guessed. The hairline we drew together suits my face.",
        first_name="Priya",
        rating=5,
        case=case,
        show_case_photo=True,
        reviewed_on=datetime.date(2026, 3, 2),
    )
    ClientReviewFactory(
        text="An invented review, to show how they appear.",
        is_example=True,
        show_first_name=False,
        rating=None,
        reviewed_on=datetime.date(2026, 4, 20),
    )
    return case


def test_a_visitor_reads_reviews_from_the_home_page_to_the_clients_case(
    page: Page, site: str, reviews
):
    page.goto(site + "/")
    section = page.locator("section[aria-labelledby=client-reviews]")
    expect(section.get_by_role("heading", level=2)).to_have_text("What our clients say")
    # A real client's review comes before an example, whatever their dates.
    expect(section.locator(".review__text")).to_have_text(
        ["Nobody has guessed. The hairline we drew together suits my face.", re.compile("^An")]
    )
    expect(section.locator(".review--example .badge")).to_have_text("Example review")
    assert fits_the_screen(page)
    assert_no_violations(page, "home page with reviews")

    section.get_by_role("link", name="Read all client reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Client reviews")
    expect(page.locator(".review__by")).to_have_text(
        [
            "Priya, hairline restoration, 2 March 2026",
            "A client, hairline restoration, 20 April 2026",
        ]
    )
    expect(page.locator(".review__rating")).to_have_text("★★★★★Rated 5 out of 5")
    assert fits_the_screen(page)
    assert_no_violations(page, "reviews page")

    page.get_by_role("link", name=re.compile("See the before and after photos")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reviews.title)
    quote = page.locator(".case__reviews")
    expect(quote.get_by_role("heading", level=2)).to_have_text("In the client's words")
    expect(quote.locator(".review__text")).to_contain_text("Nobody has guessed.")
    assert_no_violations(page, "case page with its client's review")


def test_the_gallery_leads_to_the_reviews_by_keyboard(page: Page, site: str, reviews):
    page.goto(site + "/portfolio/")
    link = page.get_by_role("link", name=re.compile("^Client reviews"))
    link.focus()
    outline = link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/portfolio/reviews/")


@pytest.mark.parametrize("viewport", ["small-phone"], indirect=True)
def test_the_reviews_page_fits_a_320_px_screen(page: Page, site: str, reviews):
    page.goto(site + "/portfolio/reviews/")
    expect(page.locator(".review")).to_have_count(2)
    assert fits_the_screen(page)


def test_without_reviews_no_page_shows_a_reviews_heading(page: Page, site: str):
    case = BeforeAfterCaseFactory()
    ClientReviewFactory(case=case, show_case_photo=True, status="draft")
    for path in ("/", "/portfolio/", case.get_absolute_url()):
        page.goto(site + path)
        expect(page.locator(".review")).to_have_count(0)
        expect(page.get_by_role("heading", name=re.compile("client", re.I))).to_have_count(0)
    page.goto(site + "/portfolio/reviews/")
    expect(page.locator(".empty-state")).to_contain_text("No client reviews have been published")
    assert_no_violations(page, "reviews page without reviews")


def test_staff_correct_a_typo_are_refused_a_rewrite_and_take_a_withdrawn_review_off_the_site(
    page: Page, site: str, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@staff.example", STAFF_PASSWORD)
    review = ClientReviewFactory(text="Teh hairline looks natural and nobody has guessed.")
    change = site + f"/admin/portfolio/clientreview/{review.pk}/change/"
    sign_in(page, site, "editor")
    page.goto(change)

    words = page.get_by_label("The client's words")
    words.fill("The hairline looks perfect and nobody has guessed.")
    page.get_by_role("button", name="Save and continue editing").click()
    error = page.locator(".field-text .errorlist")
    expect(error).to_contain_text("Only typos may be corrected in a client's words")
    expect(error).to_contain_text("“natural” becomes “perfect”, a different word.")
    assert_no_violations(page, "a rewrite refused")

    page.get_by_label("The client's words").fill(
        "The hairline looks natural and nobody has guessed."
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".field-original_text .readonly")).to_have_text(
        "Teh hairline looks natural and nobody has guessed."
    )
    expect(page.locator(".review-changes del")).to_have_text("(was: Teh)")
    expect(page.locator(".review-changes ins")).to_have_text("(now: The)")
    assert_no_violations(page, "a review with a typo corrected")

    page.goto(site + "/portfolio/reviews/")
    expect(page.locator(".review__text")).to_have_text(
        "The hairline looks natural and nobody has guessed."
    )

    page.goto(change)
    page.get_by_label("Consent withdrawn on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="Withdrawn", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.goto(site + "/portfolio/reviews/")
    expect(page.locator(".review")).to_have_count(0)
    page.goto(site + "/")
    expect(page.locator("section[aria-labelledby=client-reviews]")).to_have_count(0)
