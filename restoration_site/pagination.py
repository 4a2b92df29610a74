from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest


def page_or_404(request: HttpRequest, items, *, per_page: int) -> Page:
    """The page `?page=` asks for; anything that is not a page number is a 404, never a 500."""
    paginator = Paginator(items, per_page)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("No such page") from None
    if not 1 <= number <= paginator.num_pages:
        raise Http404("No such page")
    return paginator.page(number)
