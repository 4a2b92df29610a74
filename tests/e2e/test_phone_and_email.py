"""A phone number the form cannot use, said plainly; and the emails a client and the copied
clinic receive, read on a phone."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from bookings.services import outbox, workflow
from tests.factories import make_enquiry, staff_user

PHONES = [{"width": 390, "height": 844}, {"width": 320, "height": 640}]


@pytest.fixture(params=PHONES, ids=["390", "320"])
def viewport(request) -> dict:
    return request.param


def test_an_eleven_digit_number_nobody_uses_is_not_called_the_wrong_length(page: Page, site: str):
    page.goto(site + "/book/")
    page.get_by_label("Full name").fill("Jamie Example")
    page.get_by_label("Email address").fill("jamie@client.example")
    page.get_by_label("Phone number").fill("04911 123456")
    page.get_by_role("button", name="Send my request").click()
    message = page.locator("#id_phone_error")
    expect(message).to_contain_text("No UK phone number starts with 04")
    expect(message).not_to_contain_text("11 digits")
    expect(page.get_by_label("Phone number")).to_have_value("04911 123456")


def sent_html(kind: str) -> str:
    outbox.send_pending_notifications()
    for message in mail.outbox:
        if kind in message.subject:
            return message.alternatives[0][0]
    raise AssertionError(f"no email about {kind!r}")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Laser Reverse has your consultation request", "Laser Reverse will contact you"),
        ("is with Laser Reverse", "The enquiry belongs to Laser Reverse"),
    ],
    ids=["client", "copy"],
)
def test_a_laser_removal_enquirys_emails_read_on_a_phone_without_a_dead_link(
    page: Page, site: str, mailoutbox, subject, expected
):
    make_enquiry(enquiry_type="laser_smp", full_name="Casey Example")
    page.set_content(sent_html(subject))
    expect(page.locator("body")).to_contain_text(expected)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    links = page.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [link for link in links if "/admin/" in link]


def test_a_client_passed_to_the_other_clinic_reads_who_will_call_now(
    page: Page, site: str, mailoutbox
):
    enquiry = make_enquiry(enquiry_type="new_smp", full_name="Casey Example")
    from bookings.models import Clinic

    workflow.reroute_enquiry(
        enquiry=enquiry,
        clinic=Clinic.objects.get(slug="laser-reverse"),
        by=staff_user("restoration-u"),
        reason="Asked about removal",
    )
    page.set_content(sent_html("is now with Laser Reverse"))
    expect(page.locator("body")).to_contain_text("Laser Reverse will contact you")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
