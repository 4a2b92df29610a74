import datetime
import json

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from bookings.models import ContactMethod, HeardAbout, TimeOfDay
from restoration_site.common.choices import EnquiryType
from restoration_site.common.forms import clean_photo
from restoration_site.common.images import CleanImage

WEEKDAY_NAMES = [
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
]
# A visitor cannot usefully ask for a date further ahead than this.
MAX_DAYS_AHEAD = 365


def closed_days_note() -> str:
    closed = [
        name for day, name in enumerate(WEEKDAY_NAMES) if day not in settings.CLINIC_OPEN_WEEKDAYS
    ]
    return f"; we are closed on {' and '.join(closed)}" if closed else ""


def stored_phone_number(text: str) -> str | None:
    """A phone number as the site stores it (E.164), from any way of writing it; None when the
    text is not a phone number at all."""
    if sum(character.isdigit() for character in text) < 7:
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_number_problem(number: phonenumbers.PhoneNumber, *, typed: str) -> str:
    """What is wrong with a number the phone library does not recognise, in the visitor's terms:
    its length when that is the trouble, otherwise that no number in use looks like it."""
    if number.country_code != 44:
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason == phonenumbers.ValidationResult.TOO_SHORT:
            return f"This number is too short for a +{number.country_code} number: check it."
        if reason == phonenumbers.ValidationResult.TOO_LONG:
            return f"This number is too long for a +{number.country_code} number: check it."
        return (
            f"This does not match any phone number in use for the country code "
            f"+{number.country_code}: please check the digits."
        )
    if typed.lstrip().startswith(("+", "00")):
        # Written internationally: counted as the same number written the UK way, with its 0.
        digits = len(phonenumbers.national_significant_number(number)) + 1
    else:
        digits = sum(character.isdigit() for character in typed)
    if digits != 11:
        return (
            f"This number has {digits} digits; UK numbers have 11, like 07911 123456. "
            "International numbers start with + and the country code."
        )
    leading = "0" + phonenumbers.national_significant_number(number)[:1]
    if leading in ("04", "06"):
        return (
            f"No UK phone number starts with {leading}: please check the number. UK mobile "
            "numbers start with 07, like 07911 123456."
        )
    return (
        "This does not match any UK phone number in use: please check the digits. UK mobile "
        "numbers start with 07, like 07911 123456."
    )


class ClientEmailField(forms.EmailField):
    """An email address at a domain name.

    An address at a bare IP address (`name@[10.0.0.5]`) is legal in email's grammar, but no
    client uses one, and it would hand our mail relay a server of the sender's choosing; it is
    refused with its own message (and only that one, not the generic one as well).
    """

    def run_validators(self, value) -> None:
        if value not in self.empty_values and value.rpartition("@")[2].startswith("["):
            raise ValidationError(
                "Please use an email address with a domain name, like name@example.com; "
                "addresses at an IP address are not accepted.",
                code="address_literal",
            )
        super().run_validators(value)


def is_same_site_path(value: str) -> bool:
    """A path on this site and nothing else: no scheme, no host (`//evil.example`,
    `/\\evil.example` in a browser's reading), no line breaks or other control characters."""
    return (
        value.startswith("/")
        and value.isprintable()
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def clean_enquiry_photo(upload) -> CleanImage:
    """The copy of a visitor's photo the clinic keeps: checked (ENQUIRY_PHOTO_MAX_BYTES and
    ENQUIRY_PHOTO_MAX_PIXELS for its format), upright, without metadata, at most
    ENQUIRY_PHOTO_MAX_EDGE pixels on its long edge, as a JPEG.

    2560 px is more than a screen shows whole, and a quarter of the pixels of a 24-megapixel
    phone photo. JPEG is what phones take, and encodes five to ten times faster than WebP or PNG
    at this size.
    """
    return clean_photo(
        upload,
        max_bytes=settings.ENQUIRY_PHOTO_MAX_BYTES,
        max_pixels=settings.ENQUIRY_PHOTO_MAX_PIXELS,
        max_edge=settings.ENQUIRY_PHOTO_MAX_EDGE,
        store_as="JPEG",
    )


# The MIME type a browser gives each format the form accepts, for the page's own size check.
PHOTO_MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PHOTO_FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def photo_size_limits() -> str:
    """The per-photo limits in words, from ENQUIRY_PHOTO_MAX_BYTES: "10 MB each (WebP 4 MB)"."""
    megabytes = {k: v // 1_048_576 for k, v in settings.ENQUIRY_PHOTO_MAX_BYTES.items()}
    largest = max(megabytes.values())
    smaller = [f"{PHOTO_FORMAT_NAMES[k]} {v} MB" for k, v in megabytes.items() if v < largest]
    return f"{largest} MB each" + (f" ({', '.join(smaller)})" if smaller else "")


def photo_limits() -> dict[str, str]:
    """The limits on photos as data attributes of the file input, read from settings, so the
    page's script (static/js/consultation.js) can make photos smaller, or say what it cannot
    send, before a request over MAX_REQUEST_BYTES ends on the 413 page."""
    per_type = {
        "max-bytes": settings.ENQUIRY_PHOTO_MAX_BYTES,
        "max-pixels": settings.ENQUIRY_PHOTO_MAX_PIXELS,
    }
    return {
        "data-max-photos": str(settings.MAX_ENQUIRY_PHOTOS),
        "data-max-request-bytes": str(settings.MAX_REQUEST_BYTES),
        "data-max-edge": str(settings.ENQUIRY_PHOTO_MAX_EDGE),
        **{
            f"data-{name}": json.dumps({PHOTO_MIME_TYPES[k]: v for k, v in limits.items()})
            for name, limits in per_type.items()
        },
    }


class PhotosField(forms.FileField):
    """Up to MAX_ENQUIRY_PHOTOS photos, each checked (a real, complete, reasonably sized photo).

    Cleans to the CleanImage of each photo: every upload is decoded here, once, one at a time,
    and only its small re-encoded copy is kept, which the service stores as it is.
    """

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[CleanImage]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.MAX_ENQUIRY_PHOTOS:
            raise ValidationError(
                f"Please choose up to {settings.MAX_ENQUIRY_PHOTOS} photos; you chose {len(files)}."
            )
        photos, errors = [], []
        for upload in files:
            try:
                photos.append(clean_enquiry_photo(super().clean(upload, initial)))
            except ValidationError as error:
                errors.append(f"{upload.name[:60]}: {error.messages[0]}")
        if errors:
            raise ValidationError(errors)
        return photos


class ConsultationRequestForm(forms.Form):
    # How the error summary names a field whose label is too long to repeat there (the
    # consent label is a whole sentence); every other field is named by its label.
    # The error summary names each field briefly: a question or a whole sentence as a label
    # reads badly in front of its message.
    summary_labels = {
        "consent": "Your agreement",
        "contact_method": "How to contact you",
        "enquiry_type": "What it is about",
        "preferred_time": "Time of day",
    }

    full_name = forms.CharField(
        label="Full name",
        max_length=120,
        error_messages={"required": "Please tell us your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = ClientEmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Please give an email address so we can confirm your request.",
            "invalid": "Please enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=32,
        help_text="A UK number, or an international one starting with +.",
        error_messages={"required": "Please give a phone number."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=ContactMethod.choices,
        initial=ContactMethod.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how we should contact you."},
    )
    enquiry_type = forms.ChoiceField(
        label="What would you like to talk about?",
        choices=[("", "Choose one"), *EnquiryType.choices],
        error_messages={"required": "Please choose what you would like to talk about."},
    )
    preferred_date_1 = forms.DateField(
        label="First choice", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_date_2 = forms.DateField(
        label="Second choice", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_date_3 = forms.DateField(
        label="Third choice", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_time = forms.ChoiceField(
        label="Preferred time of day",
        choices=TimeOfDay.choices,
        initial=TimeOfDay.ANY,
        error_messages={"required": "Please choose a time of day."},
    )
    message = forms.CharField(
        label="Anything you would like us to know",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional. For example your hair loss, earlier treatment or what you hope for.",
    )
    photos = PhotosField(
        label="Photos of your scalp (optional)",
        help_text=(
            f"Up to {settings.MAX_ENQUIRY_PHOTOS} JPEG, PNG or WebP photos, {photo_size_limits()}. "
            "Only clinic staff can see them."
        ),
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    heard_about = forms.ChoiceField(
        label="How did you hear about us? (optional)",
        required=False,
        choices=[("", "Prefer not to say"), *HeardAbout.choices],
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the clinic may use the details and any photos I give here to arrange "
            "and prepare my consultation, as the privacy policy explains."
        ),
        error_messages={
            "required": "We need your agreement to use these details for your consultation."
        },
    )
    marketing_opt_in = forms.BooleanField(
        label="Send me occasional news and offers by email (optional).", required=False
    )
    source = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # A field people never see or fill; automated spam usually does.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, routed_away: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.routed_away = routed_away or {}
        self.fields["photos"].widget.attrs.update(photo_limits())
        self.helper = FormHelper()
        self.helper.form_id = "consultation-form"
        # crispy adds enctype="multipart/form-data" itself, as the form has a file field.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            HTML('<p class="meta">Fields marked * are required.</p>'),
            Fieldset("About you", "full_name", "email", "phone", "contact_method"),
            Fieldset(
                "Your consultation",
                "enquiry_type",
                HTML('{% include "bookings/_routing_notice.html" %}'),
                Fieldset(
                    f"Preferred dates (optional, up to three){closed_days_note()}",
                    Div(
                        "preferred_date_1",
                        "preferred_date_2",
                        "preferred_date_3",
                        css_class="dates",
                    ),
                ),
                "preferred_time",
                "message",
                "photos",
                # Filled by the page's script when a photo cannot be sent; empty without it.
                HTML('<div id="photos-status" class="photos-status" aria-live="polite"></div>'),
                "heard_about",
            ),
            Fieldset(
                "Your agreement",
                # An error above its checkbox, across the form, not squeezed beside it.
                Field("consent", "marketing_opt_in", template="bookings/_checkbox_field.html"),
            ),
            "source",
            Div("website", css_class="form-extra", aria_hidden="true"),
            Submit("submit", "Send my request", css_class="button button--primary"),
        )

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(element id, short name, first message) for each field with an error, in the
        form's order: the lines of the error summary, each linking to its field."""
        return [
            (field.id_for_label, self.summary_labels.get(field.name, field.label), field.errors[0])
            for field in self
            if field.errors
        ]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError("Please tell us your name.")
        return name

    def clean_phone(self) -> str:
        try:
            number = phonenumbers.parse(self.cleaned_data["phone"], "GB")
        except phonenumbers.NumberParseException as error:
            if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
                raise ValidationError(
                    "We do not recognise the country code after the +. Check it (France is "
                    "+33, for example), or give a UK number like 07911 123456."
                ) from None
            raise ValidationError(
                "Please enter a phone number, like 07911 123456 or +44 7911 123456."
            ) from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(phone_number_problem(number, typed=self.cleaned_data["phone"]))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def _check_date(self, field: str) -> datetime.date | None:
        day = self.cleaned_data.get(field)
        if day is None:
            return None
        today = timezone.localdate()
        if day < today:
            self.add_error(field, "Please choose a date from today onwards.")
        elif day > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            self.add_error(field, "Please choose a date within the next twelve months.")
        elif day.weekday() not in settings.CLINIC_OPEN_WEEKDAYS:
            self.add_error(
                field,
                f"The clinic is closed on {WEEKDAY_NAMES[day.weekday()]}; please choose "
                "another day.",
            )
        return day

    def clean_source(self) -> str:
        # Only a path on this site is kept; anything else (another site, a line break that
        # would add a line to the staff email) is dropped, never shown as an error: the visitor
        # never typed it.
        source = self.cleaned_data.get("source", "")
        return source if is_same_site_path(source) else ""

    def clean(self):
        cleaned = super().clean()
        days = [self._check_date(f"preferred_date_{n}") for n in (1, 2, 3)]
        chosen = [day for day in days if day]
        if len(set(chosen)) < len(chosen):
            self.add_error("preferred_date_2", "Please choose different dates.")
        cleaned["preferred_dates"] = sorted(set(chosen))
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
