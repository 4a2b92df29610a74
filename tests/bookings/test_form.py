import datetime

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from bookings.forms import ConsultationRequestForm
from tests.bookings.helpers import next_open_day, next_sunday, valid_form_data
from tests.images import photo_with_exif


def form(**overrides) -> ConsultationRequestForm:
    return ConsultationRequestForm(valid_form_data(**overrides))


def errors(**overrides) -> dict:
    f = form(**overrides)
    assert not f.is_valid()
    return f.errors


def test_a_complete_request_is_valid():
    assert form().is_valid()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07911 123456", "+447911123456"),
        ("+44 (0)7911 123456", "+447911123456"),
        ("020 7946 0018", "+442079460018"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+1 212-555-0142", "+12125550142"),
    ],
)
def test_uk_and_international_phone_numbers_are_normalised(typed, stored):
    f = form(phone=typed)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["phone"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123", "This number has 3 digits; UK numbers have 11, like 07911 123456."),
        ("07911 12345", "This number has 10 digits; UK numbers have 11, like 07911 123456."),
        ("07911 1234567", "This number has 12 digits; UK numbers have 11, like 07911 123456."),
        ("04911 123456", "No UK phone number starts with 04: please check the number."),
        ("not a number", "Please enter a phone number, like 07911 123456 or +44 7911 123456."),
        ("+999 1234 5678", "We do not recognise the country code after the +."),
        ("+33 6 12", "This number is too short for a +33 number: check it."),
    ],
)
def test_a_phone_number_that_cannot_be_dialled_says_what_is_wrong(typed, message):
    assert errors(phone=typed)["phone"][0].startswith(message)


def test_an_eleven_digit_number_no_one_uses_is_not_said_to_be_the_wrong_length():
    (message,) = errors(phone="05911 123456")["phone"]
    assert "11 digits" not in message
    assert message.startswith("This does not match any UK phone number in use")


def test_a_date_in_the_past_is_refused_next_to_its_field():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert errors(preferred_date_1=yesterday.isoformat())["preferred_date_1"] == [
        "Please choose a date from today onwards."
    ]


def test_a_day_the_clinic_is_closed_is_refused_with_the_reason():
    assert errors(preferred_date_2=next_sunday().isoformat())["preferred_date_2"] == [
        "The clinic is closed on Sundays; please choose another day."
    ]


def test_the_open_days_are_configurable(settings):
    settings.CLINIC_OPEN_WEEKDAYS = [6]
    assert form(preferred_date_1=next_sunday().isoformat()).is_valid()


def test_the_same_date_twice_is_refused():
    day = next_open_day().isoformat()
    assert "preferred_date_2" in errors(preferred_date_1=day, preferred_date_2=day)


def test_a_date_more_than_a_year_ahead_is_refused():
    far = next_open_day(after_days=400).isoformat()
    assert "twelve months" in errors(preferred_date_1=far)["preferred_date_1"][0]


def test_up_to_three_dates_are_kept_in_order():
    days = [next_open_day(9), next_open_day(3), next_open_day(6)]
    f = form(**{f"preferred_date_{n}": d.isoformat() for n, d in enumerate(days, start=1)})
    assert f.is_valid()
    assert f.cleaned_data["preferred_dates"] == sorted(days)


def test_consent_is_required_with_a_plain_message():
    assert errors(consent=None)["consent"] == [
        "We need your agreement to use these details for your consultation."
    ]


def test_marketing_is_not_ticked_unless_the_visitor_ticks_it():
    f = form()
    assert f.is_valid()
    assert f.cleaned_data["marketing_opt_in"] is False
    assert not ConsultationRequestForm()["marketing_opt_in"].value()


def test_missing_required_fields_each_get_their_own_message():
    result = errors(full_name="", email="", phone="", enquiry_type="")
    assert result["full_name"] == ["Please tell us your name."]
    assert result["email"] == ["Please give an email address so we can confirm your request."]
    assert result["phone"] == ["Please give a phone number."]
    assert result["enquiry_type"] == ["Please choose what you would like to talk about."]


def test_an_unknown_enquiry_type_is_refused():
    assert "enquiry_type" in errors(enquiry_type="cosmetic_surgery")


def test_the_source_keeps_only_a_path_on_this_site():
    for source, kept in [
        ("/portfolio/case-1/", "/portfolio/case-1/"),
        ("https://evil.example/", ""),
        ("//evil.example/x", ""),
        ("/\\evil.example/", ""),
        ("/articles/x/\nBcc: someone@evil.example", ""),
        ("javascript:alert(1)", ""),
    ]:
        f = form(source=source)
        assert f.is_valid()
        assert f.cleaned_data["source"] == kept


@pytest.mark.parametrize("email", ["casey@[10.0.0.5]", "casey@[IPv6:2001:db8::1]"])
def test_an_email_address_at_an_ip_address_is_refused_with_a_clear_message(email):
    assert errors(email=email)["email"] == [
        "Please use an email address with a domain name, like name@example.com; addresses at "
        "an IP address are not accepted."
    ]


def test_more_than_three_photos_are_refused():
    files = MultiValueDict({"photos": [photo_with_exif(name=f"p{n}.jpg") for n in range(4)]})
    f = ConsultationRequestForm(valid_form_data(), files)
    assert not f.is_valid()
    assert f.errors["photos"] == ["Please choose up to 3 photos; you chose 4."]


def test_the_honeypot_marks_spam():
    f = form(website="https://spam.example")
    assert f.is_valid()
    assert f.is_spam
