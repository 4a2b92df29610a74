"""A visitor compares what treatments cost, from the footer and from a treatment page, and
reception changes a price that visitors then see at once, in a real browser on a phone and
on a desktop."""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_no_violations
from tests.e2e.pages import sign_in
from tests.factories import TreatmentPriceFactory, clinic, staff_user


def prices():
    TreatmentPriceFactory(
        name="New SMP: full head",
        kind="from",
        price=Decimal("1800"),
        price_to=Decimal("2600"),
        included="Hairline design\nEvery session the treatment needs",
        sessions_min=3,
        sessions_max=4,
    )
    TreatmentPriceFactory(
        name="Scar camouflage",
        treatment="scar_camouflage",
        kind="from",
        price=Decimal("350"),
        is_example=True,
    )
    TreatmentPriceFactory(
        name="Laser removal of SMP",
        clinic=clinic("laser-reverse"),
        treatment="laser_removal",
        price=Decimal("150"),
        per_session=True,
        included="Patch test at the free consultation",
        sessions_min=4,
        sessions_max=8,
    )


def assert_no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_compares_prices_from_the_footer_and_a_treatment_page(page: Page, site: str):
    prices()
    page.goto(site + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Prices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prices")
    expect(page.locator(".prices__clinic > h2")).to_have_text(["Restoration U", "Laser Reverse"])
    full_head = page.locator(".price-card", has_text="New SMP: full head")
    expect(full_head.locator(".price-card__figure")).to_have_text("£1,800 to £2,600")
    expect(full_head).to_contain_text("3 to 4 sessions")
    expect(full_head).to_contain_text("Every session the treatment needs")
    scar = page.locator(".price-card", has_text="Scar camouflage")
    expect(scar.locator(".price-card__figure")).to_have_text("From £350 Example figures")
    expect(page.locator(".notice--example")).to_contain_text("examples only")
    assert_no_sideways_scrolling(page)
    assert_no_violations(page, "prices page")

    page.get_by_role("link", name="How laser removal of SMP works").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laser removal of SMP")
    section = page.locator(".treatment-prices")
    expect(section.get_by_role("heading", level=2)).to_have_text("Prices at Laser Reverse")
    expect(section.locator(".price-card__figure")).to_have_text("£150 per session")
    expect(section.locator(".price-card")).to_contain_text("4 to 8 sessions")
    assert_no_sideways_scrolling(page)
    assert_no_violations(page, "laser removal page")

    page.get_by_role("link", name="Prices of every treatment, at both clinics").click()
    expect(page).to_have_url(re.compile(r"/prices/$"))


def test_the_smp_page_shows_restoration_us_prices_without_violations(page: Page, site: str):
    prices()
    page.goto(site + "/scalp-micropigmentation/")
    section = page.locator(".treatment-prices")
    expect(section.get_by_role("heading", level=2)).to_have_text("Prices at Restoration U")
    expect(section.locator(".price-card h3")).to_have_text(
        ["New SMP: full head", "Scar camouflage"]
    )
    expect(section.locator(".price-card__example")).to_have_count(1)
    assert_no_sideways_scrolling(page)
    assert_no_violations(page, "SMP page")


def test_reception_changes_a_price_and_visitors_see_it_at_once(page: Page, site: str, browser):
    prices()
    visitor = browser.new_context(viewport=page.viewport_size, locale="en-GB")
    visitor_page = visitor.new_page()
    visitor_page.goto(site + "/prices/")  # the page is now cached
    expect(visitor_page.locator(".price-card__figure").first).to_have_text("£1,800 to £2,600")

    staff_user("restoration-u")
    sign_in(page, site, "reception-restoration-u")
    page.locator("tr.model-treatmentprice a", has_text="Treatment prices").click()
    expect(page.locator("#result_list")).not_to_contain_text("Laser removal of SMP")
    page.get_by_role("link", name="New SMP: full head").click()
    page.get_by_label("Price (£)").fill("1950")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor_page.reload()
    expect(visitor_page.locator(".price-card__figure").first).to_have_text("£1,950 to £2,600")
    visitor.close()
