from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest


def requested_page_number(request: HttpRequest) -> int | None:
    """The page number `?page=` asks for (1 without one), or None when it is not a number."""
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return None


def page_query(request: HttpRequest) -> str | None:
    """The part of a paginated page's cache key that comes from the query string: the page
    number in canonical form, so `?page=01`, `?page=1` and no page at all are one cached copy.
    None for a number that is not one (the view answers 404, which is never cached)."""
    number = requested_page_number(request)
    return None if number is None or number < 1 else f"page={number}"


def page_or_404(request: HttpRequest, items, *, per_page: int) -> Page:
    """The page `?page=` asks for; anything that is not a page number is a 404, never a 500."""
    paginator = Paginator(items, per_page)
    number = requested_page_number(request)
    if number is None or not 1 <= number <= paginator.num_pages:
        raise Http404("No such page")
    return paginator.page(number)
