from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import RedirectView
from django.views.static import serve

from blog.selectors import content_version as articles_version
from blog.selectors import latest_articles
from bookings.models import TreatmentPrice
from bookings.selectors import (
    clinic_visit,
    price_version,
    published_prices,
    schedule_and_price_version,
    visit_version,
)
from portfolio.selectors import content_version as cases_version
from portfolio.selectors import featured_cases, latest_reviews
from restoration_site.common.caching import cached_public_page
from restoration_site.common.maps import apple_maps_url, google_maps_url
from restoration_site.common.site_url import absolute_url
from restoration_site.structured_data import clinic_graph, price_catalog, visit_graph


@require_safe
# The clinic's structured data carries its opening hours and its price range: an edit to
# either is a new version. (The portfolio's version covers its client reviews too.)
@cached_public_page(articles_version, cases_version, schedule_and_price_version)
def home(request: HttpRequest) -> HttpResponse:
    reviews = latest_reviews(limit=3)
    return render(
        request,
        "pages/home.html",
        {
            "latest_articles": latest_articles(limit=3),
            "featured_cases": featured_cases(limit=3),
            "home_reviews": reviews,
            "structured_data": clinic_graph(reviews=reviews),
        },
    )


# The treatments each treatment page shows the prices of.
SMP_TREATMENTS = [
    TreatmentPrice.Treatment.NEW_SMP,
    TreatmentPrice.Treatment.SMP_CORRECTION,
    TreatmentPrice.Treatment.SCAR_CAMOUFLAGE,
]
LASER_TREATMENTS = [TreatmentPrice.Treatment.LASER_REMOVAL]


def _page_with_prices(request, template: str, *, name: str, treatments=None) -> HttpResponse:
    groups = published_prices(treatments=treatments)
    return render(
        request,
        template,
        {
            "price_groups": groups,
            "structured_data": price_catalog(groups, name=name, path=request.path),
        },
    )


@require_safe
@cached_public_page(price_version)
def prices(request: HttpRequest) -> HttpResponse:
    """Every clinic's treatments with their prices, what is included and the sessions usually
    needed, as staff keep them in the admin."""
    return _page_with_prices(request, "pages/prices.html", name="Treatment prices")


@require_safe
@cached_public_page(price_version)
def smp(request: HttpRequest) -> HttpResponse:
    return _page_with_prices(
        request, "pages/smp.html", name="Scalp micropigmentation prices", treatments=SMP_TREATMENTS
    )


@require_safe
@cached_public_page(price_version)
def laser_removal(request: HttpRequest) -> HttpResponse:
    return _page_with_prices(
        request,
        "pages/laser_removal.html",
        name="Laser removal prices",
        treatments=LASER_TREATMENTS,
    )


@require_safe
# The page shows the clinic's details and hours, and books the enquiry types routed to it.
@cached_public_page(visit_version)
def visit(request: HttpRequest, slug: str) -> HttpResponse:
    """A clinic's "Visit us" page: where it is, when it is open, how to get there and in."""
    visit = clinic_visit(slug=slug)
    if visit is None:
        raise Http404("No such clinic")
    clinic = visit.clinic
    google = google_maps_url(name=clinic.name, address=clinic.postal_address)
    apple = apple_maps_url(
        name=clinic.name,
        address=clinic.postal_address,
        latitude=clinic.latitude,
        longitude=clinic.longitude,
    )
    return render(
        request,
        "pages/visit.html",
        {
            "visit": visit,
            "google_maps_url": google,
            "apple_maps_url": apple,
            "structured_data": visit_graph(visit, maps_url=google),
        },
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        # The pages after a request or a booking are of no use in search results. (The admin
        # is not named here: its address may be a secret, and its pages already tell robots
        # not to index them; the client's appointment pages say so in their headers.)
        "Disallow: /book/thank-you/",
        "Disallow: /book/details/",
        "Disallow: /book/booked/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed file."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's design, falling back to plain HTML if even that fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError(
            "<!doctype html><title>Server error</title><h1>Sorry, something went wrong</h1>"
        )


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Public uploads; every stored name is random and never rewritten, so browsers may keep a
    copy for a year."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:
        # A name the file system cannot even look up (too long, say) is simply not there.
        raise Http404("No such file") from None
    patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    return response
