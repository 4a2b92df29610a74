"""A visitor finds how to get to each clinic, on a phone and a desktop, and with JavaScript
off: the address, the hours, the way there and in, the map, their own maps app, and booking
there."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import PHONE
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    hours,
    with_visit_details,
)


@pytest.fixture
def clinics(site):
    """Both clinics with their visiting details and a map, someone working at each and a
    consultation to book there."""
    ConsultationTypeFactory(clinic=clinic("restoration-u"))
    ConsultationTypeFactory(clinic=clinic("laser-reverse"), name="Free laser consultation")
    amelia = PractitionerFactory(clinic=clinic("restoration-u"))
    hours(amelia, 0, "09:00", "13:00")
    hours(amelia, 0, "14:00", "17:30")
    hours(PractitionerFactory(clinic=clinic("laser-reverse")), 2, "10:00", "18:00")
    with_visit_details(
        "restoration-u",
        public_transport="Example Circus station is a four-minute walk up Sample Lane.",
        parking="Model Row car park is a two-minute walk.",
        step_free_access=True,
        accessible_toilet=True,
    )
    with_visit_details(
        "laser-reverse",
        public_transport="Sample Park station is a five-minute walk.",
        step_free_access=True,
        accessible_toilet=False,
        latitude="51.516900",
        longitude="-0.139800",
    )


def hours_row(page: Page, day: str):
    return page.locator("table.opening-hours tr", has=page.locator("th", has_text=day))


def access_answer(page: Page, question: str):
    return page.locator(
        ".visit__access div", has=page.get_by_role("term").filter(has_text=question)
    ).get_by_role("definition")


def test_a_visitor_finds_restoration_u_from_the_footer_and_books_there(
    page: Page, site: str, clinics
):
    page.goto(site + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="How to find us").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit Restoration U")

    expect(page.locator("main address")).to_contain_text("12 Example Street")
    expect(page.get_by_role("link", name="+44 20 7946 0321").first).to_have_attribute(
        "href", "tel:+442079460321"
    )
    expect(hours_row(page, "Monday")).to_contain_text("09:00 to 13:00, 14:00 to 17:30")
    expect(hours_row(page, "Sunday")).to_contain_text("Closed")
    expect(page.get_by_text("Example Circus station is a four-minute walk")).to_be_visible()
    expect(access_answer(page, "Step-free access")).to_have_text("Yes")

    map_image = page.get_by_role("img", name=re.compile("^Street map: Restoration U"))
    map_image.scroll_into_view_if_needed()
    expect(map_image).to_be_visible()
    assert map_image.evaluate("img => img.complete && img.naturalWidth > 0")
    box = map_image.bounding_box()
    assert box["width"] <= page.viewport_size["width"]

    google = page.get_by_role("link", name="Open in Google Maps")
    query = parse_qs(urlsplit(google.get_attribute("href")).query)
    assert query["query"] == ["Restoration U, 12 Example Street, London, W1A 0AA"]
    assert page.get_by_role("link", name="Open in Apple Maps").bounding_box()["height"] >= 24
    assert_no_violations(page, "Restoration U's visit page")

    page.get_by_role("link", name="Book a free consultation: New SMP treatment").click()
    expect(page).to_have_url(re.compile(r"/book/times/\?type=new_smp&from=/visit/restoration-u/"))


def test_a_visitor_finds_laser_reverse_and_books_a_removal_consultation_there(
    page: Page, site: str, clinics
):
    page.goto(site + "/team/")
    page.get_by_role("main").get_by_role(
        "link", name=re.compile("^How to find Laser Reverse")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit Laser Reverse")
    expect(page.locator("main address")).to_contain_text("Laser Reverse")
    expect(hours_row(page, "Wednesday")).to_contain_text("10:00 to 18:00")
    expect(hours_row(page, "Monday")).to_contain_text("Closed")
    expect(access_answer(page, "Accessible toilet")).to_have_text("No")
    apple = urlsplit(page.get_by_role("link", name="Open in Apple Maps").get_attribute("href"))
    assert parse_qs(apple.query) == {"ll": ["51.516900,-0.139800"], "q": ["Laser Reverse"]}
    assert_no_violations(page, "Laser Reverse's visit page")

    page.get_by_role("link", name="Book a free consultation: Laser removal of SMP").click()
    expect(page.get_by_text("This consultation is with Laser Reverse")).to_be_visible()


def test_the_visit_page_needs_no_javascript(browser, site: str, clinics):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(site + "/visit/laser-reverse/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit Laser Reverse")
    expect(page.get_by_role("img", name=re.compile("^Street map: Laser Reverse"))).to_be_visible()
    expect(hours_row(page, "Wednesday")).to_contain_text("10:00 to 18:00")
    # The same page as with JavaScript (it has no script): axe, which needs scripts, checked
    # it above; here it must fit and work.
    for part in ("main", ".visit__map img", ".cta-block"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    page.get_by_role("link", name="Book a free consultation: Laser removal of a tattoo").click()
    expect(page).to_have_url(re.compile(r"/book/times/\?type=laser_tattoo"))
    expect(page.get_by_text("This consultation is with Laser Reverse")).to_be_visible()
    context.close()
