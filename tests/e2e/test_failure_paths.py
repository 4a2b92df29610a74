"""What a visitor on a phone meets when sending the consultation form goes wrong: a mistake in
the form, photos too large to send, the server's 413 page. On a 390px phone and a 320px one."""

import re

import pytest
from playwright.sync_api import Page, expect

from bookings.models import ConsultationRequest
from tests.e2e.consultation_form import fill_in_the_form
from tests.images import noise_photo, photo_bytes

pytestmark = pytest.mark.parametrize("viewport", ["phone", "small-phone"], indirect=True)

SUMMARY_TOP = "document.getElementById('form-errors').getBoundingClientRect().top + scrollY"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def send_the_empty_form(page: Page, site: str) -> None:
    page.goto(site + "/book/")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def phone_photos(tmp_path_factory):
    """Three photos as a modern phone takes them, together over the request limit: two 12
    megapixel JPEGs of about 13 MB and a 12 MB PNG screenshot."""
    folder = tmp_path_factory.mktemp("phone-photos")
    files = {
        "IMG_0001.jpg": noise_photo(4032, 3024, quality=94),
        "IMG_0002.jpg": noise_photo(4032, 3024, quality=94),
        "Screenshot.png": noise_photo(2000, 2000, "PNG"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


# 1. After a failed submit, the error summary is what the visitor sees.


def test_after_a_failed_submit_focus_is_on_the_error_summary(page: Page, site: str):
    send_the_empty_form(page, site)
    expect(page.get_by_role("alert")).to_be_focused()


def test_the_error_summary_starts_within_the_first_screen(page: Page, site: str):
    send_the_empty_form(page, site)
    assert page.evaluate(SUMMARY_TOP) < page.viewport_size["height"]


def test_the_page_title_starts_with_error_after_a_failed_submit(page: Page, site: str):
    send_the_empty_form(page, site)
    assert page.title().startswith("Error: ")


# 2. The consent error has room, and the summary names it briefly.


def test_the_consent_error_spans_the_form_above_its_checkbox(page: Page, site: str):
    send_the_empty_form(page, site)
    form = page.locator("#consultation-form").bounding_box()
    error = page.locator("#id_consent_error").bounding_box()
    checkbox = page.get_by_label("I agree that the clinic may use").bounding_box()
    assert abs(error["width"] - form["width"]) <= 4
    assert error["y"] + error["height"] <= checkbox["y"]


def test_the_error_summary_names_the_consent_error_briefly(page: Page, site: str):
    send_the_empty_form(page, site)
    expect(page.get_by_role("alert").get_by_role("link").last).to_have_text(
        "Your agreement: We need your agreement to use these details for your consultation."
    )


def test_the_summary_link_for_consent_moves_focus_to_the_checkbox(page: Page, site: str):
    send_the_empty_form(page, site)
    page.get_by_role("link", name=re.compile("^Your agreement")).click()
    expect(page.get_by_label("I agree that the clinic may use")).to_be_focused()


# 3. Photos straight from a phone are made smaller before sending; what cannot be sent is said.


def test_three_large_phone_photos_are_made_smaller_and_sent(
    page: Page, site: str, settings, phone_photos
):
    assert sum(path.stat().st_size for path in phone_photos) > settings.MAX_REQUEST_BYTES
    page.goto(site + "/book/?type=new_smp")
    fill_in_the_form(page)
    page.get_by_label("Photos of your scalp").set_input_files(phone_photos)
    with page.expect_response(lambda r: r.request.method == "POST", timeout=90_000) as sent:
        page.get_by_role("button", name="Send my request").click()
    assert sent.value.status == 302
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request has reached us"
    )
    assert ConsultationRequest.objects.get().photos.count() == 3


def test_a_file_that_is_not_a_photo_is_left_out_with_a_message_beside_the_field(
    page: Page, site: str
):
    page.goto(site + "/book/")
    page.get_by_label("Photos of your scalp").set_input_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"},
            {"name": "IMG_0003.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()},
        ]
    )
    expect(page.locator("#photos-status")).to_contain_text(
        "notes.txt was left out: it is not a JPEG, PNG or WebP photo."
    )
    assert page.evaluate("[...document.getElementById('id_photos').files].map(f => f.name)") == [
        "IMG_0003.jpg"
    ]


def test_a_photo_over_the_number_allowed_is_left_out_with_a_message(
    page: Page, site: str, settings
):
    page.goto(site + "/book/")
    page.get_by_label("Photos of your scalp").set_input_files(
        [
            {"name": f"IMG_{n}.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
            for n in range(settings.MAX_ENQUIRY_PHOTOS + 1)
        ]
    )
    expect(page.locator("#photos-status")).to_contain_text(
        f"IMG_{settings.MAX_ENQUIRY_PHOTOS}.jpg was left out: you can send up to "
        f"{settings.MAX_ENQUIRY_PHOTOS} photos."
    )


def test_photos_still_too_large_to_send_together_are_left_out_with_a_message(
    page: Page, site: str, settings
):
    settings.MAX_REQUEST_BYTES = 1_000_000  # room for one photo of 360 KB, not two
    photo = noise_photo(640, 480, quality=95)
    page.goto(site + "/book/")
    page.get_by_label("Photos of your scalp").set_input_files(
        [
            {"name": name, "mimeType": "image/jpeg", "buffer": photo}
            for name in ("IMG_0001.jpg", "IMG_0002.jpg")
        ]
    )
    expect(page.locator("#photos-status")).to_contain_text(
        "IMG_0002.jpg was left out: together the photos are too large to send."
    )
    assert page.evaluate("[...document.getElementById('id_photos').files].map(f => f.name)") == [
        "IMG_0001.jpg"
    ]


# 3. A request over the limit all the same (no JavaScript, an old browser) ends on the site's
# own page, which says how to get back to the answers.


@pytest.fixture
def too_large(page: Page, site: str, settings) -> Page:
    """The form sent with a message longer than a lowered request limit: the server's 413."""
    settings.MAX_REQUEST_BYTES = 4096
    page.goto(site + "/book/?type=new_smp")
    fill_in_the_form(page)
    page.get_by_label("Anything you would like us to know").fill("My hairline. " * 300)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Send my request").click()
    assert sent.value.status == 413
    page.wait_for_load_state()
    return page


def test_the_413_page_is_the_sites_own_with_the_clinics_phone_number(too_large: Page, settings):
    expect(too_large.get_by_role("banner")).to_be_visible()
    expect(
        too_large.get_by_role("main").get_by_role("link", name=settings.CLINIC_PHONE)
    ).to_have_attribute("href", "tel:" + settings.CLINIC_PHONE.replace(" ", ""))


def test_the_413_page_reflows_without_sideways_scrolling(too_large: Page):
    assert too_large.evaluate(NO_SIDEWAYS_SCROLL)


def test_going_back_from_the_413_page_keeps_what_was_typed(too_large: Page):
    too_large.get_by_role("link", name="Go back to your answers").click()
    expect(too_large.get_by_label("Full name")).to_have_value("Jamie Example")
