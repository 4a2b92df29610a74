import json

import pytest
from django.urls import reverse

from bookings.models import ConsultationRequest, Notification
from tests.bookings.helpers import valid_form_data
from tests.factories import STAFF_PASSWORD, make_enquiry, staff_user
from tests.html import headings_h1, page_title, parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db
FORM = "/book/"


def test_the_form_can_open_with_an_enquiry_type_chosen(client):
    soup = parse(client.get(FORM, {"type": "laser_smp"}))
    assert soup.select_one("#id_enquiry_type option[selected]")["value"] == "laser_smp"


def test_an_unknown_enquiry_type_in_the_address_is_ignored(client):
    soup = parse(client.get(FORM, {"type": "<script>"}))
    assert soup.select_one("#id_enquiry_type option[selected]")["value"] == ""


def test_the_form_remembers_which_page_sent_the_visitor(client):
    soup = parse(client.get(FORM, {"from": "/portfolio/case-7/"}))
    assert soup.select_one("input[name=source]")["value"] == "/portfolio/case-7/"


def test_the_visitor_sees_that_laser_removal_details_go_to_laser_reverse(client):
    notice = parse(client.get(FORM, {"type": "laser_tattoo"})).select_one("#routing-notice")
    assert "Your details will go to Laser Reverse" in notice.get_text()
    assert "laser_smp=Laser Reverse" in notice["data-routed-away"]


def test_without_a_laser_type_the_form_still_explains_where_laser_enquiries_go(client):
    notice = parse(client.get(FORM)).select_one("#routing-notice")
    assert "Laser Reverse" in notice.get_text()


def test_the_page_says_plainly_what_happens_next(client):
    text = parse(client.get(FORM)).get_text(" ")
    assert "What happens next" in text
    assert "within one working day" in text


def test_every_field_has_a_label(client):
    soup = parse(client.get(FORM))
    for field in soup.select("#consultation-form input:not([type=hidden]), select, textarea"):
        if field.get("type") in {"submit", "radio"}:
            continue
        assert soup.find("label", attrs={"for": field["id"]}), field["name"]


def test_a_good_request_is_stored_and_redirected_to_a_thank_you_page(client):
    response = client.post(FORM, valid_form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:thank_you")
    enquiry = ConsultationRequest.objects.get()
    assert enquiry.phone == "+447911123456"
    assert enquiry.source == "/articles/regretting-smp-laser-tattoo-removal/"
    thank_you = client.get(response["Location"])
    assert headings_h1(thank_you) == ["Thank you, your request has reached us"]
    assert enquiry.reference in thank_you.content.decode()


def test_the_thank_you_address_carries_no_personal_data(client):
    response = client.post(FORM, valid_form_data())
    location = response["Location"]
    assert "jamie" not in location.lower()
    assert "?" not in location


def test_the_request_does_not_wait_for_email(client, mailoutbox):
    client.post(FORM, valid_form_data())
    assert mailoutbox == []
    assert Notification.objects.filter(status="pending").count() == 2


def test_the_thank_you_page_without_a_request_leads_back_to_the_form(client):
    assert client.get(reverse("bookings:thank_you"))["Location"] == FORM


def test_errors_sit_next_to_their_fields_and_everything_typed_is_kept(client):
    data = valid_form_data(phone="12", email="not-an-email", message="Keep this text")
    response = client.post(FORM, data)
    assert response.status_code == 200
    soup = parse(response)
    phone = soup.select_one("#id_phone")
    assert phone["aria-invalid"] == "true"
    described = soup.find(id=phone["aria-describedby"].split()[-1])
    assert "This number has 2 digits; UK numbers have 11" in described.get_text()
    assert soup.select_one("#id_email")["value"] == "not-an-email"
    assert soup.select_one("#id_full_name")["value"] == "Jamie Example"
    assert soup.select_one("#id_message").get_text().strip() == "Keep this text"
    assert soup.select_one("#id_preferred_date_1")["value"] == data["preferred_date_1"]
    assert ConsultationRequest.objects.count() == 0


def test_an_error_summary_links_to_each_field_in_trouble(client):
    soup = parse(client.post(FORM, valid_form_data(phone="12", consent=None)))
    summary = soup.select_one("#form-errors")
    assert summary["role"] == "alert"
    assert {a["href"] for a in summary.select("a")} == {"#id_phone", "#id_consent"}


def test_the_error_summary_names_the_consent_field_briefly(client):
    summary = parse(client.post(FORM, valid_form_data(consent=None))).select_one("#form-errors")
    assert summary.a.get_text() == (
        "Your agreement: We need your agreement to use these details for your consultation."
    )


def test_other_fields_keep_their_label_in_the_error_summary(client):
    summary = parse(client.post(FORM, valid_form_data(full_name=""))).select_one("#form-errors")
    assert summary.a.get_text() == "Full name: Please tell us your name."


def test_the_error_summary_comes_first_in_the_main_content(client):
    main = parse(client.post(FORM, valid_form_data(phone="12"))).main
    assert main.find(["div", "h1"], id=True)["id"] == "form-errors"
    assert main.find(id="form-errors").find_next("h1") is not None


def test_the_page_title_starts_with_error_when_the_form_has_mistakes(client):
    assert page_title(client.post(FORM, valid_form_data(phone="12"))).startswith("Error: ")


def test_the_consent_error_comes_before_its_checkbox(client):
    group = parse(client.post(FORM, valid_form_data(consent=None))).select_one("#div_id_consent")
    error, checkbox = group.select_one("#id_consent_error"), group.select_one("#id_consent")
    assert error.find_next("input") is checkbox
    assert "id_consent_error" in checkbox["aria-describedby"]


def test_the_photo_field_gives_the_page_the_limits_from_settings(client, settings):
    settings.MAX_ENQUIRY_PHOTOS = 2
    settings.MAX_REQUEST_BYTES = 20 * 1_048_576
    settings.ENQUIRY_PHOTO_MAX_EDGE = 2000
    settings.ENQUIRY_PHOTO_MAX_BYTES = {"JPEG": 8_000_000, "PNG": 6_000_000, "WEBP": 3_000_000}
    photos = parse(client.get(FORM)).select_one("#id_photos")
    assert (photos["data-max-photos"], photos["data-max-edge"]) == ("2", "2000")
    assert photos["data-max-request-bytes"] == str(20 * 1_048_576)
    assert json.loads(photos["data-max-bytes"]) == {
        "image/jpeg": 8_000_000,
        "image/png": 6_000_000,
        "image/webp": 3_000_000,
    }


def test_a_visitor_is_asked_to_choose_photos_again_after_an_error(client):
    data = valid_form_data(phone="12")
    data["photos"] = [photo_with_exif()]
    assert "please choose them again" in client.post(FORM, data).content.decode()


def test_photos_are_stored_with_the_request(client):
    data = valid_form_data()
    data["photos"] = [photo_with_exif(name="a.jpg"), photo_with_exif(name="b.jpg")]
    client.post(FORM, data)
    assert ConsultationRequest.objects.get().photos.count() == 2


def test_a_filled_honeypot_gets_the_normal_thank_you_but_is_flagged_and_not_emailed(client):
    response = client.post(FORM, valid_form_data(website="http://buy-now.example"), follow=True)
    assert headings_h1(response) == ["Thank you, your request has reached us"]
    enquiry = ConsultationRequest.objects.get()
    assert enquiry.is_spam
    assert not enquiry.notifications.exists()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client):
    soup = parse(client.get(FORM))
    wrapper = soup.select_one("#id_website").find_parent(class_="form-extra")
    assert wrapper["aria-hidden"] == "true"
    assert soup.select_one("#id_website")["tabindex"] == "-1"


def test_too_many_requests_from_one_address_get_a_friendly_429(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(FORM, valid_form_data()).status_code == 302
    response = client.post(FORM, valid_form_data())
    assert response.status_code == 429
    assert headings_h1(response) == ["Please wait a few minutes"]
    assert response["Retry-After"] == "600"
    assert ConsultationRequest.objects.count() == 2


def test_a_form_sent_with_mistakes_does_not_count_towards_the_limit(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    for _ in range(6):
        assert client.post(FORM, valid_form_data(email="not-an-address")).status_code == 200
    assert client.post(FORM, valid_form_data()).status_code == 302


def test_the_limit_is_shared_by_every_address_of_one_ipv6_network(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    for host in ("1", "2"):
        response = client.post(FORM, valid_form_data(), REMOTE_ADDR=f"2001:db8:1:2::{host}")
        assert response.status_code == 302
    same_network = client.post(FORM, valid_form_data(), REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other_network = client.post(FORM, valid_form_data(), REMOTE_ADDR="2001:db8:1:3::1")
    assert (same_network.status_code, other_network.status_code) == (429, 302)


def test_the_form_requires_a_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(FORM, valid_form_data())
    assert response.status_code == 403
    assert ConsultationRequest.objects.count() == 0


def test_a_photo_is_shown_to_staff_of_the_enquirys_clinic_and_never_cached(client):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    client.force_login(staff_user("restoration-u"))
    response = client.get(enquiry.photos.get().get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_downloading_a_photo_is_its_own_address(client):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    client.force_login(staff_user("restoration-u"))
    response = client.get(enquiry.photos.get().get_download_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_a_photo_is_a_404_for_anonymous_visitors(client):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    assert client.get(enquiry.photos.get().get_absolute_url()).status_code == 404


def test_a_photo_is_a_404_for_staff_of_the_other_clinic(client):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    client.force_login(staff_user("laser-reverse"))
    assert client.get(enquiry.photos.get().get_absolute_url()).status_code == 404


def test_with_two_factor_on_a_password_alone_never_opens_a_photo(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    enquiry = make_enquiry(photos=[photo_with_exif()])
    client.force_login(staff_user("restoration-u"))  # signed in, no authenticator code given
    assert client.get(enquiry.photos.get().get_absolute_url()).status_code == 404


def test_with_two_factor_on_a_verified_member_of_staff_opens_a_photo(client, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ADMIN_REQUIRE_2FA = True
    enquiry = make_enquiry(photos=[photo_with_exif()])
    user = staff_user("restoration-u")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": STAFF_PASSWORD,
            "otp_token": f"{totp(device.bin_key):06d}",
        },
    )
    response = client.get(enquiry.photos.get().get_absolute_url())
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # a JPEG


def test_photos_have_no_public_address(client, settings):
    enquiry = make_enquiry(photos=[photo_with_exif()])
    name = enquiry.photos.get().image.name
    assert client.get(settings.MEDIA_URL + name).status_code == 404
