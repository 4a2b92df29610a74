from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from blog.selectors import content_version as articles_version
from portfolio import selectors
from portfolio.models import BeforeAfterCase, Treatment
from restoration_site.common.caching import cached_public_page
from restoration_site.common.pagination import page_or_404, page_query
from restoration_site.common.staff import signed_in_staff

CASES_PER_PAGE = 12
REVIEWS_PER_PAGE = 20


def _gallery(request: HttpRequest, treatment: Treatment | None) -> HttpResponse:
    cases = BeforeAfterCase.objects.published()
    if treatment:
        cases = cases.filter(treatment=treatment)
    page = page_or_404(request, cases, per_page=CASES_PER_PAGE)
    return render(
        request,
        "portfolio/gallery.html",
        {
            "page_obj": page,
            "cases": page.object_list,
            "treatment": treatment,
            "treatments": Treatment,
            "has_reviews": selectors.has_reviews(),
        },
    )


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def gallery(request: HttpRequest) -> HttpResponse:
    return _gallery(request, None)


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def treatment_gallery(request: HttpRequest, treatment: str) -> HttpResponse:
    if treatment not in Treatment.values:
        raise Http404("No such treatment")
    return _gallery(request, Treatment(treatment))


@require_safe
@cached_public_page(selectors.content_version, articles_version)
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    visible = (
        BeforeAfterCase.objects.all()
        if signed_in_staff(request)
        else BeforeAfterCase.objects.published()
    )
    case = get_object_or_404(visible, slug=slug)
    response = render(
        request,
        "portfolio/case_detail.html",
        {
            "case": case,
            "related_articles": selectors.related_articles(case=case),
            "case_reviews": selectors.case_reviews(case=case),
        },
    )
    if case.status != BeforeAfterCase.Status.PUBLISHED:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def reviews(request: HttpRequest) -> HttpResponse:
    page = page_or_404(request, selectors.shown_reviews(), per_page=REVIEWS_PER_PAGE)
    return render(
        request, "portfolio/reviews.html", {"page_obj": page, "reviews": page.object_list}
    )
