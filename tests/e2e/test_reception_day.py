"""A reception morning at each clinic, in a real browser: the counts on the home page, the
unresolved list first, outcomes recorded with the keyboard, the day sheet and the week grid,
read on screen, on a phone and on paper."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Appointment, ConsultationRequest
from restoration_site.common.clinic_clock import clinic_moment, clinic_today
from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import SMALL_PHONE
from tests.e2e.keyboard import tab_until
from tests.e2e.pages import sign_in
from tests.factories import (
    AppointmentFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    make_enquiry,
    staff_user,
)

CLINICS = {
    "restoration-u": ("Restoration U", "new_smp", "Amelia Hart"),
    "laser-reverse": ("Laser Reverse", "laser_tattoo", "Lara Quinn"),
}
# A4 in landscape at 96 CSS pixels an inch (297 x 210 mm), less the print stylesheet's 10 mm
# margins: the page box the grid is laid out in when printed.
A4_PRINTABLE = {"width": 1047, "height": 718}


@pytest.fixture
def viewport() -> dict:
    return {"width": 1280, "height": 800}


def yesterday() -> datetime.date:
    return clinic_today(timezone.now()) - datetime.timedelta(days=1)


def a_clinics_day(slug: str) -> dict:
    """Yesterday at one clinic: two appointments nobody has recorded an outcome for, and a
    cancelled one; its clients are named after the clinic so another clinic's pages can be
    searched for them."""
    name, enquiry_type, practitioner_name = CLINICS[slug]
    practitioner = PractitionerFactory(name=practitioner_name, clinic=clinic(slug))
    kind = ConsultationTypeFactory(name="Free consultation", clinic=clinic(slug))
    clients = [f"{first} {name.split()[0]}client" for first in ("Ada", "Ben", "Cy")]
    made = []
    for n, full_name in enumerate(clients):
        request = make_enquiry(
            full_name=full_name,
            enquiry_type=enquiry_type,
            status=ConsultationRequest.Status.BOOKED,
        )
        made.append(
            AppointmentFactory(
                request=request,
                practitioner=practitioner,
                consultation_type=kind,
                starts_at=clinic_moment(yesterday(), datetime.time(10 + n)),
            )
        )
    Appointment.objects.filter(pk=made[2].pk).update(
        status=Appointment.Status.CANCELLED, cancelled_by="staff", cancel_reason="Unwell"
    )
    return {"clients": clients, "appointments": made, "practitioner": practitioner}


@pytest.mark.parametrize("slug", ["restoration-u", "laser-reverse"])
def test_a_reception_morning_records_yesterdays_outcomes_by_keyboard(
    page: Page, site: str, slug: str
):
    other = "laser-reverse" if slug == "restoration-u" else "restoration-u"
    ours, theirs = a_clinics_day(slug), a_clinics_day(other)
    staff_user(slug)
    sign_in(page, site, f"reception-{slug}")
    name = CLINICS[slug][0]

    # The home page: yesterday's unresolved appointments are the first thing after the skip link.
    expect(page.locator(".reception-today caption")).to_have_text(f"Today at {name}")
    unresolved = page.locator(".reception-first a")
    expect(unresolved).to_have_text("2 past appointments without an outcome: record who came")
    for client_name in theirs["clients"]:
        expect(page.get_by_text(client_name)).to_have_count(0)
    assert_no_violations(page, f"the home page ({name})")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-to-content-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(unresolved).to_be_focused()
    page.keyboard.press("Enter")

    # The unresolved list: each row's buttons, reached with Tab, record what happened.
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert_no_violations(page, f"the unresolved list ({name})")
    first, second = ours["clients"][:2]

    def button(label: str, client_name: str):
        # The visible word, then (for screen readers) whose appointment it is.
        return page.get_by_role("button", name=re.compile(rf"^{label}\s*: {client_name}$"))

    tab_until(page, button("Attended", first), limit=200)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(f"{first}, ")
    expect(page.locator(".messagelist")).to_contain_text(": attended.")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    tab_until(page, button("No-show", second), limit=200)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(": no-show.")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
    outcomes = dict(
        Appointment.objects.filter(request__full_name__in=[first, second]).values_list(
            "request__full_name", "outcome"
        )
    )
    assert outcomes == {first: "attended", second: "no_show"}
    assert not Appointment.objects.filter(
        request__full_name__in=theirs["clients"], outcome__gt=""
    ).exists()

    # Yesterday's sheet: the outcomes, the cancelled one struck through, a way to change.
    page.goto(site + "/admin/bookings/appointment/day/")
    page.get_by_role("link", name="Previous day").click()
    sheet = page.locator(".reception-practitioner")
    expect(sheet.locator("h3")).to_have_text([CLINICS[slug][2]])
    rows = sheet.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Attended")
    expect(rows.nth(1)).to_contain_text("No-show")
    expect(rows.nth(2).locator("del")).to_have_text("12:00 to 12:30")
    expect(
        rows.nth(0).get_by_role("button", name=re.compile(rf"^Change to No-show\s*: {first}"))
    ).to_be_visible()
    assert_no_violations(page, f"the day sheet ({name})")

    # The week: all of it in a table, this clinic's only.
    page.get_by_role("link", name="The week").click()
    grid = page.locator(".reception-grid table")
    expect(grid).to_have_count(1)
    expect(grid.locator("caption")).to_contain_text(f"{name}, week of")
    expect(grid.locator("tbody th[scope=row]")).to_have_text([CLINICS[slug][2]])
    expect(grid.locator("li")).to_have_count(3)
    expect(grid.locator("li.cancelled del")).to_have_count(1)
    for client_name in theirs["clients"]:
        expect(page.get_by_text(client_name.split()[-1])).to_have_count(0)
    assert_no_violations(page, f"the week grid ({name})")


def test_the_week_grid_is_walked_by_keyboard_in_reading_order(page: Page, site: str):
    day = a_clinics_day("restoration-u")
    staff_user("restoration-u")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/bookings/appointment/week/")
    previous = page.get_by_role("link", name="Previous week")
    tab_until(page, previous, limit=80)
    for target in (
        page.get_by_role("link", name="This week"),
        page.get_by_role("link", name="Next week"),
        page.get_by_role("link", name="The day sheet"),
        page.locator(".reception-grid"),
        page.locator(".reception-grid thead th a").first,
    ):
        tab_until(page, target, limit=1)
    appointment = day["appointments"][0]
    link = page.locator(f".reception-grid a[href$='/appointment/{appointment.pk}/change/']")
    tab_until(page, link, limit=20)
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + f"/admin/bookings/appointment/{appointment.pk}/change/")


@pytest.mark.parametrize("viewport", [A4_PRINTABLE])
def test_the_week_grid_prints_on_one_a4_landscape_page_without_the_admins_header(
    page: Page, site: str
):
    day = a_clinics_day("restoration-u")
    # A clinic's team: five practitioners, some with long names.
    for n in range(4):
        PractitionerFactory(name=f"Alexandra Montgomery-Fitzwilliam {n}")
    staff_user("restoration-u")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + f"/admin/bookings/appointment/week/{yesterday().isoformat()}/")
    expect(page.locator("#header")).to_be_visible()
    page.emulate_media(media="print")
    for chrome in ("#header", ".breadcrumbs", ".reception-nav", "#nav-sidebar"):
        expect(page.locator(chrome)).to_be_hidden()
    table = page.locator(".reception-grid table")
    expect(table).to_be_visible()
    assert table.evaluate("t => t.getBoundingClientRect().right") <= A4_PRINTABLE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_PRINTABLE["width"]
    expect(table.locator("li")).to_have_count(len(day["appointments"]))
    # Printed as the stylesheet asks (A4 landscape, 10 mm margins): one sheet.
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize("viewport", [SMALL_PHONE])
def test_on_a_small_phone_the_week_scrolls_inside_its_own_box_and_the_page_does_not(
    page: Page, site: str
):
    a_clinics_day("restoration-u")
    staff_user("restoration-u")
    sign_in(page, site, "reception-restoration-u")
    for address in (
        "/admin/",
        "/admin/bookings/appointment/day/",
        "/admin/bookings/appointment/week/",
    ):
        page.goto(site + address)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, address
        assert_no_violations(page, f"{address} at 320 px")
    grid = page.locator(".reception-grid")
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")
