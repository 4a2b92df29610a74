"""Offering an enquiry times by email: the "Offer times" page of an enquiry, and what its
change page shows of the times offered so far.

The page lists the times a client could book online (the client's page can book nothing
else), grouped by day with the practitioner free at each, a week at a time; the client's
preferred dates and time of day decide which are ticked at first. Everything is read through
`for_staff`: another clinic's enquiry is a 404, and only the staff member's own clinic's
practitioners can be offered.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone

from bookings import staff_forms
from bookings.admin.shared import person, stamp
from bookings.models import (
    Appointment,
    ConsultationRequest,
    ConsultationType,
    OfferedTime,
    Practitioner,
    TimeOffer,
)
from bookings.services import availability, time_offers
from restoration_site.common.clinic_clock import (
    appointment_label,
    appointment_label_with_zone,
    clinic_time,
    clinic_today,
)

COUNT_WORDS = {1: "One time", 2: "Two times", 3: "Three times"}


def why_no_offer(enquiry: ConsultationRequest) -> str | None:
    """Why times cannot be offered to this enquiry, or None."""
    if enquiry.is_spam or enquiry.is_closed:
        return "This enquiry is closed: times can be offered only to an open enquiry."
    if Appointment.objects.filter(request_id=enquiry.pk).exists():
        return "This enquiry already has an appointment: move that one instead."
    return None


def change_page_context(model_admin, request: HttpRequest, *, enquiry: ConsultationRequest) -> dict:
    """What the enquiry's change page shows of offering times: the "Offer times" link (for
    staff who may work on an open enquiry without an appointment) and the offers made."""
    return {
        "may_offer_times": model_admin.has_change_permission(request, enquiry)
        and why_no_offer(enquiry) is None,
        "time_offers": offers_made(request, enquiry=enquiry),
    }


def offers_made(request: HttpRequest, *, enquiry: ConsultationRequest) -> list[dict]:
    """The enquiry's offers, newest first, as its page lists them (two queries)."""
    now = timezone.now()
    offers = (
        TimeOffer.objects.for_staff(request.user)
        .filter(request_id=enquiry.pk)
        .select_related("consultation_type", "offered_by", "appointment")
        .prefetch_related(
            Prefetch(
                "times",
                queryset=OfferedTime.objects.for_staff(request.user).select_related("practitioner"),
            )
        )
    )
    rows = []
    for offer in offers:
        booked = offer.appointment
        if offer.status == TimeOffer.Status.OPEN and offer.expires_at <= now:
            state = "Expired: not answered in time"
        else:
            state = offer.get_status_display()
        rows.append(
            {
                "offered": f"{stamp(offer.created_at)} by {person(offer.offered_by)}",
                "consultation": offer.consultation_type.name,
                "times": [
                    f"{appointment_label(time.starts_at)} with {time.practitioner.name}"
                    for time in offer.times.all()
                ],
                "state": state,
                "deadline": appointment_label_with_zone(offer.expires_at),
                "appointment": booked
                and {
                    "url": reverse("admin:bookings_appointment_change", args=[booked.pk]),
                    "label": appointment_label(booked.starts_at),
                },
            }
        )
    return rows


def _submitted(request: HttpRequest) -> tuple[dict | None, dict]:
    """The page's form data: bound when "Offer these times" sent it, or else the choices so
    far as initial values (ticked times included), so that showing other days keeps them."""
    if request.method != "POST":
        return None, {
            name: request.GET[name]
            for name in ("consultation_type", "practitioner", "from_day")
            if name in request.GET
        }
    if "_offer" in request.POST:
        return request.POST, {}
    initial = {
        name: request.POST.get(name, "")
        for name in ("consultation_type", "practitioner", "from_day")
    }
    initial["times"] = request.POST.getlist("times")
    if "_next_week" in request.POST or "_previous_week" in request.POST:
        field = staff_forms.OfferTimesForm.base_fields["from_day"]
        now = timezone.now()
        try:
            day = field.clean(initial["from_day"]) or clinic_today(now)
        except forms.ValidationError:  # a date sent wrong: start again from today
            day = clinic_today(now)
        step = datetime.timedelta(days=staff_forms.DAYS_SHOWN)
        day = day + step if "_next_week" in request.POST else day - step
        initial["from_day"] = max(day, clinic_today(now))
    return None, initial


def _listed_times(
    *,
    form: staff_forms.OfferTimesForm,
    consultation_type: ConsultationType | None,
    names: dict[int, str],
    chosen: set[str],
    now: datetime.datetime,
) -> list[dict]:
    """The week's free times a client could book online, a checkbox per practitioner free at
    each, grouped by day."""
    if consultation_type is None:
        return []
    practitioner = form.selected("practitioner")
    days = availability.free_times(
        consultation_type=consultation_type,
        practitioner=practitioner,
        now=now,
        first_day=form.first_day(),
        days=staff_forms.DAYS_SHOWN,
    )
    listed = []
    for day in days:
        times = []
        for time in day.times:
            at = f"{clinic_time(time.starts_at):%H:%M}"
            for pid in time.practitioner_ids:
                value = staff_forms.offer_value(pid, time.starts_at)
                times.append(
                    {
                        "value": value,
                        "id": f"time-{pid}-{time.starts_at:%Y%m%d%H%M}",
                        "label": f"{at} {names.get(pid, '')}".strip(),
                        "checked": value in chosen,
                    }
                )
        listed.append({"label": day.label, "times": times, "within_notice": day.within_notice})
    return listed


def _chosen_elsewhere(
    *, chosen: list[str], listed: list[dict], names: dict[int, str]
) -> list[dict]:
    """Ticked times the week on the page does not list (on other days, or of another
    practitioner), kept as ticked checkboxes so that paging through the weeks loses none."""
    shown = {time["value"] for day in listed for time in day["times"]}
    kept = []
    for value in chosen:
        pair = staff_forms.read_offer_value(value)
        if value in shown or pair is None or pair[0] not in names:
            continue
        practitioner_id, starts_at = pair
        kept.append(
            {
                "value": value,
                "id": f"kept-{practitioner_id}-{starts_at:%Y%m%d%H%M}",
                "label": f"{appointment_label(starts_at)} {names[practitioner_id]}",
            }
        )
    return kept


def offer_times_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Offer the enquiry up to three free times by email; the times ticked at first are the
    ones its preferred dates and time of day suggest (`time_offers.preselected_times`)."""
    enquiry = model_admin.get_object(request, unquote(object_id))
    if enquiry is None:
        # Another clinic's enquiry (or none): nothing says whether it exists.
        raise Http404("No such enquiry")
    if not model_admin.has_change_permission(request, enquiry):
        raise PermissionDenied
    change_page = reverse("admin:bookings_consultationrequest_change", args=[enquiry.pk])
    if refusal := why_no_offer(enquiry):
        model_admin.message_user(request, refusal, messages.WARNING)
        return HttpResponseRedirect(change_page)
    now = timezone.now()
    types = ConsultationType.objects.for_staff(request.user).filter(
        clinic_id=enquiry.clinic_id, active=True
    )
    practitioners = (
        Practitioner.objects.for_staff(request.user)
        .active()
        .filter(clinic_id=enquiry.clinic_id)
        .order_by("position", "name", "pk")
    )
    data, initial = _submitted(request)
    form = staff_forms.OfferTimesForm(
        data, initial=initial, consultation_types=types, practitioners=practitioners, now=now
    )
    consultation_type = form.selected("consultation_type") or types.first()
    if request.method != "POST" and consultation_type is not None:
        # First view (or another type chosen by address): the suggested times, ticked, and
        # the list starting on the first day they fall on.
        suggested = time_offers.preselected_times(
            enquiry=enquiry, consultation_type=consultation_type, now=now
        )
        form.initial["times"] = [staff_forms.offer_value(p.pk, at) for p, at in suggested]
        if suggested and "from_day" not in form.initial:
            form.initial["from_day"] = min(clinic_today(at) for _, at in suggested)
    if form.is_bound and form.is_valid():
        try:
            offer = time_offers.offer_times(
                enquiry=enquiry,
                consultation_type=form.cleaned_data["consultation_type"],
                times=form.cleaned_data["times"],
                by=request.user,
                now=now,
            )
        except time_offers.OfferRefused as refusal:
            form.add_error("times", refusal.reason)
        else:
            count = offer.times.count()
            model_admin.message_user(
                request,
                f"{COUNT_WORDS.get(count, f'{count} times')} offered to {enquiry.full_name}; "
                "the email is on its way.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_page)
    names = {practitioner.pk: practitioner.name for practitioner in practitioners}
    chosen = form.chosen_values()
    listed = _listed_times(
        form=form, consultation_type=consultation_type, names=names, chosen=set(chosen), now=now
    )
    return TemplateResponse(
        request,
        "admin/bookings/consultationrequest/offer_times.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Offer times to {enquiry.full_name}",
            "opts": model_admin.opts,
            "original": enquiry,
            "has_view_permission": model_admin.has_view_permission(request, enquiry),
            "form": form,
            "has_types": consultation_type is not None,
            "days": listed,
            "kept": _chosen_elsewhere(chosen=chosen, listed=listed, names=names),
            "chosen_count": len(chosen),
            "max_times": TimeOffer.MAX_TIMES,
            "days_shown": staff_forms.DAYS_SHOWN,
            "earlier": form.first_day() > clinic_today(now),
            "preferred_dates": ", ".join(
                formats.date_format(day) for day in enquiry.preferred_days
            ),
            "back": change_page,
            "open_offer": TimeOffer.objects.for_staff(request.user)
            .filter(request_id=enquiry.pk, status=TimeOffer.Status.OPEN, expires_at__gt=now)
            .exists(),
        },
    )
