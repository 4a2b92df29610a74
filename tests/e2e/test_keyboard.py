"""The whole consultation request with the keyboard alone: Tab, Space and Enter."""

from playwright.sync_api import Page, expect

from bookings.models import ConsultationRequest
from tests.e2e.keyboard import tab_to, type_into


def test_a_visitor_requests_a_consultation_with_the_keyboard_alone(page: Page, site: str):
    page.goto(site + "/book/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")

    # Sending the empty form: the errors are announced and each is one Tab away.
    tab_to(page, "submit-id-submit")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    page.locator("#main").focus()
    for _ in range(40):  # Tab from the top of the content to the summary's first link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#form-errors') !== null"):
            break
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_full_name")).to_be_focused()

    page.keyboard.type("Jamie Example")
    type_into(page, {"id_email": "jamie@client.example", "id_phone": "07911 123456"})
    tab_to(page, "id_contact_method_0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_contact_method_1")).to_be_checked()
    tab_to(page, "id_enquiry_type")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_enquiry_type")).to_have_value("new_smp")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    tab_to(page, "submit-id-submit")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request has reached us"
    )
    enquiry = ConsultationRequest.objects.get()
    assert (enquiry.full_name, enquiry.contact_method) == ("Jamie Example", "phone")
