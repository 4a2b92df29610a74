"""Reception opens the business report in a real browser: no accessibility violations, each
chart named for assistive technology, and nothing wider than a 320 px screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Appointment
from tests.bookings.report_data import booked, received
from tests.e2e.axe import assert_no_violations
from tests.e2e.pages import sign_in
from tests.factories import ArticleFactory, staff_user

CHARTS = [
    "Enquiries and appointments per month",
    "Enquiries by type, and how many went on to book",
    "Where visitors came from: enquiries and bookings by page",
]


@pytest.fixture
def a_few_months(site) -> str:
    """Enquiries over the last months, some booked and attended, some from an article with
    the site's longest kind of title."""
    staff_user("restoration-u")
    article = ArticleFactory(title="What to Ask at Your Free Scalp Micropigmentation Consultation")
    now = timezone.now()
    for days in range(5, 150, 9):
        enquiry = received(
            now - datetime.timedelta(days=days),
            contacted_after=datetime.timedelta(hours=days % 7 + 1),
            source=article.get_absolute_url() if days % 2 else "/",
            enquiry_type="new_smp" if days % 3 else "smp_correction",
        )
        if days % 4 == 1:
            booked(
                enquiry,
                starts_at=enquiry.created_at + datetime.timedelta(days=3),
                outcome=Appointment.Outcome.ATTENDED,
            )
    return site


def open_the_report(page: Page, site: str) -> None:
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Business report")


def test_the_report_has_no_accessibility_violations(page: Page, a_few_months):
    open_the_report(page, a_few_months)
    assert_no_violations(page, "the business report")


def test_the_report_with_a_filter_it_cannot_use_has_no_accessibility_violations(
    page: Page, a_few_months
):
    open_the_report(page, a_few_months)
    page.goto(a_few_months + "/admin/reports/?start=2026-02-30&enquiry_type=nothing")
    expect(page.get_by_role("alert")).to_contain_text("Some filters could not be used")
    assert_no_violations(page, "the business report with filters it could not use")


def test_each_chart_is_an_image_named_by_its_title_and_description(page: Page, a_few_months):
    open_the_report(page, a_few_months)
    for title in CHARTS:
        chart = page.get_by_role("img", name=re.compile(re.escape(title)))
        expect(chart).to_be_visible()
        expect(chart).to_have_accessible_name(re.compile(r"The table beside the chart"))


def test_reception_changes_the_report_to_weeks_with_the_form(page: Page, a_few_months):
    open_the_report(page, a_few_months)
    page.get_by_label("Week", exact=True).check()
    page.get_by_label("From:", exact=True).fill("")
    page.get_by_label("To:", exact=True).fill("")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("img", name=re.compile("per week"))).to_be_visible()


@pytest.mark.parametrize("viewport", ["small-phone"], indirect=True)
def test_at_320_pixels_wide_the_report_does_not_scroll_sideways(page: Page, a_few_months):
    open_the_report(page, a_few_months)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.locator("svg.chart").evaluate_all(
        "charts => Math.max(...charts.map(c => c.getBoundingClientRect().right))"
    )
    assert widest <= 320
    assert_no_violations(page, "the business report at 320 px")
