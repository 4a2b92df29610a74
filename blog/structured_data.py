"""schema.org data that search engines read from article pages."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from blog.models import Article
from restoration_site.common.site_url import absolute_url


def hero_image_url(article: Article) -> str:
    """Absolute address of the largest JPEG copy, which every crawler and feed reader accepts."""
    sources = article.hero_renditions.get("sources") if article.hero_renditions else None
    if not sources:
        return ""
    return absolute_url(default_storage.url(sources[-1]["jpeg"]))


def article_graph(article: Article) -> dict:
    url = absolute_url(article.get_absolute_url())
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
            "url": absolute_url(reverse("home")),
        },
        "articleSection": article.topic.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if image := hero_image_url(article):
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
                "item": absolute_url(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [posting, breadcrumbs]}
