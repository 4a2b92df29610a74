"""A reception morning at each clinic, from end to end in a real browser: the counts on the home
page, yesterday's unresolved appointments given their outcomes, three times offered to a
call-back enquiry and one accepted by the client from the email (through a real SMTP server),
a cancellation offered to the waiting list and taken by the second client, and the week grid
showing all of it; the other clinic's clients, appointments and counts never on the page; axe
finds nothing on any of reception's pages."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from bookings.models import Appointment, ConsultationRequest, WaitingListOffer
from bookings.services import appointments, outbox
from restoration_site.common.clinic_clock import clinic_moment, clinic_today
from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import PHONE
from tests.e2e.pages import sign_in
from tests.factories import (
    AppointmentFactory,
    ConsultationTypeFactory,
    PractitionerFactory,
    clinic,
    hours,
    make_enquiry,
    staff_user,
    waiting_list_entry,
)

# Each clinic's clients have surnames of their own: the week grid shows surnames, and the other
# clinic's pages are searched for them.
CLINICS = {
    "restoration-u": {
        "name": "Restoration U",
        "type": "new_smp",
        "who": "Amelia Hart",
        "clients": ["Ada Ashworth", "Ben Barrow", "Cy Carver", "Dee Dunmore", "Eve Ellery"],
    },
    "laser-reverse": {
        "name": "Laser Reverse",
        "type": "laser_smp",
        "who": "Lara Quinn",
        "clients": ["Ada Ainsley", "Ben Bexley", "Cy Cranmer", "Dee Delaney", "Eve Everly"],
    },
}
OFFER_LINK = re.compile(r"/book/(?:offers|waiting-list/offers)/[A-Za-z0-9_:.-]+/")


@pytest.fixture
def viewport() -> dict:
    """Reception's screen; each client's phone is a context of its own."""
    return {"width": 1280, "height": 800}


def today() -> datetime.date:
    return clinic_today(timezone.now())


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


def at(on: datetime.date, clock: str) -> datetime.datetime:
    return clinic_moment(on, datetime.time.fromisoformat(clock))


def a_clinics_morning(slug: str) -> dict:
    """One clinic's day before reception arrives. Its practitioner works 09:00 to 12:00 every
    day. Yesterday: two appointments nobody has given an outcome. A call-back enquiry asking
    for a morning four days from now. A client booked online at 11:00 five days from now, and a
    second client waiting for any morning in the coming week."""
    about = CLINICS[slug]
    ada, ben, cy, dee, eve = about["clients"]
    practitioner = PractitionerFactory(name=about["who"], clinic=clinic(slug))
    for weekday in range(7):
        hours(practitioner, weekday, "09:00", "12:00")
    consultation = ConsultationTypeFactory(name="Free consultation", clinic=clinic(slug))
    yesterdays = []
    for n, full_name in enumerate((ada, ben)):
        yesterdays.append(
            AppointmentFactory(
                request=make_enquiry(
                    full_name=full_name,
                    email=f"{full_name.split()[0].lower()}@{slug}.example",
                    enquiry_type=about["type"],
                    status=ConsultationRequest.Status.BOOKED,
                ),
                practitioner=practitioner,
                consultation_type=consultation,
                starts_at=at(day(-1), f"{9 + n:02d}:00"),
            )
        )
    call_back = make_enquiry(
        full_name=cy,
        email=f"cy@{slug}.example",
        enquiry_type=about["type"],
        preferred_dates=[day(4)],
        preferred_time="morning",
    )
    cancelling = appointments.book_consultation(
        full_name=dee,
        email=f"dee@{slug}.example",
        phone="+447911123456",
        contact_method="email",
        enquiry_type=about["type"],
        consultation_type=consultation,
        starts_at=at(day(5), "11:00"),
        practitioner=practitioner,
    )
    waiting = waiting_list_entry(
        consultation_type=consultation,
        full_name=eve,
        email=f"eve@{slug}.example",
        earliest=day(1),
        latest=day(7),
        time_of_day="morning",
    )
    return {
        "name": about["name"],
        "who": about["who"],
        "clients": about["clients"],
        "yesterdays": yesterdays,
        "call_back": call_back,
        "cancelling": cancelling,
        "waiting": waiting,
    }


def link_sent_to(smtp_server, address: str) -> str:
    """The offer link in the latest email to `address`, sent by the outbox through the SMTP
    sink."""
    outbox.send_pending_notifications()
    for message in reversed(smtp_server.messages):
        if address in message["To"]:
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    found = OFFER_LINK.search(part.get_payload(decode=True).decode())
                    if found:
                        return found.group()
    raise AssertionError(f"no offer email reached {address}")


def on_a_phone(browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    return context, context.new_page()


def assert_none_of(page: Page, clients: list[str]) -> None:
    for name in clients:
        expect(page.get_by_text(name.split()[-1])).to_have_count(0)


@pytest.mark.parametrize("slug", ["restoration-u", "laser-reverse"])
def test_a_reception_morning_from_the_counts_to_a_full_week(
    page: Page, browser, site: str, smtp_server, slug: str
):
    other = "laser-reverse" if slug == "restoration-u" else "restoration-u"
    ours, theirs = a_clinics_morning(slug), a_clinics_morning(other)
    staff_user(slug)
    sign_in(page, site, f"reception-{slug}")

    # The counts, ours only (the other clinic has the same morning: a leak would double them):
    # five enquiries received today, one still new, none for today, two unresolved.
    today_block = page.locator(".reception-today")
    expect(today_block.locator("caption")).to_have_text(f"Today at {ours['name']}")
    counts = today_block.locator("td.reception-count")
    expect(counts).to_have_count(5)
    for cell, count in zip(range(5), (5, 0, 0, 0, 2), strict=True):
        expect(counts.nth(cell)).to_have_text(re.compile(rf"^{count} "))
    assert_none_of(page, theirs["clients"])
    assert_no_violations(page, f"the home page ({ours['name']})")

    # The unresolved list first: outcomes for yesterday's two.
    page.locator(".reception-first a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert_none_of(page, theirs["clients"])
    assert_no_violations(page, f"the unresolved list ({ours['name']})")
    ada, ben = ours["clients"][:2]
    page.get_by_role("button", name=re.compile(rf"^Attended\s*: {ada}$")).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("button", name=re.compile(rf"^No-show\s*: {ben}$")).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(0)

    # Three times offered to the call-back enquiry: its preferred day's mornings, preselected.
    enquiry = ours["call_back"]
    page.goto(f"{site}/admin/bookings/consultationrequest/{enquiry.pk}/change/")
    assert_no_violations(page, f"a call-back enquiry ({ours['name']})")
    page.get_by_role("link", name="Offer times").click()
    expect(page.locator("input[name=times]:checked")).to_have_count(3)
    assert_no_violations(page, f"the offer times page ({ours['name']})")
    page.get_by_role("button", name="Offer these times").click()
    expect(page.locator(".messagelist")).to_contain_text("Three times offered to")

    # The client accepts the second time from the email, on a phone.
    phone, client = on_a_phone(browser)
    client.goto(site + link_sent_to(smtp_server, enquiry.email))
    client.get_by_role("radio").nth(1).check()
    client.get_by_role("button", name="Book this time").click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Your consultation is booked")
    phone.close()
    enquiry.refresh_from_db()
    assert enquiry.status == ConsultationRequest.Status.BOOKED
    accepted = enquiry.appointment
    offered = enquiry.time_offers.get().times.values_list("starts_at", flat=True)
    assert accepted.starts_at in set(offered)

    # Dee calls to cancel: the time is offered to Eve, who waits for a morning this week.
    cancelled = ours["cancelling"]
    page.goto(f"{site}/admin/bookings/appointment/{cancelled.pk}/change/")
    page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_label("Why is it cancelled?").fill("The client called to cancel")
    page.get_by_role("button", name="Cancel it").click()
    expect(page.locator(".messagelist")).to_contain_text("is cancelled")
    phone, client = on_a_phone(browser)
    client.goto(site + link_sent_to(smtp_server, ours["waiting"].request.email))
    client.get_by_role("button", name="Book this time").click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Your consultation is booked")
    phone.close()
    taken = Appointment.objects.get(request=ours["waiting"].request)
    assert taken.starts_at == cancelled.starts_at
    assert ours["waiting"].offers.get().status == WaitingListOffer.Status.CLAIMED

    # Every offer made is there for staff to see, and only this clinic's.
    page.goto(site + "/admin/bookings/waitinglistoffer/")
    expect(page.locator("#result_list")).to_contain_text(ours["clients"][4])
    assert_none_of(page, theirs["clients"])
    assert_no_violations(page, f"the waiting list offers ({ours['name']})")

    # The week grids: yesterday's outcomes, the accepted offer, the cancellation and the
    # waiting client in its place.
    shown = {}
    for moment in (at(day(-1), "09:00"), accepted.starts_at, cancelled.starts_at):
        page.goto(f"{site}/admin/bookings/appointment/week/{moment.date().isoformat()}/")
        grid = page.locator(".reception-grid table")
        expect(grid.locator("tbody th[scope=row]")).to_have_text([ours["who"]])
        shown[moment] = grid.inner_text()
        assert_none_of(page, theirs["clients"])
        assert_no_violations(page, f"the week grid ({ours['name']})")
    week_text = "\n".join(shown.values())
    for name in ours["clients"]:
        assert name.split()[-1] in week_text, name
    expect(page.locator(".reception-grid li.cancelled del")).to_have_count(1)

    # The day sheet of yesterday holds the outcomes given this morning.
    page.goto(f"{site}/admin/bookings/appointment/day/{day(-1).isoformat()}/")
    rows = page.locator(".reception-practitioner tbody tr")
    expect(rows.nth(0)).to_contain_text("Attended")
    expect(rows.nth(1)).to_contain_text("No-show")
    assert_no_violations(page, f"the day sheet ({ours['name']})")

    # The other clinic's morning is untouched by ours.
    assert not Appointment.objects.filter(
        request__full_name__in=theirs["clients"], outcome__gt=""
    ).exists()
    assert theirs["waiting"].offers.count() == 0
