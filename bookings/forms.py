import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from bookings import selectors
from bookings.models import (
    Clinic,
    ConsultationType,
    ContactMethod,
    HeardAbout,
    Practitioner,
    TimeOfDay,
    WaitingListTime,
)
from bookings.selectors import BookingOffer
from bookings.services.appointments import TAKEN
from bookings.services.availability import Unavailable
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import (
    appointment_label_with_zone,
    clinic_today,
    day_label,
)
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


class ErrorSummaryForm(forms.Form):
    """A form whose mistakes are listed in an error summary first in the page (the GOV.UK
    Design System's pattern, templates/bookings/_error_summary.html)."""

    # How the error summary names a field whose label is too long to repeat there (a question
    # or a whole sentence reads badly in front of its message); every other field is named by
    # its label.
    summary_labels: dict[str, str] = {}

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(element id, short name, first message) for each field with an error, in the
        form's order: the lines of the error summary, each linking to its field."""
        return [
            (field.id_for_label, self.summary_labels.get(field.name, field.label), field.errors[0])
            for field in self
            if field.errors
        ] + [("", "", message) for message in self.non_field_errors()]


class ClientDetailsForm(ErrorSummaryForm):
    """Who the client is: the name, email address and phone number the site's forms ask for,
    each checked the same way wherever it is asked."""

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


class ConsultationRequestForm(ClientDetailsForm):
    summary_labels = {
        "consent": "Your agreement",
        "contact_method": "How to contact you",
        "enquiry_type": "What it is about",
        "preferred_time": "Time of day",
    }

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

    form_id = "consultation-form"
    submit_label = "Send my request"

    def __init__(self, *args, routed_away: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.routed_away = routed_away or {}
        self.fields["photos"].widget.attrs.update(photo_limits())
        self.helper = FormHelper()
        self.helper.form_id = self.form_id
        # crispy adds enctype="multipart/form-data" itself, as the form has a file field.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            HTML('<p class="meta">Fields marked * are required.</p>'),
            *self.leading_parts(),
            Fieldset("About you", "full_name", "email", "phone", "contact_method"),
            Fieldset(
                "Your consultation",
                *self.request_parts(),
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
            *self.trailing_parts(),
            Div("website", css_class="form-extra", aria_hidden="true"),
            Submit("submit", self.submit_label, css_class="button button--primary"),
        )

    def leading_parts(self) -> list:
        """What the form asks first, before the visitor's details."""
        return []

    def request_parts(self) -> list:
        """The questions about the consultation that only a request asks: what it is about and
        when the visitor would like it."""
        return [
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
        ]

    def trailing_parts(self) -> list:
        return ["source"]

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


class AppointmentDetailsForm(ConsultationRequestForm):
    """The request form's questions for a time chosen on the times page: what the consultation
    is about, the clinic and the time come from there (`AppointmentChoice`), so the preferred
    dates and time of day are not asked. The choice itself is sent back in hidden fields
    (templates/bookings/_chosen_time_fields.html), with the nearest free times as radio
    buttons when the time chosen has gone."""

    form_id = "booking-form"
    submit_label = "Book this time"

    enquiry_type = None
    preferred_date_1 = None
    preferred_date_2 = None
    preferred_date_3 = None
    preferred_time = None
    source = None

    def leading_parts(self) -> list:
        return [HTML('{% include "bookings/_chosen_time_fields.html" %}')]

    def request_parts(self) -> list:
        return []

    def trailing_parts(self) -> list:
        return []


class CancelAppointmentForm(ErrorSummaryForm):
    summary_labels = {"reason": "Your reason"}

    reason = forms.CharField(
        label="Why are you cancelling?",
        max_length=300,
        help_text="A few words are enough, for example “I have to work that day”.",
        error_messages={
            "required": "Please tell us in a few words why you are cancelling.",
            "max_length": "Please keep it to 300 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "cancel-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "reason",
            Submit("submit", "Cancel my appointment", css_class="button button--primary"),
        )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError("Please tell us in a few words why you are cancelling.")
        return reason


def _date_field(label: str, what: str) -> forms.DateField:
    """A date typed, or chosen from the browser's own calendar: the browser sends it as
    2027-01-11; typed into a plain text box (an old browser), as people in the UK write it."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Please give the {what} date you could come.",
            "invalid": f"Please give the {what} date as a real date, like 11/01/2027.",
        },
    )


class WaitingListForm(ClientDetailsForm):
    """“Tell me if something earlier comes up”: what the visitor waits for (one of the
    consultations the clinic offers online for their enquiry type, a practitioner or anyone,
    the dates they could come, within the consultation's horizon, and mornings, afternoons or
    either) and who they are.

    The enquiry type, which decides the clinic, comes from the times page in the address and is
    sent back in a hidden field; `offer` is what that clinic books online, and `now` says which
    day is today. Cleaned, `consultation` is a ConsultationType and `practitioner` a
    Practitioner or None (anyone)."""

    summary_labels = {
        "consent": "Your agreement",
        "time_of_day": "Time of day",
    }
    # The page's order, which the error summary follows: the wish first, then who they are.
    field_order = [
        "consultation",
        "practitioner",
        "time_of_day",
        "earliest",
        "latest",
        "full_name",
        "email",
        "phone",
        "consent",
    ]

    consultation = forms.ChoiceField(
        label="Consultation",
        error_messages={
            "required": "Please choose a consultation.",
            "invalid_choice": "Please choose one of the consultations listed.",
        },
    )
    practitioner = forms.ChoiceField(
        label="Practitioner",
        required=False,
        error_messages={
            "invalid_choice": "Please choose a practitioner from the list, or Any practitioner."
        },
    )
    time_of_day = forms.ChoiceField(
        label="Time of day",
        choices=WaitingListTime.choices,
        initial=WaitingListTime.ANY,
        widget=forms.RadioSelect,
        help_text="Mornings are times starting before 12:00, UK time.",
        error_messages={"required": "Please choose a time of day."},
    )
    earliest = _date_field("Earliest date", "earliest")
    latest = _date_field("Latest date", "latest")
    consent = forms.BooleanField(
        label=(
            "I agree that the clinic may use the details I give here to offer me a time that "
            "comes free and to arrange my consultation, as the privacy policy explains."
        ),
        error_messages={
            "required": "We need your agreement to use these details to offer you a time."
        },
    )
    source = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # A field people never see or fill; automated spam usually does.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, offer: BookingOffer, now: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.today = clinic_today(now)
        kinds = offer.consultation_types
        consultation = self.fields["consultation"]
        consultation.choices = [(kind.slug, kind.name) for kind in kinds]
        # One consultation to wait for: the page names it, nothing to choose.
        consultation.widget = forms.HiddenInput() if len(kinds) == 1 else forms.RadioSelect()
        consultation.widget.choices = consultation.choices
        self.fields["practitioner"].choices = [
            ("", "Any practitioner"),
            *((person.slug, person.name) for person in offer.practitioners),
        ]
        horizon = max((kind.horizon_days for kind in kinds), default=0)
        self.fields["latest"].help_text = (
            f"We book online up to {horizon} days ahead: "
            f"{day_label(self.today + datetime.timedelta(days=horizon))} at the latest."
        )
        self.helper = FormHelper()
        self.helper.form_id = "waiting-list-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            HTML('<p class="meta">Fields marked * are required.</p>'),
            HTML('<input type="hidden" name="type" value="{{ offer.enquiry_type }}">'),
            Fieldset("What you are waiting for", "consultation", "practitioner", "time_of_day"),
            Fieldset("The dates you could come", Div("earliest", "latest", css_class="dates")),
            Fieldset("About you", "full_name", "email", "phone"),
            Fieldset(
                "Your agreement",
                Field("consent", template="bookings/_checkbox_field.html"),
            ),
            "source",
            Div("website", css_class="form-extra", aria_hidden="true"),
            Submit("submit", "Join the waiting list", css_class="button button--primary"),
        )

    def clean_consultation(self) -> ConsultationType:
        return self.offer.consultation_type(self.cleaned_data["consultation"])

    def clean_practitioner(self) -> Practitioner | None:
        slug = self.cleaned_data["practitioner"]
        return self.offer.practitioner(slug) if slug else None

    def clean_source(self) -> str:
        # As on the request form: only a path on this site is kept, never shown as an error.
        source = self.cleaned_data.get("source", "")
        return source if is_same_site_path(source) else ""

    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        kind = cleaned.get("consultation")
        last_day = kind and self.today + datetime.timedelta(days=kind.horizon_days)
        too_far = (
            kind
            and f"We book {kind.name} online up to {kind.horizon_days} days ahead: please "
            f"choose {day_label(last_day)} or earlier."
        )
        if earliest is not None:
            if earliest < self.today:
                self.add_error("earliest", "The earliest date must be today or later.")
            elif last_day and earliest > last_day:
                self.add_error("earliest", too_far)
        if latest is not None:
            if latest < self.today:
                self.add_error("latest", "The latest date must be today or later.")
            elif earliest is not None and latest < earliest:
                self.add_error(
                    "latest", "The latest date must be the same as the earliest date or after it."
                )
            elif last_day and latest > last_day:
                self.add_error("latest", too_far)
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


# The form's one-time key, as `secrets.token_urlsafe(16)` writes it (22 characters).
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{22}")
SUBMISSION_KEY_BYTES = 16


class ChoiceRefused(Exception):
    """The address or form names something no one can book online (an unknown consultation,
    another clinic's practitioner, a time that cannot be read); `reason` says what, for
    people. The times page is the way on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AppointmentChoice:
    """What the times page passes on to the details page, in the address and then in the
    form's hidden fields: the enquiry type (which decides the clinic), the consultation type,
    the practitioner (None for no preference), the time, where the visitor came from and, in
    a posted form, its one-time key."""

    offer: BookingOffer
    consultation_type: ConsultationType
    practitioner: Practitioner | None = None
    starts_at: datetime.datetime | None = None
    source: str = ""
    submission_key: str | None = None

    @property
    def clinic(self) -> Clinic:
        return self.offer.clinic

    @property
    def label(self) -> str:
        """“Tuesday 8 December 2026, 10:30 UK time”."""
        return appointment_label_with_zone(self.starts_at) if self.starts_at else ""

    def unavailable_reason(self, reason: Unavailable) -> str:
        """Why the chosen time cannot be booked online, for the visitor."""
        return unavailable_reason(
            reason,
            starts_at=self.starts_at,
            consultation_type=self.consultation_type,
            clinic=self.clinic,
            practitioner=self.practitioner,
        )

    def query(self, **extra: str) -> str:
        """The choice as a query string, for the links between the pages, without the time:
        `extra` adds to it (`start=2026-12-08`, `time=...`)."""
        params = {
            "type": self.offer.enquiry_type,
            "consultation": self.consultation_type.slug,
            "practitioner": self.practitioner.slug if self.practitioner else "",
        }
        if self.source:
            params["from"] = self.source
        return urlencode(params | extra, safe="/")


def read_source(params: QueryDict) -> str:
    """The page that sent the visitor (`from`), when it is a path on this site."""
    source = params.get("from", "")[:200]
    return source if is_same_site_path(source) else ""


# What the times page's `step` can say was left unanswered, and the shape of a slug.
TIMES_PAGE_STEPS = ("type", "consultation", "time")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def times_page_query(request: HttpRequest) -> str:
    """The parameters the times page reads, in the form it reads them, for the key of its
    cached copies (bookings/urls.py): a value it would ignore counts as absent, and any other
    parameter is left out, so two addresses for the same page find the same copy."""
    params = request.GET
    enquiry_type, step = params.get("type", ""), params.get("step", "")
    consultation, practitioner = params.get("consultation", ""), params.get("practitioner", "")
    start = params.get("start", "")
    try:
        start = datetime.date.fromisoformat(start).isoformat() if len(start) == 10 else ""
    except ValueError:
        start = ""
    return urlencode(
        {
            "type": enquiry_type if enquiry_type in EnquiryType.values else "",
            "consultation": consultation if SLUG.fullmatch(consultation) else "",
            "practitioner": practitioner if SLUG.fullmatch(practitioner) else "",
            "start": start,
            "step": step if step in TIMES_PAGE_STEPS else "",
            "from": read_source(params),
        }
    )


def read_moment(text: str) -> datetime.datetime | None:
    """A moment written in ISO 8601 with its offset, as the times page writes them (in UTC);
    None for anything else, a time without an offset included."""
    if len(text) > 40:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(datetime.UTC)


def iso_moment(moment: datetime.datetime) -> str:
    """How the pages write a moment for `read_moment`: “2026-12-08T10:30:00Z”."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_slug(text: str) -> bool:
    """Whether the text could name something at all: anything else (a NUL byte, which
    PostgreSQL refuses in a query, a page of text) is never looked up."""
    return len(text) <= 60 and bool(slug_re.fullmatch(text))


def _not_bookable_here(
    found: ConsultationType | Practitioner | None, *, what: str, offer: BookingOffer
) -> str:
    """Why a consultation or practitioner named in an address cannot be booked with this
    offer: unknown, at the other clinic, or not taking bookings online."""
    if found is None:
        return f"We could not find that {what}. Please choose a time again."
    if found.clinic_id != offer.clinic.pk:
        return (
            f"{found.name} is at {found.clinic.name}, and this consultation is with "
            f"{offer.clinic.name}. Please choose a time again."
        )
    return f"{found.name} cannot be booked online at the moment."


def read_appointment_choice(params: QueryDict) -> AppointmentChoice:
    """The choice the times page passed on, read back and checked against what the clinic
    offers (its consultation types and practitioners). Raises ChoiceRefused, with what is
    wrong, for anything the times page would never have sent; whether the time is free is the
    availability's question, asked after this."""
    enquiry_type = params.get("type", "")
    if enquiry_type not in EnquiryType.values:
        raise ChoiceRefused("Please choose what your consultation is about first.")
    offer = selectors.booking_offer(enquiry_type=enquiry_type)
    slug = params.get("consultation", "")
    consultation_type = offer.consultation_type(slug)
    if consultation_type is None:
        found = selectors.consultation_type_by_slug(slug) if _is_slug(slug) else None
        raise ChoiceRefused(_not_bookable_here(found, what="consultation", offer=offer))
    practitioner = None
    if slug := params.get("practitioner", ""):
        practitioner = offer.practitioner(slug)
        if practitioner is None:
            found = selectors.practitioner_by_slug(slug) if _is_slug(slug) else None
            raise ChoiceRefused(_not_bookable_here(found, what="practitioner", offer=offer))
    starts_at = None
    if text := params.get("time", ""):
        starts_at = read_moment(text)
        if starts_at is None:
            raise ChoiceRefused("We could not read the time you chose. Please choose it again.")
    key = params.get("key", "")
    return AppointmentChoice(
        offer=offer,
        consultation_type=consultation_type,
        practitioner=practitioner,
        starts_at=starts_at,
        source=read_source(params),
        submission_key=key if SUBMISSION_KEY.fullmatch(key) else None,
    )


def unavailable_reason(
    reason: Unavailable,
    *,
    starts_at: datetime.datetime,
    consultation_type: ConsultationType,
    clinic: Clinic,
    practitioner: Practitioner | None = None,
) -> str:
    """Why a time cannot be booked online (`availability.why_not_offered`), for the visitor."""
    label = appointment_label_with_zone(starts_at)
    if reason == Unavailable.PASSED:
        return f"{label} has already passed."
    if reason == Unavailable.TOO_SOON:
        return (
            f"{label} is too soon to book online. To come in sooner, call {clinic.name} on "
            f"{clinic.phone}."
        )
    if reason == Unavailable.TOO_FAR:
        return (
            f"{label} is too far ahead: we book online up to "
            f"{consultation_type.horizon_days} days ahead."
        )
    if reason == Unavailable.CLOSED:
        return f"{clinic.name} is closed on {day_label(clinic_today(starts_at))}."
    if reason == Unavailable.TAKEN:
        return TAKEN
    with_whom = f" with {practitioner.name}" if practitioner else ""
    return f"{label} is not one of the times {clinic.name} offers{with_whom}."
