"""Clinic staff work a new enquiry in the admin, in a real browser."""

import csv
import io

from playwright.sync_api import Page, expect

from tests.e2e.pages import sign_in
from tests.factories import make_enquiry, staff_user


def test_reception_finds_an_enquiry_by_reference_works_it_and_exports_it(page: Page, site: str):
    staff_user("restoration-u")
    enquiry = make_enquiry(full_name="Jamie Example")
    make_enquiry(full_name="Someone Else", email="someone@client.example")
    sign_in(page, site, "reception-restoration-u")

    page.locator("tr.model-consultationrequest a", has_text="Consultation requests").click()
    page.locator("#searchbar").fill(enquiry.reference)
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name=enquiry.reference).click()

    page.get_by_label("Status").select_option("contacted")
    page.locator("#notes-0 textarea").fill("Called, consultation on Tuesday at 10.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    enquiry.refresh_from_db()
    assert enquiry.status == "contacted"
    assert enquiry.notes.get().text == "Called, consultation on Tuesday at 10."

    page.locator(f"input.action-select[value='{enquiry.pk}']").check()
    page.get_by_role("combobox", name="Action").select_option("export_csv")
    with page.expect_download() as download:
        page.locator("button[name=index]").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Received", "Name"]
    assert [row[0] for row in rows[1:]] == [enquiry.reference]
    assert rows[1][rows[0].index("Status")] == "Contacted"


def test_laser_reverse_staff_cannot_open_a_restoration_u_enquiry(page: Page, site: str):
    staff_user("laser-reverse")
    theirs = make_enquiry(enquiry_type="new_smp", full_name="Private Person")
    sign_in(page, site, "reception-laser-reverse")
    page.goto(site + f"/admin/bookings/consultationrequest/{theirs.pk}/change/")
    expect(page.get_by_text("Private Person")).to_have_count(0)
    page.goto(site + "/admin/bookings/consultationrequest/")
    expect(page.get_by_text(theirs.reference)).to_have_count(0)
