"""The admin's forms for appointments: booking a caller by phone, moving and cancelling, and
offering an enquiry times by email.

A time is chosen from the free times `bookings.services.availability` offers staff, or, by an
explicit choice, outside the practitioner's hours; either way the appointment services decide
whether it can be booked. The client's details are checked as the website's form checks them.
"""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError

from bookings.forms import ClientEmailField, iso_moment, read_moment
from bookings.forms import ConsultationRequestForm as WebsiteRequestForm
from bookings.models import (
    Appointment,
    ConsultationType,
    ContactMethod,
    Practitioner,
    TimeOffer,
    time_on_schedule_grid,
)
from bookings.services.availability import DayTimes
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import clinic_moment, clinic_time, clinic_today

# How many days of free times a page lists at once.
DAYS_SHOWN = 7


class FreeTimeField(forms.CharField):
    """One of the listed free times, sent as its moment in ISO 8601 (UTC). Any moment is
    accepted here: the appointment services check it is free when booking, and answer with
    the nearest free times when it has just gone."""

    def to_python(self, value) -> datetime.datetime | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("Choose one of the times listed.") from None
        if moment.tzinfo is None:
            raise ValidationError("Choose one of the times listed.")
        return moment


class ChoicesSoFar:
    """For a form whose page lists free times for the choices made so far: each choice as it
    stands, read before (and whether or not) the form is sent to act on."""

    def selected(self, name: str):
        """A choice as it stands, cleaned on its own and None when missing or wrong: what the
        list of free times is drawn for."""
        field = self.fields[name]
        if self.is_bound:
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            raw = self.get_initial_for_field(field, name)
        try:
            return field.clean(raw)
        except ValidationError:
            return None

    def first_day(self) -> datetime.date:
        return max(self.selected("from_day") or clinic_today(self.now), clinic_today(self.now))


class TimeChoiceForm(ChoicesSoFar, forms.Form):
    """Who and when: a practitioner (or anyone free), a free time from the list, or a date and
    time outside the practitioner's hours. `starts_at` holds the chosen moment once valid."""

    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.none(), required=False, empty_label="Any practitioner"
    )
    from_day = forms.DateField(
        label="Show times from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=f"The list shows {DAYS_SHOWN} days from this date.",
    )
    time = FreeTimeField(required=False)
    outside_hours = forms.BooleanField(
        label="Outside the practitioner's hours",
        required=False,
        help_text="Give the date and time instead of choosing from the list. It still cannot "
        "overlap another appointment.",
    )
    outside_date = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outside_time = forms.TimeField(
        label="Time (UK)",
        required=False,
        validators=[time_on_schedule_grid],
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )

    def __init__(self, *args, practitioners, now: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].label_from_instance = lambda practitioner: practitioner.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outside_hours"):
            day, at = cleaned.get("outside_date"), cleaned.get("outside_time")
            if day is None and "outside_date" not in self.errors:
                self.add_error("outside_date", "Give the date of the appointment.")
            if at is None and "outside_time" not in self.errors:
                self.add_error("outside_time", "Give the time of the appointment, like 18:30.")
            if cleaned.get("practitioner") is None:
                self.add_error(
                    "practitioner", "Choose who will see the client outside their hours."
                )
            starts_at = clinic_moment(day, at) if day and at else None
        else:
            starts_at = cleaned.get("time")
            if starts_at is None and "time" not in self.errors:
                self.add_error("time", "Choose a time, or book outside the practitioner's hours.")
        if starts_at is not None and starts_at <= self.now:
            self.add_error(
                "outside_date" if cleaned.get("outside_hours") else "time",
                "This time has passed: choose one to come.",
            )
            starts_at = None
        cleaned["starts_at"] = starts_at
        return cleaned


class PhoneBookingForm(TimeChoiceForm):
    """A caller booked by reception: what the website's form asks for the consultation, with
    the client's agreement taken on the phone."""

    field_order = [
        "full_name",
        "email",
        "phone",
        "contact_method",
        "enquiry_type",
        "message",
        "consent",
        "consultation_type",
        "practitioner",
        "from_day",
    ]

    full_name = forms.CharField(label="Client's full name", max_length=120)
    email = ClientEmailField(
        label="Email address",
        max_length=254,
        help_text="The confirmation and the calendar invite go here.",
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=32,
        help_text="A UK number, or an international one starting with +.",
    )
    contact_method = forms.ChoiceField(
        label="How the client would like to be contacted",
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
        widget=forms.RadioSelect,
    )
    enquiry_type = forms.ChoiceField(label="What it is about", choices=EnquiryType.choices)
    message = forms.CharField(
        label="What the client told you (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="The client agreed on the phone that the clinic may use these details to arrange "
        "and prepare the consultation, as the privacy policy explains.",
        error_messages={"required": "Ask the client for their agreement before booking."},
    )
    consultation_type = forms.ModelChoiceField(
        label="Consultation", queryset=ConsultationType.objects.none(), empty_label=None
    )
    # The page's one-time key: the same booking sent twice (a double click) books once.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    # The website form's checks of a name and a phone number, not a copy of them.
    clean_full_name = WebsiteRequestForm.clean_full_name
    clean_phone = WebsiteRequestForm.clean_phone

    def __init__(
        self,
        *args,
        consultation_types,
        enquiry_types: dict[str, int],
        **kwargs,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["consultation_type"].queryset = consultation_types
        self.fields["consultation_type"].label_from_instance = self._type_label
        # The clinic each enquiry type goes to (the routing rules): a type handled by a clinic
        # this member of staff does not book for is not offered.
        self.enquiry_types = enquiry_types
        clinics = {consultation_type.clinic_id for consultation_type in consultation_types}
        self.fields["enquiry_type"].choices = [
            (value, label)
            for value, label in EnquiryType.choices
            if enquiry_types.get(value) in clinics
        ]

    @staticmethod
    def _type_label(consultation_type: ConsultationType) -> str:
        return f"{consultation_type.name} ({consultation_type.duration_minutes} minutes)"

    def clean(self):
        cleaned = super().clean()
        consultation_type = cleaned.get("consultation_type")
        practitioner = cleaned.get("practitioner")
        if consultation_type is None:
            return cleaned
        if practitioner is not None and practitioner.clinic_id != consultation_type.clinic_id:
            self.add_error("practitioner", f"{practitioner.name} does not offer this consultation.")
        enquiry_type = cleaned.get("enquiry_type")
        if enquiry_type and self.enquiry_types.get(enquiry_type) != consultation_type.clinic_id:
            self.add_error(
                "enquiry_type", "Enquiries of this kind go to the other clinic: book them there."
            )
        return cleaned


class MoveForm(TimeChoiceForm):
    """A new time for a booked appointment, of the same consultation type."""

    def __init__(self, *args, appointment: Appointment, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("practitioner", appointment.practitioner_id)
        kwargs["initial"].setdefault("from_day", clinic_today(appointment.starts_at))
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].empty_label = "Any practitioner (this one when free)"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        help_text="Kept with the appointment; the client's email does not quote it.",
        error_messages={"required": "Say why, for the record."},
    )


def free_time_days(
    days: list[DayTimes], *, names: dict[int, str], chosen: datetime.datetime | None
) -> list[dict]:
    """The free times as the page lists them: a group per day, each time with the names of
    the practitioners free then when more than one could be booked."""
    return [
        {
            "label": day.label,
            "times": [
                {
                    "value": time.starts_at.isoformat(),
                    "label": f"{clinic_time(time.starts_at):%H:%M}"
                    + (
                        f" ({', '.join(names[pid] for pid in time.practitioner_ids)})"
                        if len(names) > 1
                        else ""
                    ),
                    "checked": time.starts_at == chosen,
                }
                for time in day.times
            ],
        }
        for day in days
    ]


# OFFERING TIMES BY EMAIL


def offer_value(practitioner_id: int, starts_at: datetime.datetime) -> str:
    """A time to offer as a checkbox sends it: who, and the moment in UTC."""
    return f"{practitioner_id}@{iso_moment(starts_at)}"


def read_offer_value(value: str) -> tuple[int, datetime.datetime] | None:
    """(practitioner id, start) from `offer_value`'s text, or None for anything else."""
    who, _, when = value.partition("@")
    moment = read_moment(when)
    if not (who.isdigit() and len(who) < 19 and moment):
        return None
    return int(who), moment


class OfferTimesForm(ChoicesSoFar, forms.Form):
    """Up to three free times to offer an enquiry by email, ticked in the lists of free times
    (a client's online rules: what the client's page can book), for one consultation type of
    the enquiry's clinic. `times` holds (practitioner, start) pairs once valid; the offer
    service checks again that each is free."""

    consultation_type = forms.ModelChoiceField(
        label="Consultation", queryset=ConsultationType.objects.none(), empty_label=None
    )
    practitioner = forms.ModelChoiceField(
        label="Show the times of",
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label="Every practitioner",
    )
    from_day = forms.DateField(
        label="Show times from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=f"The list shows {DAYS_SHOWN} days from this date.",
    )
    times = forms.MultipleChoiceField(
        label="Times to offer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, consultation_types, practitioners, now: datetime.datetime, **kw):
        super().__init__(*args, **kw)
        self.now = now
        self.fields["consultation_type"].queryset = consultation_types
        self.fields["consultation_type"].label_from_instance = PhoneBookingForm._type_label
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].label_from_instance = lambda practitioner: practitioner.name
        # Any time may be ticked (the lists change as they are paged): each is read below.
        self.fields["times"].valid_value = lambda value: True

    def chosen_values(self) -> list[str]:
        """The ticked times as sent (or given as initial values), each once, in order."""
        field = self.fields["times"]
        if self.is_bound:
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("times"))
        else:
            raw = self.get_initial_for_field(field, "times")
        return list(dict.fromkeys(value for value in raw or () if isinstance(value, str)))

    def clean_times(self) -> list[tuple[Practitioner, datetime.datetime]]:
        values = list(dict.fromkeys(self.cleaned_data["times"]))
        if not values:
            raise ValidationError("Choose at least one time to offer.")
        if len(values) > TimeOffer.MAX_TIMES:
            raise ValidationError(
                f"Choose at most {TimeOffer.MAX_TIMES} times: {len(values)} are ticked. "
                "Untick the ones not to offer."
            )
        pairs = [read_offer_value(value) for value in values]
        # Only this clinic's practitioners (read through for_staff) can be offered.
        people = self.fields["practitioner"].queryset.in_bulk(
            {pair[0] for pair in pairs if pair is not None}
        )
        if any(pair is None or pair[0] not in people for pair in pairs):
            raise ValidationError("Choose times from the lists.")
        return [(people[practitioner_id], starts_at) for practitioner_id, starts_at in pairs]
