"""Appointments: listed by day, booked by phone, moved and cancelled."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bookings import reception, staff_forms
from bookings.admin.reception import ReceptionDeskViews, day_url, outcome_choices, week_url
from bookings.admin.shared import PHONE_BOOKING_SOURCE, StaffScopedAdmin, person, stamp
from bookings.models import (
    Appointment,
    ConsultationType,
    Practitioner,
)
from bookings.services import (
    appointments,
    availability,
    routing,
)
from restoration_site.common.clinic_clock import (
    appointment_label,
    appointment_label_with_zone,
    clinic_time,
    clinic_today,
)


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter with a choice that applies when none is chosen; the choice showing
    everything is one of its own, so there is no "All"."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.chosen = self.value() or self.default_choice(request)

    def default_choice(self, request) -> str:
        return self.lookup_choices[0][0]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.chosen == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AppointmentTimeFilter(DefaultChoiceFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", "Upcoming"),
            ("today", "Today"),
            ("past", "Past"),
            ("unresolved", "Unresolved: over, no outcome"),
            ("any", "Any time"),
        ]

    def default_choice(self, request) -> str:
        # A day chosen in the date drill-down shows the whole day, its past hours too.
        if any(name.startswith("starts_at__") for name in request.GET):
            return "any"
        return "upcoming"

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.chosen == "upcoming":
            # An appointment under way is still reception's business.
            return queryset.filter(ends_at__gt=now)
        if self.chosen == "past":
            return queryset.filter(ends_at__lte=now)
        # The home page's counts come from the same functions (bookings.reception).
        if self.chosen == "today":
            return reception.appointments_today(queryset, now=now)
        if self.chosen == "unresolved":
            return reception.unresolved(queryset, now=now)
        return queryset


class AppointmentStatusFilter(DefaultChoiceFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Appointment.Status.choices, ("any", "Any status")]

    def queryset(self, request, queryset):
        if self.chosen in Appointment.Status.values:
            return queryset.filter(status=self.chosen)
        return queryset


class OwnClinicFilter(admin.RelatedFieldListFilter):
    """Practitioners or consultation types to filter by: the staff member's clinic's only,
    read through `for_staff` like everything else."""

    def field_choices(self, field, request, model_admin):
        rows = field.related_model.objects.for_staff(request.user)
        if request.user.is_superuser:
            return [(row.pk, str(row)) for row in rows.select_related("clinic")]
        return [(row.pk, row.name) for row in rows]


def _submitted(request, button: str) -> tuple[dict | None, dict]:
    """A choose-a-time page's form data: bound when `button` sent it (to book or move), or
    else the choices so far as initial values, so that showing other times keeps what was
    typed and shows no errors."""
    if request.method != "POST":
        return None, request.GET.dict()
    if button in request.POST:
        return request.POST, {}
    initial = request.POST.dict()
    if "_next_week" in request.POST:
        chosen = staff_forms.TimeChoiceForm.base_fields["from_day"]
        try:
            day = chosen.clean(initial.get("from_day")) or clinic_today(timezone.now())
        except forms.ValidationError:
            day = clinic_today(timezone.now())
        initial["from_day"] = day + datetime.timedelta(days=staff_forms.DAYS_SHOWN)
    return None, initial


@admin.register(Appointment)
class AppointmentAdmin(ReceptionDeskViews, StaffScopedAdmin):
    """Reception's appointments, day by day. An appointment's page is read-only: it is booked
    by phone ("Book an appointment"), moved and cancelled through the appointment services,
    which email the client, and it leaves only with its enquiry (erasure or retention)."""

    list_display = ["time", "practitioner_name", "type_name", "client", "state", "booked", "clinic"]
    list_display_links = ["time"]
    list_filter = [
        AppointmentTimeFilter,
        AppointmentStatusFilter,
        ("practitioner", OwnClinicFilter),
        ("consultation_type", OwnClinicFilter),
        "clinic",
    ]
    list_select_related = ["request", "practitioner", "consultation_type", "booked_by", "clinic"]
    search_fields = ["request__reference", "request__full_name", "request__email"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at", "pk"]
    list_per_page = 100
    actions = ["cancel_selected"]
    view_on_site = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "time",
                    "ends",
                    "practitioner_name",
                    "type_name",
                    "state",
                    "outside_hours",
                ]
            },
        ),
        ("The client", {"fields": ["enquiry_link", "client", "phone_link"]}),
        ("Record", {"fields": ["booked", "cancellation"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_change_permission(self, request, obj=None) -> bool:
        # Nothing is edited on the page: times change only by moving or cancelling.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_move_permission(self, request) -> bool:
        """Moving and cancelling are the admin's "change" of an appointment."""
        return request.user.has_perm("bookings.change_appointment")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name=f"{name}_move",
            ),
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name=f"{name}_cancel",
            ),
            *self.reception_urls(),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        # Lists that can hold appointments that have started show what happened, with the
        # buttons to record it; the upcoming list (the default) has nothing to record yet.
        when = request.GET.get("when", "upcoming")
        if when == "upcoming" and not any(name.startswith("starts_at__") for name in request.GET):
            return columns
        outcome = "outcome_buttons" if self.has_move_permission(request) else "outcome_state"
        if when == "unresolved":
            # All booked, how each was booked beside the point: room for the buttons.
            columns = [column for column in columns if column not in ("state", "booked")]
        return [*columns, outcome]

    @admin.display(description="Outcome")
    def outcome_state(self, appointment: Appointment) -> str:
        if appointment.outcome:
            return appointment.get_outcome_display()
        if appointment.is_booked and appointment.ends_at <= timezone.now():
            return "Unresolved"
        return "—"

    @admin.display(description="Outcome")
    def outcome_buttons(self, appointment: Appointment) -> str:
        """The outcome, and buttons to record or change it. They sit inside the list's own
        form (which has its CSRF token and the list's address as `next`), each sending it to
        the outcome view instead of the actions."""
        now = timezone.now()
        action = reverse("admin:bookings_appointment_outcome", args=[appointment.pk])
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" name="outcome" value="{}">'
            '{}<span class="visually-hidden">: {}</span></button>',
            (
                (action, choice["value"], choice["label"], appointment.request.full_name)
                for choice in outcome_choices(appointment, now=now)
            ),
        )
        return format_html(
            '<span class="outcome-state">{}</span> {}', self.outcome_state(appointment), buttons
        )

    @admin.display(description="Time (UK)", ordering="starts_at")
    def time(self, appointment: Appointment) -> str:
        return appointment_label(appointment.starts_at)

    @admin.display(description="Ends")
    def ends(self, appointment: Appointment) -> str:
        return appointment_label_with_zone(appointment.ends_at)

    @admin.display(description="Practitioner", ordering="practitioner__name")
    def practitioner_name(self, appointment: Appointment) -> str:
        return appointment.practitioner.name

    @admin.display(description="Consultation", ordering="consultation_type__name")
    def type_name(self, appointment: Appointment) -> str:
        return appointment.consultation_type.name

    @admin.display(description="Client", ordering="request__full_name")
    def client(self, appointment: Appointment) -> str:
        return appointment.request.full_name

    @admin.display(description="Status", ordering="status")
    def state(self, appointment: Appointment) -> str:
        return appointment.get_status_display()

    @admin.display(description="Booked")
    def booked(self, appointment: Appointment) -> str:
        if appointment.booked_by_id is None:
            return "Online"
        return f"By phone, {person(appointment.booked_by)}"

    @admin.display(description="Enquiry")
    def enquiry_link(self, appointment: Appointment) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bookings_consultationrequest_change", args=[appointment.request_id]),
            appointment.request.reference,
        )

    @admin.display(description="Phone")
    def phone_link(self, appointment: Appointment) -> str:
        phone = appointment.request.phone
        return format_html('<a href="tel:{}">{}</a>', phone, phone)

    @admin.display(description="Cancelled")
    def cancellation(self, appointment: Appointment) -> str:
        if appointment.is_booked:
            return "—"
        return (
            f"{stamp(appointment.cancelled_at)} by "
            f"{appointment.get_cancelled_by_display().lower()}: {appointment.cancel_reason}"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_move": self.has_move_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The page links to the appointment's day sheet and week grid.
            day = clinic_time(obj.starts_at).date()
            context.update(day_url=day_url(day), week_url=week_url(day))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _appointment_or_redirect(self, request, object_id):
        """The appointment, read through `for_staff`, or the admin's own answer to an address
        that finds nothing (another clinic's appointment is one)."""
        appointment = self.get_object(request, unquote(object_id))
        if appointment is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_move_permission(request):
            raise PermissionDenied
        return appointment, None

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        for appointment in [context.get("original"), *context.get("appointments", ())]:
            if appointment is not None:
                appointment.when = appointment_label_with_zone(appointment.starts_at)
        return TemplateResponse(
            request,
            f"admin/bookings/appointment/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "has_view_permission": self.has_view_permission(request),
                "days_shown": staff_forms.DAYS_SHOWN,
                **context,
            },
        )

    def _free_times(self, *, form, consultation_type, practitioners, now, excluding=None):
        """The free times the page lists for the form's choices, grouped by day."""
        if consultation_type is None:
            return []
        practitioner = form.selected("practitioner")
        if practitioner is not None and practitioner.clinic_id != consultation_type.clinic_id:
            practitioner = None
        days = availability.free_times(
            consultation_type=consultation_type,
            practitioner=practitioner,
            now=now,
            first_day=form.first_day(),
            days=staff_forms.DAYS_SHOWN,
            for_staff=True,
            excluding_appointment_id=excluding,
        )
        names = (
            {practitioner.pk: practitioner.name}
            if practitioner
            else {p.pk: p.name for p in practitioners if p.clinic_id == consultation_type.clinic_id}
        )
        return staff_forms.free_time_days(days, names=names, chosen=form.selected("time"))

    def _refused(self, request, refusal: appointments.BookingRefused) -> list[dict]:
        """Tell the member of staff why, and return the nearest free times to offer."""
        self.message_user(request, refusal.reason, messages.ERROR)
        return [
            {"value": time.starts_at.isoformat(), "label": time.label_with_zone}
            for time in getattr(refusal, "alternatives", ())
        ]

    def _done(self, request, appointment: Appointment, what: str) -> HttpResponseRedirect:
        self.message_user(
            request,
            f"{appointment.request.full_name}: {what} "
            f"{appointment_label_with_zone(appointment.starts_at)} with "
            f"{appointment.practitioner.name}. The client is being emailed.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:bookings_appointment_change", args=[appointment.pk])
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Book an appointment for a caller: their details, then a free time (or one outside
        the practitioner's hours), stored as an enquiry and its appointment in one go."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        now = timezone.now()
        types = (
            ConsultationType.objects.for_staff(request.user)
            .filter(active=True)
            .select_related("clinic")
        )
        practitioners = Practitioner.objects.for_staff(request.user).active()
        data, initial = _submitted(request, "_book")
        form = staff_forms.PhoneBookingForm(
            data,
            initial=initial,
            consultation_types=types,
            practitioners=practitioners,
            enquiry_types=routing.clinic_of_each_enquiry_type(),
            now=now,
        )
        alternatives = []
        if form.is_bound and form.is_valid():
            chosen = form.cleaned_data
            try:
                appointment = appointments.book_consultation(
                    full_name=chosen["full_name"],
                    email=chosen["email"],
                    phone=chosen["phone"],
                    contact_method=chosen["contact_method"],
                    enquiry_type=chosen["enquiry_type"],
                    message=chosen["message"],
                    consultation_type=chosen["consultation_type"],
                    practitioner=chosen["practitioner"],
                    starts_at=chosen["starts_at"],
                    outside_hours=chosen["outside_hours"],
                    submission_key=chosen["submission_key"],
                    source=f"{PHONE_BOOKING_SOURCE}{person(request.user)}"[:200],
                    by=request.user,
                )
            except appointments.BookingRefused as refusal:
                alternatives = self._refused(request, refusal)
            else:
                return self._done(request, appointment, "booked for")
        consultation_type = form.selected("consultation_type") or types.first()
        return self._page(
            request,
            "book.html",
            "Book an appointment",
            form=form,
            has_types=types.exists(),
            days=self._free_times(
                form=form,
                consultation_type=consultation_type,
                practitioners=practitioners,
                now=now,
            ),
            alternatives=alternatives,
        )

    def move_view(self, request, object_id):
        """A new time for a booked appointment: free times of its consultation type, or one
        outside the practitioner's hours; the client is sent the new time."""
        appointment, redirect = self._appointment_or_redirect(request, object_id)
        if redirect:
            return redirect
        now = timezone.now()
        practitioners = (
            Practitioner.objects.for_staff(request.user)
            .active()
            .filter(clinic_id=appointment.clinic_id)
        )
        data, initial = _submitted(request, "_move")
        form = staff_forms.MoveForm(
            data if appointment.is_booked else None,
            initial=initial,
            appointment=appointment,
            practitioners=practitioners,
            now=now,
        )
        alternatives = []
        if appointment.is_booked and form.is_bound and form.is_valid():
            try:
                moved = appointments.reschedule_appointment(
                    appointment=appointment,
                    starts_at=form.cleaned_data["starts_at"],
                    practitioner=form.cleaned_data["practitioner"],
                    outside_hours=form.cleaned_data["outside_hours"],
                    by=request.user,
                )
            except appointments.BookingRefused as refusal:
                alternatives = self._refused(request, refusal)
            else:
                return self._done(request, moved, "moved to")
        return self._page(
            request,
            "move.html",
            "Move the appointment",
            original=appointment,
            form=form,
            days=self._free_times(
                form=form,
                consultation_type=appointment.consultation_type,
                practitioners=practitioners,
                now=now,
                excluding=appointment.pk,
            )
            if appointment.is_booked
            else [],
            alternatives=alternatives,
            cancelled=None if appointment.is_booked else self.cancellation(appointment),
        )

    def cancel_view(self, request, object_id):
        """Cancel one appointment, with the reason kept on it; the client is told."""
        appointment, redirect = self._appointment_or_redirect(request, object_id)
        if redirect:
            return redirect
        change_page = reverse("admin:bookings_appointment_change", args=[appointment.pk])
        if not appointment.is_booked:
            self.message_user(request, "This appointment is already cancelled.", messages.WARNING)
            return HttpResponseRedirect(change_page)
        form = staff_forms.CancelForm(request.POST or None)
        if form.is_valid():
            appointments.cancel_appointment(
                appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
            )
            self.message_user(
                request,
                f"{appointment.request.full_name}'s appointment on "
                f"{appointment_label_with_zone(appointment.starts_at)} is cancelled. The client "
                "is being emailed, and the time is free again.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_page)
        return self._page(
            request,
            "cancel.html",
            "Cancel the appointment",
            original=appointment,
            appointments=[appointment],
            form=form,
            back=change_page,
        )

    @admin.action(description="Cancel selected appointments", permissions=["move"])
    def cancel_selected(self, request, queryset):
        """Cancel several appointments at once (a practitioner off sick): asks for the reason
        on a page of its own, then cancels each; the clients are told."""
        booked = list(queryset.booked())
        if not booked:
            self.message_user(request, "None of those appointments is booked.", messages.WARNING)
            return None
        form = staff_forms.CancelForm(request.POST if "confirm_cancel" in request.POST else None)
        if form.is_bound and form.is_valid():
            for appointment in booked:
                appointments.cancel_appointment(
                    appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
                )
            self.message_user(
                request,
                f"Cancelled {len(booked)} appointment(s). The clients are being emailed.",
                messages.SUCCESS,
            )
            return None
        return self._page(
            request,
            "cancel.html",
            "Cancel appointments",
            appointments=booked,
            form=form,
            bulk=True,
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
            back=reverse("admin:bookings_appointment_changelist"),
        )
