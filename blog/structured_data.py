"""schema.org data that search engines read from article pages."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import reverse

from blog.models import Article


def hero_image_url(article: Article, request: HttpRequest) -> str:
    """Absolute address of the largest JPEG copy, which every crawler and feed reader accepts."""
    sources = article.hero_renditions.get("sources") if article.hero_renditions else None
    if not sources:
        return ""
    return request.build_absolute_uri(default_storage.url(sources[-1]["jpeg"]))


def article_graph(article: Article, request: HttpRequest) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    posting = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at.replace(microsecond=0).isoformat(),
        "dateModified": article.updated_at.replace(microsecond=0).isoformat(),
        "author": {"@type": "Person", "name": article.author.name},
        "publisher": {
            "@type": "Organization",
            "name": settings.CLINIC_NAME,
            "url": request.build_absolute_uri(reverse("home")),
        },
        "articleSection": article.topic.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if image := hero_image_url(article, request):
        posting["image"] = image
    crumbs = [
        ("Home", reverse("home")),
        ("Articles", reverse("blog:article_list")),
        (article.topic.name, article.topic.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [posting, breadcrumbs]}
