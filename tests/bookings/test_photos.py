"""Photos sent with a consultation request, through the real form: decoded once, kept small,
without metadata; and error reports for the form that carry none of the visitor's details."""

import pytest
from PIL import Image

from bookings.models import ConsultationRequest
from bookings.services import enquiries
from restoration_site import error_mail
from tests.bookings.helpers import valid_form_data
from tests.html import parse
from tests.images import photo_with_exif, png_claiming, upload

pytestmark = pytest.mark.django_db
FORM = "/book/"


def test_each_photo_is_decoded_once_in_a_request(client, monkeypatch):
    opened = []
    real_open = Image.open

    def counting_open(fp, *args, **kwargs):
        opened.append(getattr(fp, "name", fp))
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    data = valid_form_data(photos=[photo_with_exif(name=f"scalp-{n}.jpg") for n in range(3)])
    response = client.post(FORM, data)
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().photos.count() == 3
    assert len(opened) == 3


def test_a_large_photo_is_stored_shrunk_to_the_long_edge_without_metadata(client, settings):
    data = valid_form_data(photos=[photo_with_exif(width=5000, height=3750, orientation=6)])
    client.post(FORM, data)
    photo = ConsultationRequest.objects.get().photos.get()
    with photo.image.open("rb") as file, Image.open(file) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1920, 2560)  # upright: the phone was held sideways
        assert max(stored.size) == settings.ENQUIRY_PHOTO_MAX_EDGE
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(0x8825)  # GPS
    assert photo.image.name.endswith(".jpg")


def test_a_photo_over_its_formats_pixel_limit_is_refused_by_name_and_nothing_is_stored(
    client, private_media_root
):
    # The form checks each photo with the enquiry limits; every kind of refusal is tested
    # once, in tests/restoration_site/test_images.py.
    screenshot = upload(png_claiming(4200, 4000), "screenshot.png", "image/png")
    response = client.post(FORM, valid_form_data(photos=[screenshot]))
    assert response.status_code == 200
    errors = parse(response).select_one("#div_id_photos").get_text(" ", strip=True)
    assert "screenshot.png: This image is 4200 x 4000 pixels, larger than 16 megapixels" in errors
    assert not ConsultationRequest.objects.exists()
    assert not private_media_root.exists() or not any(private_media_root.rglob("*.*"))


def test_an_error_report_for_the_form_carries_none_of_the_visitors_details(
    client, settings, mailoutbox, monkeypatch
):
    settings.ADMINS = [("Clinic tech", "tech@restoration-u.example")]
    # A report on the same error sent earlier in the run would hold this one back.
    monkeypatch.setattr(error_mail.throttle, "sent", {})

    def failing(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(enquiries, "create_consultation_request", failing)
    client.raise_request_exception = False
    details = {
        "full_name": "Morgan Invented",
        "email": "morgan.invented@client.example",
        "phone": "020 7946 0958",
        "message": "Alopecia areata since my twenties, a scar above the left ear.",
    }
    response = client.post(FORM, valid_form_data(**details))
    assert response.status_code == 500
    # The report is sent from a background thread: wait for it.
    assert error_mail.wait_until_sent()
    (report,) = mailoutbox
    assert "RuntimeError" in report.body
    texts = [report.subject, report.body, *(content for content, _ in report.alternatives)]
    for value in [*details.values(), "2079460958", "+442079460958", "Morgan", "Alopecia"]:
        assert not any(value in text for text in texts), value
