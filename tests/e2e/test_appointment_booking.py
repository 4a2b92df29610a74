"""Booking a time, then moving and cancelling it, in a real browser: on a 390x844 phone, with
the keyboard alone and with JavaScript off; axe-core's WCAG 2.2 AA rules on every step."""

import re

import pytest
from playwright.sync_api import Page, expect

from bookings.forms import iso_moment
from bookings.models import Appointment
from bookings.services import outbox
from tests.e2e.axe import assert_no_violations
from tests.e2e.booking_data import booked_with_link, first_free_time, open_clinics
from tests.e2e.conftest import PHONE
from tests.e2e.keyboard import tab_to, tab_until, type_into
from tests.factories import AppointmentFactory, ArticleFactory, BeforeAfterCaseFactory, topic

on_a_phone = pytest.mark.parametrize("viewport", ["phone"], indirect=True)
MANAGE_PATH = re.compile(r"/appointments/[A-Za-z0-9_-]{43}/")


@pytest.fixture
def clinics(site) -> dict:
    return open_clinics()


def fill_in_the_details(page: Page) -> None:
    page.get_by_label("Full name").fill("Jamie Example")
    page.get_by_label("Email address").fill("jamie@client.example")
    page.get_by_label("Phone number").fill("07911 123456")
    page.get_by_label("I agree that the clinic may use").check()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def latest_manage_path(smtp_server) -> str:
    """The link in the latest email the client was sent, delivered through the SMTP sink."""
    outbox.send_pending_notifications()
    paths = []
    for message in smtp_server.messages:
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                paths += MANAGE_PATH.findall(part.get_payload(decode=True).decode())
    assert paths, "no email carried a link to the appointment"
    return paths[-1]


@on_a_phone
def test_a_phone_visitor_books_at_laser_reverse_from_a_laser_article(
    page: Page, site: str, clinics
):
    article = ArticleFactory(
        title="Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP",
        topic=topic("laser-removal"),
        cta_enquiry_type="laser_smp",
    )
    page.goto(site + article.get_absolute_url())
    page.locator(".cta-block").get_by_role(
        "link", name="Book a free consultation with Laser Reverse"
    ).click()

    expect(heading(page)).to_have_text("Choose a time")
    expect(page.locator(".routing-notice")).to_contain_text(
        "This consultation is with Laser Reverse"
    )
    time = first_free_time(clinics["laser"])
    page.get_by_role("radio", name=time.label_with_zone, exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Your details")
    expect(page.locator(".appointment-summary")).to_contain_text(time.label_with_zone)
    expect(page.locator(".appointment-summary")).to_contain_text("Laser Reverse, 34 Example Road")
    fill_in_the_details(page)
    page.get_by_role("button", name="Book this time").click()

    expect(heading(page)).to_have_text("Your consultation is booked")
    expect(page.locator("main")).to_contain_text("Dan Okafor")
    appointment = Appointment.objects.select_related("clinic", "request").get()
    assert appointment.clinic.slug == "laser-reverse"
    assert appointment.starts_at == time.starts_at
    assert appointment.request.source == article.get_absolute_url()


@on_a_phone
def test_every_time_on_a_phone_is_a_target_of_at_least_24_pixels(page: Page, site: str, clinics):
    page.goto(site + "/book/times/?type=new_smp")
    boxes = page.locator("label.time").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect())"
        ".map(box => [box.width, box.height])"
    )
    assert boxes
    assert min(width for width, _ in boxes) >= 24
    assert min(height for _, height in boxes) >= 24


@on_a_phone
def test_a_keyboard_user_books_at_restoration_u_from_a_portfolio_case(
    page: Page, site: str, clinics
):
    case = BeforeAfterCaseFactory(title="A soft hairline")
    page.goto(site + case.get_absolute_url())
    tab_until(page, page.locator(".cta-block a"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Choose a time")
    practitioner = page.get_by_label("Practitioner")
    tab_until(page, practitioner)
    page.keyboard.press("ArrowDown")
    expect(practitioner).to_have_value("amelia-hart")
    tab_until(page, page.get_by_role("button", name="Show times"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"practitioner=amelia-hart"))

    times = page.locator("input[name=time]")
    tab_until(page, times.first)
    page.keyboard.press("Space")
    expect(times.first).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(times.nth(1)).to_be_checked()
    chosen = times.nth(1).get_attribute("value")
    tab_until(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Your details")
    expect(page.locator(".appointment-summary")).to_contain_text("Amelia Hart")
    type_into(
        page,
        {
            "id_full_name": "Jamie Example",
            "id_email": "jamie@client.example",
            "id_phone": "07911 123456",
        },
    )
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    tab_to(page, "submit-id-submit")
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Your consultation is booked")
    appointment = Appointment.objects.select_related("request").get()
    assert iso_moment(appointment.starts_at) == chosen
    assert appointment.practitioner == clinics["amelia"]
    assert appointment.request.source == case.get_absolute_url()


def test_without_javascript_a_visitor_books_then_moves_and_cancels_from_the_emails(
    browser, site: str, clinics, smtp_server
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(site + "/book/times/?from=/portfolio/a-soft-hairline/")
    page.get_by_label("New SMP treatment").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Practitioner").select_option(label="Tom Reed")
    page.get_by_role("button", name="Show times").click()
    first = first_free_time(clinics["smp"], clinics["tom"])
    page.get_by_role("radio", name=first.label_with_zone, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    fill_in_the_details(page)
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")

    page.goto(site + latest_manage_path(smtp_server))
    expect(heading(page)).to_have_text("Your appointment")
    expect(page.locator("main")).to_contain_text(first.label_with_zone)
    page.get_by_role("button", name="Move this appointment").click()
    later = page.locator("input[name=time]").nth(4)
    later_name = " ".join(page.locator("label.time").nth(4).inner_text().split())
    later.check()
    page.get_by_role("button", name="Move to this time").click()
    expect(heading(page)).to_have_text("Your appointment has moved")
    expect(page.locator("main")).to_contain_text("We've emailed you the updated invite")
    assert later_name in page.locator(".appointment-summary").inner_text()

    page.goto(site + latest_manage_path(smtp_server))
    page.get_by_role("button", name="Cancel this appointment").click()
    page.get_by_label("Why are you cancelling?").fill("I have to work that day")
    page.get_by_role("button", name="Cancel my appointment").click()
    expect(heading(page)).to_have_text("Your appointment is cancelled")
    appointment = Appointment.objects.get()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "I have to work that day"
    context.close()


@on_a_phone
def test_the_booking_pages_have_no_accessibility_violations(page: Page, site: str, clinics):
    page.goto(site + "/book/times/")
    assert_no_violations(page, "what it is about")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "what it is about, not answered")

    page.goto(site + "/book/times/?type=new_smp")
    assert_no_violations(page, "times")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "times, none chosen")

    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Continue").click()
    assert_no_violations(page, "details")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "details with mistakes")

    taken = first_free_time(clinics["smp"])
    for person in (clinics["amelia"], clinics["tom"]):
        AppointmentFactory(
            practitioner=person, consultation_type=clinics["smp"], starts_at=taken.starts_at
        )
    page.goto(
        site
        + "/book/details/?type=new_smp&consultation=free-smp-consultation&time="
        + iso_moment(taken.starts_at)
    )
    expect(page.get_by_role("alert")).to_contain_text("that time has just been taken")
    assert_no_violations(page, "details, time taken")
    page.locator(".alternatives input[name=time]").first.check()
    fill_in_the_details(page)
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")
    assert_no_violations(page, "booked")

    page.goto(site + "/book/details/?type=new_smp&consultation=no-such-consultation")
    assert_no_violations(page, "cannot book")

    _, token = booked_with_link(clinics)
    page.goto(site + f"/appointments/{token}/")
    assert_no_violations(page, "manage")
    page.get_by_role("button", name="Move this appointment").click()
    assert_no_violations(page, "move")
    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "move, none chosen")
    page.goto(site + f"/appointments/{token}/cancel/")
    assert_no_violations(page, "cancel")
    page.get_by_role("button", name="Cancel my appointment").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "cancel, no reason")
    page.get_by_label("Why are you cancelling?").fill("Working")
    page.get_by_role("button", name="Cancel my appointment").click()
    assert_no_violations(page, "cancelled")
    page.goto(site + f"/appointments/{token}/")
    expect(heading(page)).to_have_text("This link has expired or was replaced")
    assert_no_violations(page, "link expired")
