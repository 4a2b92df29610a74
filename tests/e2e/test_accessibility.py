"""axe-core with the WCAG 2.2 AA rules: no violations on any page type, phone and desktop."""

import pytest
from playwright.sync_api import Page, expect

from tests.bookings.helpers import valid_form_data
from tests.e2e.axe import assert_no_violations
from tests.e2e.consultation_form import fill_in_the_form
from tests.e2e.pages import FIXED_PAGES
from tests.factories import (
    ArticleFactory,
    BeforeAfterCaseFactory,
    ClientReviewFactory,
    PractitionerFactory,
    clinic,
    hours,
)


@pytest.fixture
def content():
    article = ArticleFactory(title="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP")
    ArticleFactory.create_batch(3)
    case = BeforeAfterCaseFactory(featured=True)
    ClientReviewFactory(case=case, show_case_photo=True)
    ClientReviewFactory(is_example=True, rating=None)
    BeforeAfterCaseFactory(not_our_work=True)
    hours(PractitionerFactory(with_photo=True), 0, "09:00", "13:00")
    PractitionerFactory(clinic=clinic("laser-reverse"))
    return {"article": article, "case": case}


def test_public_pages_have_no_accessibility_violations(page: Page, site: str, content):
    paths = [
        *FIXED_PAGES,
        content["article"].get_absolute_url(),
        "/portfolio/",
        content["case"].get_absolute_url(),
        "/portfolio/reviews/",
        "/book/",
        "/book/?type=laser_smp",
        "/no-such-page/",
    ]
    for path in paths:
        page.goto(site + path)
        assert_no_violations(page, path)


def test_the_form_with_errors_and_the_thank_you_page_have_no_violations(page: Page, site: str):
    page.goto(site + "/book/")
    page.get_by_role("button", name="Send my request").click()
    assert page.get_by_role("alert").is_visible()
    assert_no_violations(page, "form with errors")
    data = valid_form_data()
    page.get_by_label("Full name").fill(data["full_name"])
    page.get_by_label("Email address").fill(data["email"])
    page.get_by_label("Phone number").fill(data["phone"])
    page.get_by_label("What would you like to talk about?").select_option("new_smp")
    page.get_by_label("I agree that the clinic may use").check()
    page.get_by_role("button", name="Send my request").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    assert_no_violations(page, "thank-you page")


def test_the_form_with_a_photo_left_out_has_no_violations(page: Page, site: str):
    page.goto(site + "/book/")
    page.get_by_label("Photos of your scalp").set_input_files(
        [{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"}]
    )
    expect(page.locator("#photos-status")).to_contain_text("was left out")
    assert_no_violations(page, "form with a photo left out")


@pytest.mark.parametrize(
    ("setting", "value", "heading"),
    [
        ("MAX_REQUEST_BYTES", 1024, "That was too large to send"),
        ("CONSULTATION_RATE_LIMIT", 0, "Please wait a few minutes"),
    ],
    ids=["413", "429"],
)
def test_the_pages_for_a_refused_form_have_no_violations(
    page: Page, site: str, settings, setting, value, heading
):
    setattr(settings, setting, value)
    page.goto(site + "/book/?type=new_smp")
    fill_in_the_form(page)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_violations(page, heading)
