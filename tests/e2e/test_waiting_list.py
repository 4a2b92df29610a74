"""The waiting list in a real browser on a 390x844 phone: a visitor joins from the times page
(with JavaScript on, and off), reception cancels an appointment in the admin, the offer email
goes out through a real SMTP server, and the visitor books the freed time from its link;
axe-core's WCAG 2.2 AA rules on the join, confirmation and claim pages and the admin's
waiting list."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Appointment, WaitingListEntry, WaitingListOffer
from bookings.services import client_links, outbox, waiting_list
from restoration_site.common.clinic_clock import appointment_label_with_zone, clinic_moment
from tests.bookings.booking_pages import book_online
from tests.e2e.axe import assert_no_violations
from tests.e2e.booking_data import open_clinics
from tests.e2e.conftest import DESKTOP, PHONE, SMALL_PHONE
from tests.e2e.pages import sign_in
from tests.factories import staff_user

on_a_phone = pytest.mark.parametrize("viewport", ["phone"], indirect=True)
OFFER_PATH = re.compile(r"/book/waiting-list/offers/[A-Za-z0-9_:.-]+/")
VISITOR = "avery@client.example"


@pytest.fixture
def clinics(site) -> dict:
    return open_clinics()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def in_three_days(clock: str) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=3)
    return clinic_moment(day, datetime.time.fromisoformat(clock))


def join_from_the_times_page(page: Page, site: str) -> None:
    """Open the times page and join the waiting list for mornings in the coming week."""
    page.goto(site + "/book/times/?type=new_smp&from=/portfolio/a-soft-hairline/")
    page.get_by_role("link", name="Tell me if something earlier comes up").click()
    expect(heading(page)).to_have_text("Tell me if something earlier comes up")
    latest = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Latest date").fill(latest.isoformat())
    page.get_by_label("Mornings").check()
    page.get_by_label("Full name").fill("Avery Waiting")
    page.get_by_label("Email address").fill(VISITOR)
    page.get_by_label("Phone number").fill("07911 123456")
    page.get_by_label("I agree that the clinic may use").check()
    page.get_by_role("button", name="Join the waiting list").click()
    expect(heading(page)).to_have_text("You are on the waiting list")


def offer_path(smtp_server) -> str:
    """The claim link in the offer email the visitor was sent through the SMTP sink."""
    outbox.send_pending_notifications()
    for message in smtp_server.messages:
        if VISITOR in message["To"] and message["Subject"].startswith("A time has come free"):
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    return OFFER_PATH.search(part.get_payload(decode=True).decode()).group()
    raise AssertionError("no offer email reached the visitor")


@on_a_phone
def test_a_visitor_joins_staff_cancel_and_the_visitor_books_the_freed_time_from_the_email(
    page: Page, browser, site: str, clinics, smtp_server
):
    freed = in_three_days("10:00")
    taken = book_online(
        consultation_type=clinics["smp"], starts_at=freed, practitioner=clinics["amelia"]
    )

    page.goto(site + "/book/waiting-list/?type=new_smp")
    assert_no_violations(page, "join")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violations(page, "join with mistakes")
    join_from_the_times_page(page, site)
    expect(page.locator(".appointment-summary")).to_contain_text("Mornings")
    assert_no_violations(page, "joined")
    assert WaitingListEntry.objects.get().request.source == "/portfolio/a-soft-hairline/"

    staff_user("restoration-u")
    reception = browser.new_context(viewport=DESKTOP, locale="en-GB")
    desk = reception.new_page()
    sign_in(desk, site, "reception-restoration-u")
    desk.goto(site + f"/admin/bookings/appointment/{taken.pk}/change/")
    desk.get_by_role("link", name="Cancel", exact=True).click()
    desk.get_by_label("Why is it cancelled?").fill("The client called to cancel")
    desk.get_by_role("button", name="Cancel it").click()
    expect(desk.locator(".messagelist")).to_contain_text("is cancelled")

    path = offer_path(smtp_server)
    desk.goto(site + "/admin/bookings/waitinglistentry/")
    expect(desk.locator("#result_list")).to_contain_text("A time is offered")
    assert_no_violations(desk, "the admin's waiting list")
    desk.locator("#result_list .field-joined a").click()
    expect(desk.locator("#offers-group")).to_contain_text(appointment_label_with_zone(freed))
    assert_no_violations(desk, "an entry of the admin's waiting list")
    desk.goto(site + "/admin/bookings/waitinglistoffer/")
    expect(desk.locator("#result_list")).to_contain_text("Avery Waiting")
    assert_no_violations(desk, "the admin's waiting list offers")
    reception.close()

    page.goto(site + path)
    expect(heading(page)).to_have_text("A time has come free")
    expect(page.locator("main")).to_contain_text(appointment_label_with_zone(freed))
    assert_no_violations(page, "claim")
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")
    appointment = Appointment.objects.get(request__email=VISITOR)
    assert (appointment.starts_at, appointment.is_booked) == (freed, True)
    assert WaitingListOffer.objects.get().status == WaitingListOffer.Status.CLAIMED


def test_without_javascript_a_visitor_joins_and_books_an_offered_time_even_at_320_pixels(
    browser, site: str, clinics
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    join_from_the_times_page(page, site)
    entry = WaitingListEntry.objects.get()
    assert entry.time_of_day == "morning"

    offer = waiting_list.offer_freed_time(
        practitioner=clinics["tom"], starts_at=in_three_days("09:30"), now=timezone.now()
    )
    assert offer.entry == entry
    token = client_links.make_token(purpose=client_links.WAITING_LIST_OFFER, pk=offer.pk)
    page.set_viewport_size(SMALL_PHONE)
    page.goto(site + f"/book/waiting-list/offers/{token}/")
    expect(heading(page)).to_have_text("A time has come free")
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    page.get_by_role("button", name="Book this time").click()
    expect(heading(page)).to_have_text("Your consultation is booked")
    assert Appointment.objects.get(request=entry.request).practitioner == clinics["tom"]

    page.goto(site + "/book/waiting-list/?type=new_smp")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    context.close()
