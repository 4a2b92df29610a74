import datetime
import logging
import secrets
from dataclasses import replace
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from bookings import forms, selectors
from bookings.forms import ConsultationRequestForm
from bookings.models import (
    Appointment,
    ConsultationRequest,
    ContactMethod,
    EnquiryPhoto,
    TimeOfDay,
    WaitingListEntry,
    WaitingListOffer,
)
from bookings.services import (
    appointments,
    availability,
    client_links,
    emails,
    enquiries,
    manage_links,
    routing,
    waiting_list_emails,
)
from bookings.services import waiting_list as waiting_list_service
from bookings.services.appointments import TAKEN
from restoration_site.common import ratelimit
from restoration_site.common.caching import cached_public_page
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import appointment_label_with_zone, clinic_today
from restoration_site.common.private_pages import csrf_protect_without_referrer, private_page
from restoration_site.common.staff import signed_in_staff
from restoration_site.common.storage import private_download

# The thank-you page learns the reference from a short-lived signed cookie: no database write
# for a session, and nothing personal in the address.
THANK_YOU_COOKIE = "consultation_reference"
THANK_YOU_COOKIE_SALT = "bookings.thank-you"
THANK_YOU_COOKIE_SECONDS = 3600


# Every field is the visitor's own (name, contact details, health in the message): an error
# report for this view shows none of them.
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def consultation(request: HttpRequest) -> HttpResponse:
    routed_away = routing.enquiry_types_routed_away()
    if request.method == "POST":
        attempt = ratelimit.reserve_attempt(ip=ratelimit.client_ip(request))
        if attempt is None:
            return _rate_limited(request, form="consultation")
        form = ConsultationRequestForm(request.POST, request.FILES, routed_away=routed_away)
        if not form.is_valid():
            ratelimit.release_attempt(attempt)
        else:
            data = form.cleaned_data
            enquiry = enquiries.create_consultation_request(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                contact_method=data["contact_method"],
                enquiry_type=data["enquiry_type"],
                preferred_dates=data["preferred_dates"],
                preferred_time=data["preferred_time"],
                message=data["message"],
                heard_about=data["heard_about"],
                marketing_opt_in=data["marketing_opt_in"],
                source=data["source"],
                photos=data["photos"],
                is_spam=form.is_spam,
            )
            return _thank_you(enquiry)
    else:
        enquiry_type = request.GET.get("type", "")
        form = ConsultationRequestForm(
            initial={
                "enquiry_type": enquiry_type if enquiry_type in EnquiryType.values else "",
                "source": request.GET.get("from", "")[:200],
            },
            routed_away=routed_away,
        )
    chosen = form["enquiry_type"].value()
    return render(
        request,
        "bookings/consultation.html",
        {
            "form": form,
            "routed_away": routed_away,
            "routed_to": routed_away.get(chosen or ""),
            "photos_to_choose_again": form.is_bound and bool(request.FILES) and form.errors,
            "times_url": _times_url(type=chosen or "", **{"from": form["source"].value() or ""}),
        },
    )


def _rate_limited(request: HttpRequest, *, form: str) -> HttpResponse:
    logging.getLogger("restoration.security").warning("rate_limited form=%s", form)
    response = render(request, "bookings/rate_limited.html", status=429)
    response["Retry-After"] = str(settings.CONSULTATION_RATE_WINDOW_SECONDS)
    return response


def _redirect_remembering(to: str, *, cookie: str, salt: str, value: str) -> HttpResponse:
    """POST/redirect/GET to `to`, which learns `value` from a short-lived signed cookie sent to
    that page only: nothing in the address, no session to store."""
    response = redirect(to)
    response.set_signed_cookie(
        cookie,
        value,
        salt=salt,
        max_age=THANK_YOU_COOKIE_SECONDS,
        path=reverse(to),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _remembered(request: HttpRequest, *, cookie: str, salt: str) -> str | None:
    return request.get_signed_cookie(
        cookie, default=None, salt=salt, max_age=THANK_YOU_COOKIE_SECONDS
    )


def _thank_you(enquiry: ConsultationRequest) -> HttpResponse:
    return _redirect_remembering(
        "bookings:thank_you",
        cookie=THANK_YOU_COOKIE,
        salt=THANK_YOU_COOKIE_SALT,
        value=enquiry.reference,
    )


@require_safe
def thank_you(request: HttpRequest) -> HttpResponse:
    """After POST/redirect/GET: the reference comes from the signed cookie, never the address."""
    reference = _remembered(request, cookie=THANK_YOU_COOKIE, salt=THANK_YOU_COOKIE_SALT)
    if not reference:
        return redirect("bookings:consultation")
    enquiry = (
        ConsultationRequest.objects.select_related("clinic")
        .only("reference", "contact_method", "clinic__name", "clinic__phone", "is_spam")
        .filter(reference=reference)
        .first()
    )
    if enquiry is None:
        return redirect("bookings:consultation")
    return render(
        request,
        "bookings/thank_you.html",
        {"enquiry": enquiry, "contact_promise": emails.CONTACT_PROMISE},
    )


@require_safe
def photo(request: HttpRequest, pk: int, download: bool = False) -> HttpResponse:
    """An enquiry photo, to show inside the admin or (`download`) as a file to keep; from object
    storage, a redirect to a short-lived signed URL. Only for staff who may see that enquiry;
    anyone else gets a 404 (not a login page), so the address says nothing about whether the
    photo exists. Never kept in a browser's or a proxy's cache either way."""
    if not signed_in_staff(request):
        raise Http404("Photo not found")
    photo = get_object_or_404(
        EnquiryPhoto.objects.for_staff(request.user).select_related("request"), pk=pk
    )
    return private_download(
        photo.image,
        filename=f"{photo.request.reference}-{photo.pk}{Path(photo.image.name).suffix}",
        as_attachment=download,
    )


@require_safe
@cached_public_page(selectors.schedule_version)
def team(request: HttpRequest) -> HttpResponse:
    """“Our team”: each clinic's practitioners and opening hours, from the schedules staff
    keep in the admin."""
    return render(request, "bookings/team.html", {"teams": selectors.clinic_teams()})


# BOOKING A TIME
# The visitor's pages: choose a time (/book/times/), give the details and book
# (/book/details/), then the confirmation (/book/booked/). Every step is a plain GET form or
# one POST, so they work without JavaScript; the choice travels in the address, then in the
# form's hidden fields, and is checked again at each step.

BOOKED_COOKIE = "appointment_booked"
BOOKED_COOKIE_SALT = "bookings.booked"


def _times_url(**params: str) -> str:
    """The times page with these parameters (empty ones left out)."""
    query = urlencode({name: value for name, value in params.items() if value}, safe="/")
    return reverse("bookings:times") + (f"?{query}" if query else "")


def _request_url(*, enquiry_type: str, source: str) -> str:
    """The request form (“none of these times suits me”), with the same type and source."""
    query = urlencode({"type": enquiry_type, "from": source}, safe="/")
    return f"{reverse('bookings:consultation')}?{query}"


def _read_day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _missing(missing: bool, element_id: str, name: str, message: str) -> list:
    """The error summary of a step sent without its one question answered."""
    return [(element_id, name, message)] if missing else []


def _time_id(time: availability.FreeTime) -> str:
    """The id of a time's radio button (templates/bookings/_times.html)."""
    return f"time-{forms.iso_moment(time.starts_at)}"


def _times_component(window: selectors.TimesWindow, *, page_url: str) -> dict:
    """What templates/bookings/_times.html needs: a week of free times and the links to the
    weeks either side (`page_url` is the page's address without `start`)."""
    joiner = "&" if "?" in page_url else "?"
    return {
        "window": window,
        "earlier_url": window.earlier and f"{page_url}{joiner}start={window.earlier.isoformat()}",
        "later_url": window.later and f"{page_url}{joiner}start={window.later.isoformat()}",
    }


@require_safe
def times(request: HttpRequest) -> HttpResponse:
    """Choose a time: what the consultation is about (which decides the clinic), then, if the
    clinic offers several, which consultation, then a week of free times, with a filter by
    practitioner. Everything is a GET form: no JavaScript needed."""
    source = forms.read_source(request.GET)
    step = request.GET.get("step", "")
    enquiry_type = request.GET.get("type", "")
    if enquiry_type not in EnquiryType.values:
        return render(
            request,
            "bookings/choose_type.html",
            {
                "source": source,
                "enquiry_types": EnquiryType.choices,
                "routed_away": routing.enquiry_types_routed_away(),
                "missing": step == "type",
                "summary": _missing(
                    step == "type",
                    f"type-{EnquiryType.values[0]}",
                    "What it is about",
                    "Please choose what you would like to talk about.",
                ),
            },
        )
    offer = selectors.booking_offer(enquiry_type=enquiry_type)
    request_url = _request_url(enquiry_type=enquiry_type, source=source)
    consultation_type = offer.consultation_type(request.GET.get("consultation", ""))
    if consultation_type is None and len(offer.consultation_types) == 1:
        (consultation_type,) = offer.consultation_types
    if consultation_type is None:
        return render(
            request,
            "bookings/choose_consultation.html",
            {
                "offer": offer,
                "source": source,
                "request_url": request_url,
                "missing": step == "consultation",
                "summary": _missing(
                    step == "consultation" and bool(offer.consultation_types),
                    offer.consultation_types and f"consultation-{offer.consultation_types[0].slug}",
                    "Consultation",
                    "Please choose a consultation.",
                ),
            },
        )
    choice = forms.AppointmentChoice(
        offer=offer,
        consultation_type=consultation_type,
        practitioner=offer.practitioner(request.GET.get("practitioner", "")),
        source=source,
    )
    window = selectors.times_window(
        consultation_type=consultation_type,
        practitioner=choice.practitioner,
        now=timezone.now(),
        first_day=_read_day(request.GET.get("start", "")),
    )
    return render(
        request,
        "bookings/times.html",
        {
            "choice": choice,
            "offer": offer,
            "request_url": request_url,
            "missing": step == "time",
            "summary": _missing(
                step == "time" and window.has_times,
                window.has_times and _time_id(window.first_time),
                "Time",
                "Please choose a time to continue.",
            ),
            **_times_component(window, page_url=f"{reverse('bookings:times')}?{choice.query()}"),
            "waiting_list_url": _waiting_list_url(
                type=offer.enquiry_type,
                consultation=consultation_type.slug,
                practitioner=choice.practitioner.slug if choice.practitioner else "",
                **{"from": source},
            ),
        },
    )


def _cannot_book(
    request: HttpRequest, reason: str, *, choice: forms.AppointmentChoice | None = None
) -> HttpResponse:
    """A choice that cannot be booked (an address altered by hand, a time gone by): what is
    wrong and the way on, never a booking that breaks the rules."""
    if choice is None:
        enquiry_type = request.POST.get("type") or request.GET.get("type", "")
        if enquiry_type not in EnquiryType.values:
            enquiry_type = ""
        source = forms.read_source(request.POST or request.GET)
        times_url = _times_url(type=enquiry_type, **{"from": source})
        clinics = selectors.clinics()
    else:
        day = clinic_today(choice.starts_at) if choice.starts_at else None
        times_url = f"{reverse('bookings:times')}?{choice.query()}"
        if day:
            times_url += f"&start={day.isoformat()}"
        clinics = [choice.clinic]
    return render(
        request,
        "bookings/cannot_book.html",
        {"reason": reason, "times_url": times_url, "clinics": clinics},
        status=400,
    )


def _details_page(
    request: HttpRequest,
    *,
    choice: forms.AppointmentChoice,
    form: forms.AppointmentDetailsForm,
    submission_key: str,
    alternatives: list[availability.FreeTime] | None = None,
    wanted: datetime.datetime | None = None,
    time_problem: str = "",
) -> HttpResponse:
    """The details page: the chosen time and the form. With `alternatives`, the time chosen
    (`wanted`) has gone and the nearest free times are offered as radio buttons in the form,
    so one more POST books."""
    day = clinic_today(wanted or choice.starts_at)
    summary = form.error_summary() if form.is_bound else []
    if time_problem:
        first = _time_id(alternatives[0]) if alternatives else ""
        summary = [(first, "Your time", time_problem), *summary]
    return render(
        request,
        "bookings/details.html",
        {
            "summary": summary,
            "choice": choice,
            "form": form,
            "submission_key": submission_key,
            "alternatives": alternatives,
            "wanted": wanted and forms.iso_moment(wanted),
            "chosen_time": choice.starts_at and forms.iso_moment(choice.starts_at),
            "time_problem": time_problem,
            "change_url": f"{reverse('bookings:times')}?{choice.query(start=day.isoformat())}",
            "request_url": _request_url(
                enquiry_type=choice.offer.enquiry_type, source=choice.source
            ),
            "photos_to_choose_again": form.is_bound and bool(request.FILES),
        },
    )


def _nearest(choice: forms.AppointmentChoice, around: datetime.datetime, now) -> list:
    return availability.nearest_free_times(
        consultation_type=choice.consultation_type,
        practitioner=choice.practitioner,
        around=around,
        now=now,
    )


# Every field is the visitor's own, as on the request form: error reports show none of them.
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """The visitor's details for the time chosen, then one POST books it
    (`appointments.book_consultation`: the enquiry and the appointment together, or nothing).
    A one-time key generated here makes the same submission sent twice book once: a double
    click, or the page sent again after going Back (so the page may be kept by the browser's
    back-forward cache, as the request form is)."""
    now = timezone.now()
    try:
        choice = forms.read_appointment_choice(request.POST or request.GET)
    except forms.ChoiceRefused as refusal:
        return _cannot_book(request, refusal.reason)
    if request.method == "POST":
        return _book(request, choice=choice, now=now)
    if choice.starts_at is None:
        return redirect(f"{reverse('bookings:times')}?{choice.query(step='time')}")
    reason = availability.why_not_offered(
        consultation_type=choice.consultation_type,
        starts_at=choice.starts_at,
        now=now,
        practitioner_id=choice.practitioner and choice.practitioner.pk,
    )
    if reason is not None and reason != availability.Unavailable.TAKEN:
        return _cannot_book(request, choice.unavailable_reason(reason), choice=choice)
    taken = reason == availability.Unavailable.TAKEN
    return _details_page(
        request,
        choice=replace(choice, starts_at=None) if taken else choice,
        form=forms.AppointmentDetailsForm(),
        submission_key=secrets.token_urlsafe(forms.SUBMISSION_KEY_BYTES),
        alternatives=_nearest(choice, choice.starts_at, now) if taken else None,
        wanted=choice.starts_at if taken else None,
        time_problem=TAKEN if taken else "",
    )


def _book(request: HttpRequest, *, choice: forms.AppointmentChoice, now) -> HttpResponse:
    if not choice.submission_key:
        return _cannot_book(
            request, "We could not read this form. Please choose your time again.", choice=choice
        )
    form = forms.AppointmentDetailsForm(request.POST, request.FILES)
    wanted = forms.read_moment(request.POST.get("wanted", ""))
    page = {"choice": choice, "form": form, "submission_key": choice.submission_key}
    if wanted:  # the nearest free times were offered: the same ones again
        page |= {"alternatives": _nearest(choice, wanted, now), "wanted": wanted}
    if choice.starts_at is None and not wanted:
        return _cannot_book(
            request, "We could not read the time you chose. Please choose it again.", choice=choice
        )
    # Mistakes do not count against the address's limit: only a booking takes an attempt
    # (book_consultation, in its own transaction), and a filled honeypot.
    if not form.is_valid() or choice.starts_at is None:
        if choice.starts_at is None:
            page["time_problem"] = "Please choose one of these times."
        return _details_page(request, **page)
    data = form.cleaned_data
    details = {
        "full_name": data["full_name"],
        "email": data["email"],
        "phone": data["phone"],
        "contact_method": data["contact_method"],
        "enquiry_type": choice.offer.enquiry_type,
        "message": data["message"],
        "heard_about": data["heard_about"],
        "marketing_opt_in": data["marketing_opt_in"],
        "source": choice.source,
        "photos": data["photos"],
    }
    if form.is_spam:
        # Spam never takes a time: it is stored flagged, as the request form stores it.
        if ratelimit.reserve_attempt(ip=ratelimit.client_ip(request)) is None:
            return _rate_limited(request, form="booking")
        enquiry = enquiries.create_consultation_request(
            **details, preferred_dates=[], preferred_time=TimeOfDay.ANY, is_spam=True
        )
        return _thank_you(enquiry)
    try:
        appointment = appointments.book_consultation(
            **details,
            consultation_type=choice.consultation_type,
            starts_at=choice.starts_at,
            practitioner=choice.practitioner,
            submission_key=choice.submission_key,
            now=now,
            route=choice.offer.route,
            visitor_address=ratelimit.client_ip(request),
        )
    except appointments.TooManyAttempts:
        return _rate_limited(request, form="booking")
    except appointments.TimeUnavailable as refusal:
        reason = availability.why_not_offered(
            consultation_type=choice.consultation_type,
            starts_at=choice.starts_at,
            now=now,
            practitioner_id=choice.practitioner and choice.practitioner.pk,
        )
        if reason not in (None, availability.Unavailable.TAKEN):
            return _cannot_book(request, choice.unavailable_reason(reason), choice=choice)
        page |= {
            "choice": replace(choice, starts_at=None),
            "alternatives": refusal.alternatives,
            "wanted": choice.starts_at,
            "time_problem": TAKEN,
        }
        return _details_page(request, **page)
    except appointments.BookingRefused as refusal:
        return _cannot_book(request, refusal.reason, choice=choice)
    return _redirect_remembering(
        "bookings:booked", cookie=BOOKED_COOKIE, salt=BOOKED_COOKIE_SALT, value=str(appointment.pk)
    )


@require_safe
@private_page
def booked(request: HttpRequest) -> HttpResponse:
    """After POST/redirect/GET: which appointment comes from the signed cookie, never the
    address."""
    pk = _remembered(request, cookie=BOOKED_COOKIE, salt=BOOKED_COOKIE_SALT)
    appointment = selectors.appointment_with_details(int(pk)) if pk else None
    if appointment is None:
        return redirect("bookings:times")
    return render(
        request,
        "bookings/booked.html",
        {"appointment": appointment, "when": appointment_label_with_zone(appointment.starts_at)},
    )


# MOVING OR CANCELLING
# The client's own pages, opened from the link in their emails (/appointments/<token>/). A
# GET only shows (mail scanners follow links); moving and cancelling are POSTs with a CSRF
# token. Each change revokes the link: the email about it carries a new one.

CHANGED_COOKIE = "appointment_changed"
CHANGED_COOKIE_SALT = "bookings.changed"


def _link_expired(request: HttpRequest) -> HttpResponse:
    return render(
        request, "bookings/link_expired.html", {"clinics": selectors.clinics()}, status=404
    )


def manage_page(view):
    """A page opened with a manage link: the view gets the appointment it opens (and `now`).
    A token that opens nothing (unknown, expired, replaced by a newer email, altered) gets the
    same 404 page, and counts towards a per-address limit (MANAGE_LINK_RATE_LIMIT in the rate
    limit's window) that answers 429 to anyone trying tokens; a link that works costs
    nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        attempt = ratelimit.reserve_attempt(
            ip=ratelimit.client_ip(request),
            scope="manage-link",
            limit=settings.MANAGE_LINK_RATE_LIMIT,
        )
        if attempt is None:
            return _rate_limited(request, form="manage-link")
        now = timezone.now()
        appointment = manage_links.appointment_for_token(token=token, now=now)
        if appointment is None:
            return _link_expired(request)
        ratelimit.release_attempt(attempt)
        return view(request, appointment=appointment, token=token, now=now)

    return wrapped


def _appointment_context(appointment: Appointment, *, token: str, now) -> dict:
    return {
        "appointment": appointment,
        "token": token,
        "when": appointment_label_with_zone(appointment.starts_at),
        "changes_closed": appointments.online_changes_closed(appointment=appointment, now=now),
    }


@private_page
@require_safe
@manage_page
def manage(request: HttpRequest, *, appointment: Appointment, token: str, now) -> HttpResponse:
    """The appointment, with the ways to move or cancel it; showing it changes nothing."""
    return render(
        request, "bookings/manage.html", _appointment_context(appointment, token=token, now=now)
    )


def _changed(appointment: Appointment) -> HttpResponse:
    return _redirect_remembering(
        "bookings:changed",
        cookie=CHANGED_COOKIE,
        salt=CHANGED_COOKIE_SALT,
        value=str(appointment.pk),
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect_without_referrer
@manage_page
def move(request: HttpRequest, *, appointment: Appointment, token: str, now) -> HttpResponse:
    """A week of free times for the same consultation (its own time counted free), and a POST
    that moves the appointment to the one chosen."""
    context = _appointment_context(appointment, token=token, now=now)
    if context["changes_closed"] or not appointment.is_booked:
        return render(request, "bookings/move.html", context)
    params = request.POST if request.method == "POST" else request.GET
    practitioners = selectors.bookable_practitioners(clinic=appointment.clinic)
    slug = params.get("practitioner", "")
    practitioner = next((person for person in practitioners if person.slug == slug), None)
    if request.method == "POST":
        starts_at = forms.read_moment(params.get("time", ""))
        try:
            if starts_at is None:
                raise appointments.BookingRefused("Please choose a time to move to.")
            moved = appointments.reschedule_appointment(
                appointment=appointment, starts_at=starts_at, practitioner=practitioner, now=now
            )
        except appointments.ChangeTooLate:
            context["changes_closed"] = True
            return render(request, "bookings/move.html", context)
        except appointments.TimeUnavailable as refusal:
            reason = availability.why_not_offered(
                consultation_type=appointment.consultation_type,
                starts_at=starts_at,
                now=now,
                practitioner_id=practitioner and practitioner.pk,
                excluding_appointment_id=appointment.pk,
            )
            context["problem"] = forms.unavailable_reason(
                reason or availability.Unavailable.TAKEN,
                starts_at=starts_at,
                consultation_type=appointment.consultation_type,
                clinic=appointment.clinic,
                practitioner=practitioner,
            )
            context["alternatives"] = refusal.alternatives
        except appointments.BookingRefused as refusal:
            context["problem"] = refusal.reason
        else:
            return _changed(moved)
        first = "alternative-1" if context.get("alternatives") else "time-error"
        context["summary"] = [(first, "Your new time", context["problem"])]
    page_url = reverse("bookings:move", kwargs={"token": token})
    if practitioner:
        page_url += "?" + urlencode({"practitioner": practitioner.slug})
    window = selectors.times_window(
        consultation_type=appointment.consultation_type,
        practitioner=practitioner,
        now=now,
        first_day=_read_day(params.get("start", "")),
        excluding_appointment_id=appointment.pk,
    )
    return render(
        request,
        "bookings/move.html",
        context
        | {
            "practitioners": practitioners,
            "practitioner": practitioner,
            "current": forms.iso_moment(appointment.starts_at),
        }
        | _times_component(window, page_url=page_url),
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect_without_referrer
@manage_page
def cancel(request: HttpRequest, *, appointment: Appointment, token: str, now) -> HttpResponse:
    """Asks why, then a POST cancels: the row is kept, the time is free at once."""
    context = _appointment_context(appointment, token=token, now=now)
    form = forms.CancelAppointmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and appointment.is_booked and form.is_valid():
        try:
            cancelled = appointments.cancel_appointment(
                appointment=appointment, reason=form.cleaned_data["reason"], now=now
            )
        except appointments.ChangeTooLate:
            context["changes_closed"] = True
        else:
            return _changed(cancelled)
    return render(
        request,
        "bookings/cancel.html",
        context | {"form": form, "summary": form.error_summary() if form.is_bound else []},
    )


@private_page
@require_safe
def changed(request: HttpRequest) -> HttpResponse:
    """After a move or a cancellation (POST/redirect/GET): what the appointment is now, from a
    signed cookie (the link that led here no longer works)."""
    pk = _remembered(request, cookie=CHANGED_COOKIE, salt=CHANGED_COOKIE_SALT)
    appointment = selectors.appointment_with_details(int(pk)) if pk else None
    if appointment is None:
        return _link_expired(request)
    return render(
        request,
        "bookings/changed.html",
        {"appointment": appointment, "when": appointment_label_with_zone(appointment.starts_at)},
    )


# THE WAITING LIST
# “Tell me if something earlier comes up” (/book/waiting-list/), linked from the times page;
# then the client's own pages, opened from the links in the waiting list's emails: a freed
# time to claim (/book/waiting-list/offers/<token>/) and leaving the list
# (/book/waiting-list/leave/<token>/). Their tokens are signed, never stored: a forged or
# altered one opens nothing, and checking it costs no query, so there is nothing to rate-limit.
# A GET only shows (mail scanners follow links); booking and leaving are POSTs.

WAITING_COOKIE = "waiting_list_entry"
WAITING_COOKIE_SALT = "bookings.waiting-list"


def _waiting_list_url(**params: str) -> str:
    """The waiting list's page with these parameters (empty ones left out)."""
    query = urlencode({name: value for name, value in params.items() if value}, safe="/")
    return reverse("bookings:waiting_list") + (f"?{query}" if query else "")


# Every field is the visitor's own: error reports show none of them.
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def waiting_list(request: HttpRequest) -> HttpResponse:
    """Join the waiting list: what the visitor waits for, for the enquiry type the times page
    passed on (its consultations and practitioners), and who they are. One POST stores the
    enquiry and the entry (`waiting_list.join_waiting_list`), then POST/redirect/GET to the
    confirmation. Limited per address as the request form is; spam is stored flagged and
    waits for nothing."""
    params = request.POST if request.method == "POST" else request.GET
    enquiry_type = params.get("type", "")
    if enquiry_type not in EnquiryType.values:
        return redirect("bookings:times")
    offer = selectors.booking_offer(enquiry_type=enquiry_type)
    source = forms.read_source(params)
    if not offer.consultation_types:
        # Nothing is booked online for this type: the clinic agrees a time on the phone.
        return redirect(_request_url(enquiry_type=enquiry_type, source=source))
    now = timezone.now()
    if request.method == "POST":
        attempt = ratelimit.reserve_attempt(ip=ratelimit.client_ip(request))
        if attempt is None:
            return _rate_limited(request, form="waiting-list")
        form = forms.WaitingListForm(request.POST, offer=offer, now=now)
        if not form.is_valid():
            ratelimit.release_attempt(attempt)
        elif form.is_spam:
            data = form.cleaned_data
            enquiry = enquiries.create_consultation_request(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                contact_method=ContactMethod.EMAIL,
                enquiry_type=enquiry_type,
                preferred_dates=[],
                preferred_time=TimeOfDay.ANY,
                source=data["source"],
                is_spam=True,
            )
            return _thank_you(enquiry)
        else:
            data = form.cleaned_data
            entry = waiting_list_service.join_waiting_list(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                enquiry_type=enquiry_type,
                consultation_type=data["consultation"],
                practitioner=data["practitioner"],
                earliest=data["earliest"],
                latest=data["latest"],
                time_of_day=data["time_of_day"],
                source=data["source"],
                route=offer.route,
                now=now,
            )
            return _redirect_remembering(
                "bookings:waiting_list_joined",
                cookie=WAITING_COOKIE,
                salt=WAITING_COOKIE_SALT,
                value=str(entry.pk),
            )
    else:
        kind = offer.consultation_type(request.GET.get("consultation", ""))
        person = offer.practitioner(request.GET.get("practitioner", ""))
        form = forms.WaitingListForm(
            initial={
                "consultation": (kind or offer.consultation_types[0]).slug,
                "practitioner": person.slug if person else "",
                "earliest": clinic_today(now),
                "source": source,
            },
            offer=offer,
            now=now,
        )
    return render(
        request,
        "bookings/waiting_list.html",
        {
            "form": form,
            "offer": offer,
            "summary": form.error_summary() if form.is_bound else [],
            "times_url": _times_url(type=enquiry_type, **{"from": source}),
        },
    )


@require_safe
@private_page
def waiting_list_joined(request: HttpRequest) -> HttpResponse:
    """After POST/redirect/GET: what the visitor is waiting for, from the signed cookie (never
    the address), and what happens when a time comes free."""
    pk = _remembered(request, cookie=WAITING_COOKIE, salt=WAITING_COOKIE_SALT)
    entry = (
        WaitingListEntry.objects.select_related(
            "request", "clinic", "consultation_type", "practitioner"
        )
        .filter(pk=int(pk))
        .first()
        if pk
        else None
    )
    if entry is None:
        return redirect("bookings:times")
    return render(
        request,
        "bookings/waiting_list_joined.html",
        {
            "entry": entry,
            "window": waiting_list_emails.window_label(entry),
            "claim_hours": settings.WAITING_LIST_CLAIM_HOURS,
        },
    )


def _no_such_link(request: HttpRequest) -> HttpResponse:
    """A waiting-list link that opens nothing: forged, altered, or its enquiry erased."""
    return render(
        request, "bookings/waiting_list_link.html", {"clinics": selectors.clinics()}, status=404
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect_without_referrer
def waiting_list_offer(request: HttpRequest, token: str) -> HttpResponse:
    """A freed time offered from the waiting list: the time, practitioner, clinic and
    deadline, and “Book this time”, which books it in one POST (`waiting_list.claim_offer`)
    and shows the booking's confirmation. An offer claimed, passed on or gone says so."""
    offer = waiting_list_service.offer_for_link(token=token)
    if offer is None:
        return _no_such_link(request)
    now = timezone.now()
    if request.method == "POST":
        offer = waiting_list_service.claim_offer(offer=offer, now=now)
    if offer.status == WaitingListOffer.Status.CLAIMED and request.method == "POST":
        return _redirect_remembering(
            "bookings:booked",
            cookie=BOOKED_COOKIE,
            salt=BOOKED_COOKIE_SALT,
            value=str(offer.appointment_id),
        )
    is_open = offer.status == WaitingListOffer.Status.OPEN and offer.expires_at > now
    entry = offer.entry
    return render(
        request,
        "bookings/waiting_list_offer.html",
        {
            "offer": offer,
            "entry": entry,
            "clinic": entry.clinic,
            "is_open": is_open,
            "lapsed": offer.status == WaitingListOffer.Status.LAPSED
            or (offer.status == WaitingListOffer.Status.OPEN and not is_open),
            "just_taken": request.method == "POST" and offer.status == WaitingListOffer.Status.GONE,
            "still_waiting": entry.status in waiting_list_service.ON_THE_LIST,
            "when": appointment_label_with_zone(offer.starts_at),
            "deadline": appointment_label_with_zone(offer.expires_at),
            "token": token,
            "leave_token": client_links.make_token(
                purpose=client_links.WAITING_LIST_ENTRY, pk=entry.pk
            ),
            "times_url": _times_url(type=entry.request.enquiry_type),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect_without_referrer
def waiting_list_leave(request: HttpRequest, token: str) -> HttpResponse:
    """Leave the waiting list: a GET asks, a POST takes the entry off the list (an offer it
    holds is withdrawn and passed on), then POST/redirect/GET to this page, which then says
    the client has left. Leaving twice changes nothing."""
    entry = waiting_list_service.entry_for_link(token=token)
    if entry is None:
        return _no_such_link(request)
    if request.method == "POST":
        waiting_list_service.leave_waiting_list(entry=entry)
        return redirect("bookings:waiting_list_leave", token=token)
    return render(
        request,
        "bookings/waiting_list_leave.html",
        {
            "entry": entry,
            "window": waiting_list_emails.window_label(entry),
            "on_the_list": entry.status in waiting_list_service.ON_THE_LIST,
            "token": token,
            "times_url": _times_url(type=entry.request.enquiry_type),
        },
    )
