"""The reception desk on a 1280x800 screen: the admin as a new receptionist meets it."""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from bookings.models import Appointment
from bookings.services import outbox, workflow
from tests.e2e.pages import sign_in
from tests.factories import (
    STAFF_PASSWORD,
    ConsultationTypeFactory,
    PractitionerFactory,
    hours,
    make_enquiry,
    staff_user,
)
from tests.images import photo_with_exif


@pytest.fixture
def viewport() -> dict:
    return {"width": 1280, "height": 800}


def test_laser_reverse_reception_sees_its_own_clinic_in_the_header(page: Page, site: str):
    staff_user("laser-reverse")
    sign_in(page, site, "reception-laser-reverse")
    expect(page.locator("#site-name")).to_have_text("Laser Reverse staff")


def test_the_enquiry_list_fits_the_screen_with_where_each_client_came_from(page: Page, site: str):
    staff_user("restoration-u")
    for n in range(5):
        make_enquiry(
            full_name=f"Alexandra Montgomery-Fitzwilliam {n}",
            email=f"alexandra.montgomery{n}@client.example",
            source="/articles/regretting-smp-what-laser-tattoo-removal-involves-step-by-step/",
        )
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/bookings/consultationrequest/")
    results = page.locator(".results")
    overflow = results.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0
    came_from = page.locator("td.field-came_from").first
    expect(came_from).to_be_in_viewport()


def test_a_photo_opens_larger_in_the_admin_and_downloads_only_when_asked(page: Page, site: str):
    staff_user("restoration-u")
    enquiry = make_enquiry(photos=[photo_with_exif(width=1600, height=1200)])
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + f"/admin/bookings/consultationrequest/{enquiry.pk}/change/")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("link", name="Photo 1 sent with the request, opens larger").click()
    photo = page.locator("figure.enquiry-photo img")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    assert photo.bounding_box()["width"] > 600
    assert downloads == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this photo").click()
    assert download.value.suggested_filename == f"{enquiry.reference}-{enquiry.photos.get().pk}.jpg"


def test_an_enquiry_page_dials_the_client_and_names_the_notes_author(page: Page, site: str):
    user = staff_user("restoration-u")
    enquiry = make_enquiry()
    workflow.add_note(enquiry=enquiry, author=user, text="Left a voicemail.")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + f"/admin/bookings/consultationrequest/{enquiry.pk}/change/")
    expect(page.get_by_role("link", name="+447911123456")).to_have_attribute(
        "href", "tel:+447911123456"
    )
    author = page.locator("#notes-group td.field-written_by").first
    expect(author).to_have_text(user.username)
    expect(author.locator("a")).to_have_count(0)
    expect(page.get_by_role("link", name="View on site")).to_have_count(0)


def test_an_email_page_shows_what_the_client_was_told(page: Page, site: str, mailoutbox):
    staff_user("restoration-u")
    enquiry = make_enquiry()
    outbox.send_pending_notifications()
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + f"/admin/bookings/consultationrequest/{enquiry.pk}/change/")
    confirmation = enquiry.notifications.get(kind="client")
    page.goto(site + f"/admin/bookings/notification/{confirmation.pk}/change/")
    expect(page.locator("pre.email-text")).to_contain_text(
        "Thank you for asking Restoration U for a free consultation"
    )
    expect(page.get_by_text("Next attempt")).to_have_count(0)


def test_the_export_opens_in_a_spreadsheet_with_phone_numbers_as_people_write_them(
    page: Page, site: str
):
    staff_user("restoration-u")
    enquiry = make_enquiry(full_name="Zoë Ångström")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/bookings/consultationrequest/")
    page.locator(f"input.action-select[value='{enquiry.pk}']").check()
    page.get_by_role("combobox", name="Action").select_option("export_csv")
    with page.expect_download() as download:
        page.locator("button[name=index]").click()
    raw = download.value.path().read_bytes()
    assert raw.startswith("\ufeff".encode())
    header, row = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    assert row[header.index("Name")] == "Zoë Ångström"
    assert row[header.index("Phone")] == "07911 123456"


def test_a_case_refused_for_publishing_keeps_its_photos_as_a_draft(
    page: Page, site: str, tmp_path, django_user_model
):
    from tests.images import photo_bytes

    django_user_model.objects.create_superuser("editor", "editor@staff.example", STAFF_PASSWORD)
    sign_in(page, site, "editor")
    page.goto(site + "/admin/portfolio/beforeaftercase/add/")
    before, after = tmp_path / "before.jpg", tmp_path / "after.jpg"
    before.write_bytes(photo_bytes())
    after.write_bytes(photo_bytes())
    page.get_by_label("Title").fill("A soft hairline")
    page.get_by_label("Treatment").select_option("hairline-restoration")
    page.get_by_label("Description").first.fill("Rebuilt over three sessions.")
    page.locator("#id_before_image").set_input_files(before)
    page.get_by_label("Before photo description").fill("Before: a receding hairline")
    page.locator("#id_after_image").set_input_files(after)
    page.get_by_label("After photo description").fill("After: a soft hairline")
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    warning = page.locator(".messagelist .warning")
    expect(warning).to_contain_text("saved as a draft with its photos, not published")
    assert warning.bounding_box()["y"] < 300
    expect(page.locator(".field-before_preview img")).to_be_visible()
    expect(page.locator(".field-after_preview img")).to_be_visible()


def test_reception_finds_a_client_by_the_number_as_they_say_it(page: Page, site: str):
    staff_user("restoration-u")
    wanted = make_enquiry(full_name="Riley Caller", phone="+447911123456")
    make_enquiry(full_name="Someone Else", phone="+447700900123")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/bookings/consultationrequest/")
    page.locator("#searchbar").fill("07911 123456")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody tr th a")).to_have_text(wanted.reference)


def test_reception_books_a_caller_by_phone_then_moves_and_cancels_by_keyboard(
    page: Page, site: str
):
    staff_user("restoration-u")
    practitioner = PractitionerFactory(name="Amelia Hart")
    for weekday in range(7):
        hours(practitioner, weekday, "09:00", "17:00")
    ConsultationTypeFactory(name="Free SMP consultation")
    sign_in(page, site, "reception-restoration-u")
    page.goto(site + "/admin/bookings/appointment/")
    page.get_by_role("link", name="Book an appointment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    def type_into(label: str, text: str) -> None:
        page.get_by_label(label, exact=True).focus()
        page.keyboard.type(text)

    type_into("Client's full name:", "Jordan Caller")
    type_into("Email address:", "jordan@client.example")
    type_into("Phone number:", "07911 123456")
    page.get_by_label("The client agreed on the phone").focus()
    page.keyboard.press("Space")
    first_time = page.locator(".free-times input[name=time]").first
    first_time.focus()
    page.keyboard.press("Space")
    expect(first_time).to_be_checked()
    page.get_by_role("button", name="Book this time").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Jordan Caller: booked for")
    appointment = Appointment.objects.get()
    assert appointment.booked_by.username == "reception-restoration-u"

    page.get_by_role("link", name="Move", exact=True).focus()
    page.keyboard.press("Enter")
    later = page.locator(".free-times input[name=time]").nth(4)
    later.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Move to this time").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Jordan Caller: moved to")
    appointment.refresh_from_db()
    assert appointment.sequence == 1

    page.get_by_role("link", name="Cancel", exact=True).focus()
    page.keyboard.press("Enter")
    type_into("Why is it cancelled?", "Client called: unwell")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("is cancelled")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == ("cancelled", "Client called: unwell")
    expect(page.get_by_role("link", name="Move", exact=True)).to_have_count(0)
