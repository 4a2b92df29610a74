"""From a call-back enquiry to an appointment in a real browser: reception offers three times
with the keyboard alone, the email arrives through a real SMTP server, and the client chooses
one on a 390x844 phone, then the enquiry shows "Consultation booked"; the client's page also
works with JavaScript off (axe-core, a script, runs only where JavaScript is on), and at 320
pixels when every offered time has gone; axe-core's WCAG 2.2 AA rules on both pages."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Appointment, ConsultationRequest, TimeOffer
from bookings.services import client_links, outbox, time_offers
from restoration_site.common.clinic_clock import appointment_label_with_zone, clinic_moment
from tests.bookings.booking_pages import book_online
from tests.e2e.axe import WCAG_22_AA, assert_no_violations
from tests.e2e.conftest import PHONE, SMALL_PHONE
from tests.e2e.keyboard import tab_until
from tests.e2e.pages import sign_in
from tests.factories import (
    ConsultationTypeFactory,
    PractitionerFactory,
    hours,
    make_enquiry,
    staff_user,
)

OFFER_PATH = re.compile(r"/book/offers/[A-Za-z0-9_:.-]+/")
SUBJECT = "Choose a time for your free consultation at Restoration U"


@pytest.fixture
def viewport() -> dict:
    """Reception's screen; the client's phone is a context of its own."""
    return {"width": 1280, "height": 800}


@pytest.fixture
def mornings(site) -> dict:
    """Restoration U with one practitioner, 09:00 to 11:00 every day (seven times a day, so
    a week of times fits a keyboard walk), and a call-back enquiry that asked for a morning
    three days from now."""
    consultation = ConsultationTypeFactory(slug="free-smp-consultation")
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart")
    for weekday in range(7):
        hours(amelia, weekday, "09:00", "11:00")
    day = timezone.localdate() + datetime.timedelta(days=3)
    enquiry = make_enquiry(
        full_name="Ann Example",
        email="ann@client.example",
        preferred_dates=[day],
        preferred_time="morning",
    )
    return {"consultation": consultation, "amelia": amelia, "day": day, "enquiry": enquiry}


def at(day: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def offer_path(smtp_server) -> str:
    """The link in the offer email, delivered through the SMTP sink."""
    outbox.send_pending_notifications()
    for message in smtp_server.messages:
        if message["Subject"] == SUBJECT:
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    return OFFER_PATH.search(part.get_payload(decode=True).decode()).group()
    raise AssertionError("no offer email arrived")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def checkbox(page: Page, day: datetime.date, clock: str):
    return page.locator(f"input[name=times][id$='-{at(day, clock):%Y%m%d%H%M}']").first


def test_reception_offers_three_times_and_the_client_books_one_from_the_email(
    page: Page, browser, site: str, mornings, smtp_server
):
    staff_user("restoration-u")
    enquiry, day = mornings["enquiry"], mornings["day"]
    sign_in(page, site, "reception-restoration-u")
    page.goto(f"{site}/admin/bookings/consultationrequest/{enquiry.pk}/change/")
    tab_until(page, page.get_by_role("link", name="Offer times"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Offer times to Ann Example")
    for clock in ("09:00", "09:15", "09:30"):
        expect(checkbox(page, day, clock)).to_be_checked()
    assert_no_violations(page, "the offer times page")
    # Swap the third suggestion for a later time, with the keyboard, from the button after the
    # date field (Chromium's calendar button inside it takes focus where no script can see).
    page.get_by_role("button", name="Show free times").focus()
    tab_until(page, checkbox(page, day, "09:30"), limit=200)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(checkbox(page, day, "10:00")).to_be_checked()
    expect(checkbox(page, day, "09:30")).not_to_be_checked()
    tab_until(page, page.get_by_role("button", name="Offer these times"), limit=200)
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist")).to_contain_text(
        "Three times offered to Ann Example; the email is on its way."
    )
    expect(page.locator("#time-offers")).to_contain_text("Waiting for the client")
    # The offers block only: the rest of the enquiry's page is not this part's (its notes
    # inline has a textarea labelled only by its column heading).
    results = Axe().run(page, context="#time-offers", options=WCAG_22_AA)
    assert results.response["violations"] == []

    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    client = phone.new_page()
    client.goto(site + offer_path(smtp_server))
    expect(heading(client)).to_have_text("Choose a time for your consultation")
    expect(client.locator("main")).to_contain_text("For Ann Example")
    assert_no_violations(client, "the client's offer page")
    client.get_by_role("button", name="Book this time").click()
    expect(client.locator("#form-errors")).to_be_focused()
    assert_no_violations(client, "the client's offer page, nothing chosen")
    chosen = f"{appointment_label_with_zone(at(day, '10:00'))}, with Amelia Hart"
    client.get_by_role("radio", name=chosen).check()
    client.get_by_role("button", name="Book this time").click()
    expect(heading(client)).to_have_text("Your consultation is booked")
    phone.close()

    page.reload()
    expect(page.get_by_label("Status")).to_have_value(ConsultationRequest.Status.BOOKED)
    expect(page.locator("#time-offers")).to_contain_text("Accepted: booked")
    page.locator("#time-offers").get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("Ann Example")
    appointment = Appointment.objects.get()
    assert appointment.starts_at == at(day, "10:00")
    assert TimeOffer.objects.get().appointment == appointment


def offered(mornings) -> TimeOffer:
    day = mornings["day"]
    return time_offers.offer_times(
        enquiry=mornings["enquiry"],
        consultation_type=mornings["consultation"],
        times=[(mornings["amelia"], at(day, clock)) for clock in ("09:00", "09:45", "10:30")],
        by=staff_user("restoration-u"),
    )


def link(offer: TimeOffer) -> str:
    return f"/book/offers/{client_links.make_token(purpose=client_links.TIME_OFFER, pk=offer.pk)}/"


def test_without_javascript_the_client_is_told_to_choose_then_books(browser, site: str, mornings):
    offer = offered(mornings)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(site + link(offer))
    page.get_by_role("button", name="Book this time").click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Your time: Please choose a time.")
    assert page.title().startswith("Error:")
    summary.get_by_role("link").click()
    page.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")
    assert Appointment.objects.get().starts_at == at(mornings["day"], "09:45")
    context.close()


def test_when_the_offered_times_have_gone_a_small_phone_books_a_free_time_now(
    browser, site: str, mornings
):
    offer = offered(mornings)
    for time in offer.times.all():
        book_online(
            consultation_type=mornings["consultation"],
            starts_at=time.starts_at,
            practitioner=mornings["amelia"],
        )
    context = browser.new_context(viewport=SMALL_PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(site + link(offer))
    expect(page.locator("main")).to_contain_text("have all been booked by someone else")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_violations(page, "the client's offer page, all gone")
    page.locator("label.time").first.click()
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")
    assert Appointment.objects.filter(request=offer.request).exists()
    context.close()
