"""A reader finds the laser-removal article and books a consultation, in a real browser."""

import re

from playwright.sync_api import Page, expect

from bookings.models import ConsultationRequest
from tests.e2e.consultation_form import fill_in_the_form
from tests.factories import ArticleFactory, topic


def test_a_reader_goes_from_the_laser_article_to_a_booked_consultation(page: Page, site: str):
    ArticleFactory(
        title="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP",
        topic=topic("laser-removal"),
        cta_enquiry_type="laser_smp",
    )
    ArticleFactory(title="Designing a hairline", topic=topic("scalp-micropigmentation"))

    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    page.get_by_role("navigation", name="Article topics").get_by_role(
        "link", name="Laser removal"
    ).click()
    expect(page.locator(".card__title")).to_have_text(
        ["Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP"]
    )
    page.get_by_role(
        "link", name="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP"
    ).click()
    page.locator(".cta-block").get_by_role("link", name="Book a free consultation").click()
    # Laser Reverse takes no bookings online in this test: the times page offers the request.
    expect(page.locator(".routing-notice")).to_contain_text("This consultation is with Laser")
    page.get_by_role("link", name="Send us a request instead").click()

    expect(page.get_by_label("What would you like to talk about?")).to_have_value("laser_smp")
    expect(page.locator("#routing-notice")).to_be_visible()
    expect(page.locator("#routing-notice")).to_contain_text("Your details will go to Laser Reverse")
    fill_in_the_form(page)
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request has reached us"
    )
    enquiry = ConsultationRequest.objects.get()
    expect(page.locator(".reference")).to_contain_text(enquiry.reference)
    assert enquiry.clinic.slug == "laser-reverse"
    assert enquiry.source.startswith("/articles/")


def test_the_laser_reverse_notice_follows_the_chosen_enquiry_type(page: Page, site: str):
    page.goto(site + "/book/")
    notice = page.locator("#routing-notice")
    expect(notice).to_be_hidden()
    page.get_by_label("What would you like to talk about?").select_option("laser_tattoo")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Your details will go to Laser Reverse")
    page.get_by_label("What would you like to talk about?").select_option("new_smp")
    expect(notice).to_be_hidden()


def test_errors_are_announced_and_reachable_and_what_was_typed_stays(page: Page, site: str):
    page.goto(site + "/book/?type=new_smp")
    fill_in_the_form(page)
    page.get_by_label("Phone number").fill("123")
    page.get_by_role("button", name="Send my request").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check 1 thing below")
    summary.get_by_role("link", name=re.compile("Phone number")).click()
    expect(page.get_by_label("Phone number")).to_be_focused()
    expect(page.get_by_label("Full name")).to_have_value("Jamie Example")
    assert ConsultationRequest.objects.count() == 0
