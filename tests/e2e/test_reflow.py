"""WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a small phone, or a desktop browser at 400% zoom)
every page type fits the screen, with no sideways scrolling."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.booking_data import booked_with_link, open_clinics
from tests.e2e.consultation_form import fill_in_the_form
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    BeforeAfterCaseFactory,
    PractitionerFactory,
    TagFactory,
    TreatmentPriceFactory,
    clinic,
    hours,
    topic,
)

pytestmark = pytest.mark.parametrize("viewport", ["small-phone"], indirect=True)

# Titles with the site's longest words, as the demo articles and cases have them.
ARTICLE_TITLE = "What Is Scalp Micropigmentation, and Who Is It For?"
CASE_TITLE = "Micropigmentation density for thinning hair at the crown"


@pytest.fixture
def content(site):
    article = ArticleFactory(
        title=ARTICLE_TITLE,
        topic=topic("scalp-micropigmentation"),
        body=(
            "<h2>Micropigmentation, explained</h2><p>Read our guide at "
            "https://www.restoration-u.example/articles/what-is-scalp-micropigmentation/ or "
            '<a href="/book/">book a consultation</a>.</p><p>[image 1]</p>'
        ),
        tags=[TagFactory(name="micropigmentation"), TagFactory(name="consultation")],
    )
    ArticleImageFactory(article=article, caption="Micropigmentation, drawn dot by dot.")
    ArticleFactory.create_batch(2, topic=topic("scalp-micropigmentation"))
    case = BeforeAfterCaseFactory(title=CASE_TITLE, treatment="density-for-thinning-hair")
    # The team page's widest row: a split day, and the demo's longest registration wording.
    amelia = PractitionerFactory(
        with_photo=True,
        registration="Registered with Example Borough Council for skin piercing and "
        "micropigmentation (licence RU-2019-014)",
    )
    hours(amelia, 2, "09:00", "13:00")
    hours(amelia, 2, "14:00", "17:30")
    PractitionerFactory(clinic=clinic("laser-reverse"))
    # The widest price card: a range with pence, per session, marked as example figures.
    TreatmentPriceFactory(
        name="New scalp micropigmentation: full head",
        kind="from",
        price=Decimal("1850.50"),
        price_to=Decimal("2600.50"),
        per_session=True,
        is_example=True,
    )
    return {"article": article.get_absolute_url(), "case": case.get_absolute_url()}


def send(page: Page) -> None:
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state()


def form_with_errors(page: Page, site: str, settings) -> None:
    page.goto(site + "/book/")
    send(page)
    expect(page.get_by_role("alert")).to_be_visible()


def send_a_request(page: Page, site: str, heading: str) -> None:
    page.goto(site + "/book/?type=new_smp")
    fill_in_the_form(page)
    send(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def thank_you(page: Page, site: str, settings) -> None:
    send_a_request(page, site, "Thank you, your request has reached us")


def too_large(page: Page, site: str, settings) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    send_a_request(page, site, "That was too large to send")


def rate_limited(page: Page, site: str, settings) -> None:
    settings.CONSULTATION_RATE_LIMIT = 0
    send_a_request(page, site, "Please wait a few minutes")


def times(page: Page, site: str, settings, enquiry_type: str = "new_smp") -> None:
    open_clinics()
    page.goto(site + f"/book/times/?type={enquiry_type}&from=/articles/a-long-article-address/")


def laser_times(page: Page, site: str, settings) -> None:
    times(page, site, settings, enquiry_type="laser_smp")


def details(page: Page, site: str, settings) -> None:
    times(page, site, settings)
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("alert")).to_be_visible()


def booked(page: Page, site: str, settings) -> None:
    times(page, site, settings)
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").fill("Jamie Example")
    page.get_by_label("Email address").fill("jamie@client.example")
    page.get_by_label("Phone number").fill("07911 123456")
    page.get_by_label("I agree that the clinic may use").check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consultation is booked")


def appointment_page(part: str) -> Callable[..., None]:
    def opens(page: Page, site: str, settings) -> None:
        _, token = booked_with_link(open_clinics())
        page.goto(site + f"/appointments/{token}/{part}")

    return opens


PAGES: dict[str, str | Callable[..., None]] = {
    "home": "/",
    "smp": "/scalp-micropigmentation/",
    "laser removal": "/laser-removal/",
    "about": "/about/",
    "team": "/team/",
    "visit us": "/visit/laser-reverse/",
    "prices": "/prices/",
    "privacy": "/privacy/",
    "article list": "/articles/",
    "topic": "/articles/topic/scalp-micropigmentation/",
    "article": "{article}",
    "tag": "/articles/tag/micropigmentation/",
    "search results": "/articles/search/?q=micropigmentation",
    "gallery": "/portfolio/",
    "case": "{case}",
    "form": "/book/",
    "form with errors": form_with_errors,
    "thank-you": thank_you,
    "404": "/no-such-page/",
    "413": too_large,
    "429": rate_limited,
    "booking: what it is about": "/book/times/",
    "booking: times": times,
    "booking: times at Laser Reverse": laser_times,
    "booking: details with mistakes": details,
    "booking: booked": booked,
    "appointment": appointment_page(""),
    "appointment: move": appointment_page("move/"),
    "appointment: cancel": appointment_page("cancel/"),
    "appointment: link expired": "/appointments/" + "x" * 43 + "/",
}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_fits_320px_without_sideways_scrolling(
    page: Page, site: str, content, settings, name: str
):
    opens = PAGES[name]
    if callable(opens):
        opens(page, site, settings)
    else:
        page.goto(site + opens.format(**content))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{name}: {width}px wide"
