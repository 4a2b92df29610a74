"""Reception's day in the admin: the home page's counts, the day sheet, the week grid and the
outcome buttons. Every read goes through `for_staff` (bookings.reception); the counts link to
the admin's own lists, filtered by the same functions that count them."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from bookings import reception
from bookings.models import Appointment
from bookings.services import outcomes
from restoration_site.common.clinic_clock import clinic_time, clinic_today, day_label

APPOINTMENTS = "admin:bookings_appointment_changelist"
ENQUIRIES = "admin:bookings_consultationrequest_changelist"


def list_url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def day_url(day: datetime.date) -> str:
    return reverse("admin:bookings_appointment_day_of", args=[day.isoformat()])


def week_url(day: datetime.date) -> str:
    return reverse("admin:bookings_appointment_week_of", args=[day.isoformat()])


def short_day(day: datetime.date) -> str:
    """“Mon 7 Dec”."""
    return f"{day:%a} {day.day} {day:%b}"


# THE LISTS BEHIND THE HOME PAGE'S COUNTS


class EnquiryReceptionFilter(admin.SimpleListFilter):
    """The enquiry lists the home page counts, each narrowed by the function that counts it."""

    title = "reception"
    parameter_name = "reception"

    def lookups(self, request, model_admin):
        return [
            ("today", "Received today"),
            ("overdue", "New for over a working day"),
            ("contacted", "Contacted, no appointment yet"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "today":
            return reception.received_today(queryset, now=now)
        if self.value() == "overdue":
            return reception.new_for_over_a_working_day(queryset, user=request.user, now=now)
        if self.value() == "contacted":
            return reception.contacted_without_appointment(queryset, user=request.user)
        return queryset


# THE HOME PAGE


COLUMNS = [
    # (count, heading, the list it opens)
    ("received_today", "New enquiries today", ENQUIRIES, {"reception": "today"}),
    (
        "new_for_over_a_working_day",
        "New for over a working day",
        ENQUIRIES,
        {"reception": "overdue"},
    ),
    (
        "contacted_without_appointment",
        "Contacted, no appointment yet",
        ENQUIRIES,
        {"reception": "contacted"},
    ),
    (
        "appointments_today",
        "Appointments today",
        APPOINTMENTS,
        {"when": "today", "status": "booked"},
    ),
    ("unresolved", "Unresolved appointments", APPOINTMENTS, {"when": "unresolved"}),
]


def home(request) -> dict | None:
    """The admin home's "Today" block for the staff member's clinic (a superuser: a row for
    each clinic), or None for an account with no clinic."""
    user = request.user
    now = timezone.now()
    rows = reception.clinics_today(user=user, now=now)
    if not rows:
        return None
    table = []
    for row in rows:
        # A superuser's row opens its own clinic's rows; staff see only theirs anyway.
        clinic = {"clinic__id__exact": row.clinic.pk} if user.is_superuser else {}
        table.append(
            {
                "clinic": row.clinic,
                "cells": [
                    {
                        "count": getattr(row, name),
                        "heading": heading,
                        "url": list_url(target, **params, **clinic),
                    }
                    for name, heading, target, params in COLUMNS
                ],
            }
        )
    today = clinic_today(now)
    return {
        "caption": "Today at each clinic"
        if user.is_superuser
        else f"Today at {rows[0].clinic.name}",
        "headings": [heading for _, heading, _, _ in COLUMNS],
        "rows": table,
        "unresolved": sum(row.unresolved for row in rows),
        "unresolved_url": list_url(APPOINTMENTS, when="unresolved"),
        "day_url": day_url(today),
        "week_url": week_url(today),
    }


# THE DAY SHEET, THE WEEK GRID AND THE OUTCOME BUTTONS


class DayForm(forms.Form):
    """The day sheet's "Go to a day": a date typed or picked, sent as a plain GET."""

    day = forms.DateField(
        label="Go to a day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # A browser without a date field shows a text box: the ways people write a date here.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"],
        error_messages={
            "required": "Enter a date.",
            "invalid": "Enter a real date.",
        },
    )

    def clean_day(self) -> datetime.date:
        day = self.cleaned_data["day"]
        if not reception.FIRST_DAY <= day <= reception.LAST_DAY:
            raise forms.ValidationError("Enter a date between the years 2000 and 2999.")
        return day


def _day_in_address(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("No such day.") from None
    if not reception.FIRST_DAY <= day <= reception.LAST_DAY:
        raise Http404("No such day.")
    return day


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def state(appointment: Appointment, *, now: datetime.datetime) -> str:
    """Where an appointment stands, as reception says it."""
    if not appointment.is_booked:
        if appointment.outcome:
            return f"Cancelled: {appointment.get_outcome_display().lower()}"
        return "Cancelled"
    if appointment.outcome:
        return appointment.get_outcome_display()
    if appointment.ends_at <= now:
        return "Unresolved"
    if appointment.starts_at <= now:
        return "Under way"
    return "Booked"


def outcome_choices(appointment: Appointment, *, now: datetime.datetime) -> list[dict]:
    """The buttons an appointment offers now: attended and no-show once it has started (the
    one recorded offered as a change), a late cancellation while it is still to come inside
    its type's change cut-off."""
    if outcomes.may_record(appointment=appointment, now=now):
        verb = "Change to " if appointment.outcome else ""
        return [
            {"value": value, "label": f"{verb}{label}" if verb else label}
            for value, label in Appointment.Outcome.choices
            if value in outcomes.RECORDED and value != appointment.outcome
        ]
    if outcomes.may_cancel_late(appointment=appointment, now=now):
        return [
            {
                "value": Appointment.Outcome.LATE_CANCELLATION,
                "label": Appointment.Outcome.LATE_CANCELLATION.label,
            }
        ]
    return []


class ReceptionDeskViews:
    """The day sheet, the week grid and the outcome buttons, as pages of the appointment
    admin (its permissions, its breadcrumbs)."""

    def reception_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        iso_day = r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})"
        return [
            path("day/", view(self.day_view), name=f"{name}_day"),
            re_path(rf"^day/{iso_day}/$", view(self.day_view), name=f"{name}_day_of"),
            path("week/", view(self.week_view), name=f"{name}_week"),
            re_path(rf"^week/{iso_day}/$", view(self.week_view), name=f"{name}_week_of"),
            path("<int:object_id>/outcome/", view(self.outcome_view), name=f"{name}_outcome"),
        ]

    def _reception_page(self, request, template: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/bookings/appointment/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "has_view_permission": True,
                **context,
            },
        )

    def day_view(self, request, day: str | None = None):
        """One day at the staff member's clinic: each practitioner's appointments in time
        order, with the outcome buttons."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        today = clinic_today(now)
        form = DayForm(request.GET if "day" in request.GET else None)
        if form.is_bound and form.is_valid():
            return HttpResponseRedirect(day_url(form.cleaned_data["day"]))
        shown = _day_in_address(day) if day else today
        may_record = self.has_move_permission(request)
        sheet = reception.day_sheet(user=request.user, day=shown)
        for clinic in sheet:
            for row in clinic.practitioners:
                for appointment in row.appointments:
                    self._describe(appointment, now=now, may_record=may_record)
        if not form.is_bound:
            form = DayForm(initial={"day": shown})
        one_day = datetime.timedelta(days=1)
        return self._reception_page(
            request,
            "day.html",
            title=f"Appointments on {day_label(shown)}",
            day=shown,
            day_name=day_label(shown),
            is_today=shown == today,
            sheet=sheet,
            form=form,
            previous={"url": day_url(shown - one_day), "label": day_label(shown - one_day)},
            next={"url": day_url(shown + one_day), "label": day_label(shown + one_day)},
            today_url=reverse("admin:bookings_appointment_day"),
            week_url=week_url(shown),
            here=request.get_full_path(),
            may_record=may_record,
        )

    @staticmethod
    def _describe(appointment: Appointment, *, now: datetime.datetime, may_record: bool) -> None:
        """What the day sheet shows of an appointment, worked out once here."""
        starts, ends = clinic_time(appointment.starts_at), clinic_time(appointment.ends_at)
        appointment.clock = f"{starts:%H:%M}"
        appointment.until = f"{ends:%H:%M}"
        appointment.state = state(appointment, now=now)
        appointment.choices = outcome_choices(appointment, now=now) if may_record else []

    def week_view(self, request, day: str | None = None):
        """The week (Monday to Sunday) holding `day`: a table of each practitioner's
        appointments, day by day, for reading or printing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = clinic_today(timezone.now())
        days = reception.week_of(_day_in_address(day) if day else today)
        grid = reception.week_grid(user=request.user, days=days)
        for clinic in grid:
            for row in clinic.practitioners:
                for appointments in row.days:
                    for appointment in appointments:
                        appointment.clock = f"{clinic_time(appointment.starts_at):%H:%M}"
                        words = appointment.request.full_name.split()
                        appointment.surname = words[-1] if words else ""
            # The table's columns: each day, linking to its sheet, and whether it is closed.
            clinic.columns = [
                {
                    "date": day,
                    "label": short_day(day),
                    "url": day_url(day),
                    "is_today": day == today,
                    "closure": closure,
                }
                for day, closure in zip(days, clinic.closures, strict=True)
            ]
        week = datetime.timedelta(days=7)
        return self._reception_page(
            request,
            "week.html",
            title=f"Week of {day_label(days[0])}",
            first_day=day_label(days[0]),
            grid=grid,
            previous={"url": week_url(days[0] - week), "label": day_label(days[0] - week)},
            next={"url": week_url(days[0] + week), "label": day_label(days[0] + week)},
            this_week_url=reverse("admin:bookings_appointment_week"),
            day_url=day_url(today if today in days else days[0]),
        )

    def outcome_view(self, request, object_id: int):
        """Record an outcome (attended, no-show) or a late cancellation from a button on the
        day sheet or the list, then go back there. Another clinic's appointment is a 404."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        appointment = get_object_or_404(
            Appointment.objects.for_staff(request.user).select_related(
                "request", "consultation_type", "clinic"
            ),
            pk=object_id,
        )
        if not self.has_move_permission(request):
            raise PermissionDenied
        chosen = request.POST.get("outcome", "")
        who = (
            f"{appointment.request.full_name}, "
            f"{day_label(clinic_time(appointment.starts_at).date())} at "
            f"{clinic_time(appointment.starts_at):%H:%M}"
        )
        try:
            if chosen == Appointment.Outcome.LATE_CANCELLATION:
                outcomes.cancel_late(appointment=appointment, by=request.user)
                done = (
                    f"{who}: cancelled, a late cancellation. The client is being emailed, and "
                    "the time is free again."
                )
            elif chosen in outcomes.RECORDED:
                outcomes.set_outcome(appointment=appointment, outcome=chosen, by=request.user)
                done = f"{who}: {Appointment.Outcome(chosen).label.lower()}."
            else:
                raise outcomes.OutcomeRefused("Choose attended, no-show or late cancellation.")
        except outcomes.OutcomeRefused as refusal:
            self.message_user(request, f"{who}: {refusal.reason}", messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        back = _safe_next(request) or day_url(clinic_time(appointment.starts_at).date())
        return HttpResponseRedirect(back)
