"""The client's page for times reception offered by email (/book/offers/<token>/).

The link carries the offer's number signed for this purpose only (client_links): nothing is
stored to open it, and a link that does not read as one answers 404. The page lists the
offered times still free as radio buttons; one POST books the one chosen for the enquiry the
offer was made for, with nothing to type again. When every offered time has gone, the page
says so and lists the consultation type's free times now, a week at a time, and a time chosen
there is booked for the same enquiry in the same way.

A GET only shows (mail scanners follow links); booking is a POST with a CSRF token. Like the
manage pages, the page is private (never stored or indexed, no Referer), and works without
JavaScript.
"""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bookings import forms, selectors, views
from bookings.models import Appointment, OfferedTime, TimeOffer
from bookings.services import availability, client_links, time_offers
from bookings.services.offer_emails import OfferState
from restoration_site.common import ratelimit
from restoration_site.common.clinic_clock import appointment_label_with_zone
from restoration_site.common.private_pages import csrf_protect_without_referrer, private_page

NOTHING_CHOSEN = "Please choose a time."


def _offer_for(token: str) -> TimeOffer | None:
    pk = client_links.read_token(purpose=client_links.TIME_OFFER, token=token)
    if pk is None:
        return None
    return (
        TimeOffer.objects.select_related("request__clinic", "consultation_type", "appointment")
        .filter(pk=pk)
        .first()
    )


def _booked_appointment(offer: TimeOffer) -> Appointment | None:
    """The appointment the enquiry has: the one the offer booked, or one made another way."""
    if offer.appointment_id:
        return selectors.appointment_with_details(offer.appointment_id)
    found = Appointment.objects.filter(request_id=offer.request_id).values_list("pk", flat=True)
    return selectors.appointment_with_details(found[0]) if found else None


def _not_open(request: HttpRequest, *, offer: TimeOffer | None, state: str) -> HttpResponse:
    """The page of a link that cannot book (any more): never working (404), replaced or past
    its deadline (410), or already booked (the appointment, and how to change it)."""
    context = {"offer": offer, "state": state, "clinics": selectors.clinics()}
    status = 404 if offer is None else 410
    if state == OfferState.BOOKED:
        appointment = _booked_appointment(offer)
        context |= {
            "appointment": appointment,
            "when": appointment and appointment_label_with_zone(appointment.starts_at),
        }
        status = 200
    if offer is not None:
        context |= {
            "clinic": offer.request.clinic,
            "deadline": appointment_label_with_zone(offer.expires_at),
            "times_url": views._times_url(type=offer.request.enquiry_type),
        }
    return render(request, "bookings/time_offer_closed.html", context, status=status)


def _choose_page(
    request: HttpRequest,
    *,
    offer: TimeOffer,
    token: str,
    now: datetime.datetime,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """The offered times still free, or, when none is, the type's free times now."""
    still_free = time_offers.still_free_times(offer=offer, now=now)
    offered_count = offer.times.count()
    page_url = reverse("bookings:time_offer", kwargs={"token": token})
    context = {
        "offer": offer,
        "enquiry": offer.request,
        "clinic": offer.request.clinic,
        "kind": offer.consultation_type,
        "token": token,
        "deadline": appointment_label_with_zone(offer.expires_at),
        "offered": [
            {
                "pk": time.pk,
                "label": appointment_label_with_zone(time.starts_at),
                "practitioner": time.practitioner.name,
            }
            for time in still_free
        ],
        "gone": offered_count - len(still_free),
        "problem": problem,
    }
    if still_free:
        first = f"offered-{still_free[0].pk}"
    else:
        window = selectors.times_window(
            consultation_type=offer.consultation_type,
            practitioner=None,
            now=now,
            first_day=views._read_day(request.GET.get("start", "")),
        )
        context |= views._times_component(window, page_url=page_url)
        first = views._time_id(window.first_time) if window.first_time else ""
    context["summary"] = [(first, "Your time", problem)] if problem else []
    return render(request, "bookings/time_offer.html", context, status=status)


def _chosen(offer: TimeOffer, post) -> tuple[int | None, datetime.datetime] | None:
    """The choice a POST sends, as (practitioner id, start): an offered time by its number,
    or a time of the live list (any practitioner free then); None when nothing readable was
    chosen."""
    offered = post.get("offered", "")
    if offered.isdigit() and len(offered) < 19:
        time = OfferedTime.objects.filter(offer=offer, pk=int(offered)).first()
        if time is not None:
            return time.practitioner_id, time.starts_at
    starts_at = forms.read_moment(post.get("time", ""))
    return (None, starts_at) if starts_at else None


def _accept(
    request: HttpRequest, *, offer: TimeOffer, token: str, now: datetime.datetime
) -> HttpResponse:
    chosen = _chosen(offer, request.POST)
    if chosen is None:
        return _choose_page(request, offer=offer, token=token, now=now, problem=NOTHING_CHOSEN)
    # Only a booking takes one of the address's attempts, as on the booking pages: a form
    # sent with nothing chosen, or a time just taken, gives it back.
    attempt = ratelimit.reserve_attempt(
        ip=ratelimit.client_ip(request), scope="time-offer", limit=settings.MANAGE_LINK_RATE_LIMIT
    )
    if attempt is None:
        return views._rate_limited(request, form="time-offer")
    practitioner_id, starts_at = chosen
    try:
        appointment = time_offers.accept_time(
            offer=offer, practitioner_id=practitioner_id, starts_at=starts_at, now=now
        )
    except time_offers.OfferNotOpen as refusal:
        ratelimit.release_attempt(attempt)
        return _not_open(request, offer=offer, state=refusal.state)
    except time_offers.TimeUnavailable:
        ratelimit.release_attempt(attempt)
        reason = availability.why_not_offered(
            consultation_type=offer.consultation_type,
            starts_at=starts_at,
            now=now,
            practitioner_id=practitioner_id,
        )
        problem = forms.unavailable_reason(
            reason or availability.Unavailable.TAKEN,
            starts_at=starts_at,
            consultation_type=offer.consultation_type,
            clinic=offer.request.clinic,
        )
        return _choose_page(request, offer=offer, token=token, now=now, problem=problem)
    except time_offers.BookingRefused as refusal:
        ratelimit.release_attempt(attempt)
        state = time_offers.offer_state(offer=offer, now=now)
        if state != OfferState.OPEN:
            return _not_open(request, offer=offer, state=state)
        return _choose_page(request, offer=offer, token=token, now=now, problem=refusal.reason)
    return views._redirect_remembering(
        "bookings:booked",
        cookie=views.BOOKED_COOKIE,
        salt=views.BOOKED_COOKIE_SALT,
        value=str(appointment.pk),
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect_without_referrer
def time_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The times offered to the client: choose one, and one POST books it."""
    offer = _offer_for(token)
    if offer is None:
        return _not_open(request, offer=None, state="unknown")
    now = timezone.now()
    state = time_offers.offer_state(offer=offer, now=now)
    if state != OfferState.OPEN:
        return _not_open(request, offer=offer, state=state)
    if request.method == "POST":
        return _accept(request, offer=offer, token=token, now=now)
    return _choose_page(request, offer=offer, token=token, now=now)
