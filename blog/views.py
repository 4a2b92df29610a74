from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from blog import selectors
from blog.models import Article, Tag, Topic
from blog.structured_data import article_graph, hero_image_url
from restoration_site.common.caching import cached_public_page
from restoration_site.common.pagination import page_or_404, page_query
from restoration_site.common.staff import signed_in_staff

ARTICLES_PER_PAGE = 9


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def article_list(request: HttpRequest) -> HttpResponse:
    page = page_or_404(request, Article.objects.published().for_cards(), per_page=ARTICLES_PER_PAGE)
    return render(
        request,
        "blog/article_list.html",
        {"page_obj": page, "articles": page.object_list, "topics": Topic.objects.all()},
    )


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topics = list(Topic.objects.all())
    topic = next((t for t in topics if t.slug == slug), None)
    if topic is None:
        raise Http404("No such topic")
    page = page_or_404(
        request,
        Article.objects.published().for_cards().filter(topic=topic),
        per_page=ARTICLES_PER_PAGE,
    )
    return render(
        request,
        "blog/topic_detail.html",
        {"topic": topic, "page_obj": page, "articles": page.object_list, "topics": topics},
    )


@require_safe
@cached_public_page(selectors.content_version, query=page_query)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = page_or_404(
        request,
        Article.objects.published().for_cards().filter(tags=tag),
        per_page=ARTICLES_PER_PAGE,
    )
    return render(
        request,
        "blog/tag_detail.html",
        {"tag": tag, "page_obj": page, "articles": page.object_list},
    )


@require_safe
@cached_public_page(selectors.content_version)
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Staff may preview drafts and scheduled articles; everyone else gets the 404 page.
    visible = Article.objects.all() if signed_in_staff(request) else Article.objects.published()
    article = get_object_or_404(
        visible.select_related("topic", "author").prefetch_related("tags", "images"), slug=slug
    )
    response = render(
        request,
        "blog/article_detail.html",
        {
            "article": article,
            "related": selectors.related_articles(article=article),
            "structured_data": article_graph(article),
            "hero_image_url": hero_image_url(article),
        },
    )
    if not article.is_public:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = selectors.clean_search_query(request.GET.get("q", ""))
    articles = selectors.search_articles(query=query)
    page = page_or_404(request, articles, per_page=ARTICLES_PER_PAGE) if query else None
    return render(
        request,
        "blog/search.html",
        {
            "query": query,
            "page_obj": page,
            "articles": page.object_list if page else [],
            "topics": Topic.objects.all(),
        },
    )
