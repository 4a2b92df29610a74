import logging
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from bookings import selectors
from bookings.forms import ConsultationRequestForm
from bookings.models import ConsultationRequest, EnquiryPhoto
from bookings.services import emails, enquiries, routing
from restoration_site.common import ratelimit
from restoration_site.common.caching import cached_public_page
from restoration_site.common.choices import EnquiryType
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
            logging.getLogger("restoration.security").warning("rate_limited form=consultation")
            response = render(request, "bookings/rate_limited.html", status=429)
            response["Retry-After"] = str(settings.CONSULTATION_RATE_WINDOW_SECONDS)
            return response
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
            response = redirect("bookings:thank_you")
            response.set_signed_cookie(
                THANK_YOU_COOKIE,
                enquiry.reference,
                salt=THANK_YOU_COOKIE_SALT,
                max_age=THANK_YOU_COOKIE_SECONDS,
                path=reverse("bookings:thank_you"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
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
        },
    )


@require_safe
def thank_you(request: HttpRequest) -> HttpResponse:
    """After POST/redirect/GET: the reference comes from the signed cookie, never the address."""
    reference = request.get_signed_cookie(
        THANK_YOU_COOKIE, default=None, salt=THANK_YOU_COOKIE_SALT, max_age=THANK_YOU_COOKIE_SECONDS
    )
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
