"""The clinics' schedules: practitioners with their weekly hours and days that differ,
consultation types and closures."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTimeWidget
from django.db import models
from django.utils import formats, timezone

from bookings.admin.shared import StaffScopedAdmin, StaffScopedInline
from bookings.models import (
    ClinicClosure,
    ConsultationType,
    Practitioner,
    ScheduleOverride,
    Weekday,
    WorkingHours,
)
from bookings.services import (
    team,
)
from restoration_site.common.admin_display import NamedListEditable, rendition_thumbnail
from restoration_site.common.clinic_clock import (
    clinic_today,
)
from restoration_site.common.forms import PhotoField


def _span(starts, ends) -> str:
    return f"{starts:%H:%M} to {ends:%H:%M}"


def overlapping_spans(spans: list[tuple[str, object, object]]) -> list[str]:
    """What is wrong with a set of (day, starts, ends) spans: one message per pair on the same
    day that overlap. Spans that touch (13:00 to 14:00 after 09:00 to 13:00) do not overlap."""
    problems = []
    by_day: dict[str, list[tuple]] = {}
    for day, starts, ends in spans:
        by_day.setdefault(day, []).append((starts, ends))
    for day, day_spans in by_day.items():
        # Each span against the one reaching latest among those before it: a long span
        # overlapping two short ones is named with each.
        ordered = sorted(day_spans)
        reaching = ordered[0]
        for starts, ends in ordered[1:]:
            if starts < reaching[1]:
                problems.append(
                    f"{day}: {_span(*reaching)} and {_span(starts, ends)} overlap. "
                    "Change or remove one; a split shift is two spans with a gap between."
                )
            if ends > reaching[1]:
                reaching = (starts, ends)
    return problems


class ScheduleFormSet(forms.BaseInlineFormSet):
    """An inline of time spans, checked together: the rows kept (not being deleted) may not
    overlap on the same day."""

    def kept_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            if form.is_valid()
        ]


class WorkingHoursFormSet(ScheduleFormSet):
    def clean(self) -> None:
        super().clean()
        spans = [
            (Weekday(row["weekday"]).label, row["starts"], row["ends"])
            for row in self.kept_rows()
            if row.get("weekday") is not None and row.get("starts") and row.get("ends")
        ]
        if problems := overlapping_spans(spans):
            raise forms.ValidationError(problems)


class ScheduleOverrideFormSet(ScheduleFormSet):
    def clean(self) -> None:
        super().clean()
        problems = []
        spans = []
        days_off = set()
        for row in self.kept_rows():
            if not row.get("date"):
                continue
            day = formats.date_format(row["date"], "l j F Y")
            if row.get("starts") is None:
                days_off.add(day)
            else:
                spans.append((day, row["starts"], row["ends"]))
        problems += [
            f"{day}: a day off cannot also have hours. Remove the day off, or the hours."
            for day in sorted({day for day, _, _ in spans} & days_off)
        ]
        problems += overlapping_spans(spans)
        if problems:
            raise forms.ValidationError(problems)


class ScheduleInline(StaffScopedInline):
    """Spans of a practitioner's time, read and written as the clinic says them: 09:00."""

    extra = 1
    formfield_overrides = {models.TimeField: {"widget": AdminTimeWidget(format="%H:%M")}}


class WorkingHoursInline(ScheduleInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    fields = ["weekday", "starts", "ends"]
    verbose_name_plural = "weekly hours (two rows on one day make a split shift)"


class ScheduleOverrideForm(forms.ModelForm):
    def clean_date(self):
        day = self.cleaned_data["date"]
        if "date" in self.changed_data and day < clinic_today(timezone.now()):
            raise forms.ValidationError("This date has passed: overrides change days to come.")
        return day


class ScheduleOverrideInline(ScheduleInline):
    """Days to come that differ from the weekly hours; past ones are kept but not listed."""

    model = ScheduleOverride
    form = ScheduleOverrideForm
    formset = ScheduleOverrideFormSet
    fields = ["date", "starts", "ends", "note"]
    verbose_name = "date that differs"
    verbose_name_plural = (
        "dates that differ: leave the times empty for a day off, or give the hours worked "
        "that day (they replace the weekly hours)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(date__gte=clinic_today(timezone.now()))


class PractitionerForm(forms.ModelForm):
    """The admin's form (ModelAdmin supplies model and fields) with the upload check;
    bookings.services.team stores the cleaned copy."""

    photo = PhotoField(label="Photo", required=False)

    class Meta:
        labels = {"photo_alt": "Photo description"}


@admin.register(Practitioner)
class PractitionerAdmin(NamedListEditable, StaffScopedAdmin):
    form = PractitionerForm
    list_display = ["thumbnail", "name", "role", "clinic", "active", "position"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["clinic", "active"]
    list_select_related = ["clinic"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview"]
    inlines = [WorkingHoursInline, ScheduleOverrideInline]
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["clinic", "name", "slug", "role", "active", "position"]}),
        (
            "On the team page",
            {
                "fields": ["qualifications", "registration", "bio"],
                "description": "Clients read these before booking: give qualifications and "
                "registrations as they can check them.",
            },
        ),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_preview"]}),
    ]

    @admin.display(description="Photo")
    def thumbnail(self, practitioner: Practitioner) -> str:
        return rendition_thumbnail(practitioner.photo_renditions, practitioner.photo_alt, 48)

    @admin.display(description="Preview")
    def photo_preview(self, practitioner: Practitioner) -> str:
        return rendition_thumbnail(practitioner.photo_renditions, practitioner.photo_alt, 160)

    def save_model(self, request, obj: Practitioner, form, change: bool) -> None:
        team.save_practitioner(practitioner=obj, photo_changed="photo" in form.changed_data)

    def delete_model(self, request, obj: Practitioner) -> None:
        team.delete_practitioner(practitioner=obj)

    def delete_queryset(self, request, queryset) -> None:
        for practitioner in queryset:
            team.delete_practitioner(practitioner=practitioner)


@admin.register(ConsultationType)
class ConsultationTypeAdmin(NamedListEditable, StaffScopedAdmin):
    list_display = ["name", "clinic", "duration_minutes", "horizon_days", "active", "position"]
    list_editable = ["position"]
    list_filter = ["clinic", "active"]
    list_select_related = ["clinic"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["clinic", "name", "slug", "description", "active", "position"]}),
        (
            "Time",
            {"fields": ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]},
        ),
        (
            "Booking rules",
            {
                "fields": [
                    "start_step_minutes",
                    "minimum_notice_hours",
                    "horizon_days",
                    "change_cutoff_hours",
                ]
            },
        ),
    ]


@admin.register(ClinicClosure)
class ClinicClosureAdmin(StaffScopedAdmin):
    list_display = ["day", "name", "clinic", "source"]
    list_display_links = ["day"]
    list_filter = ["clinic", "source"]
    list_select_related = ["clinic"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date", "clinic__name"]
    fields = ["clinic", "date", "name", "source"]
    # Staff add closures of their own; bank holidays come from `load_bank_holidays`.
    readonly_fields = ["source"]

    @admin.display(description="Date", ordering="date")
    def day(self, closure: ClinicClosure) -> str:
        return formats.date_format(closure.date, "D j M Y")
