from django.db.models import Max, Q
from django.utils import timezone

from blog.models import Article, Tag, Topic
from restoration_site.common.site_url import SiteSitemap


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Article):
        return item.updated_at


class TopicSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        public = Q(
            articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now()
        )
        return Topic.objects.annotate(
            last_change=Max("articles__updated_at", filter=public)
        ).order_by("position", "name")

    def lastmod(self, item: Topic):
        return item.last_change


class TagSitemap(SiteSitemap):
    """The tag pages that list at least one public article: an empty list is no page for
    search engines."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        public = Q(
            articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now()
        )
        return (
            Tag.objects.annotate(last_change=Max("articles__updated_at", filter=public))
            .filter(last_change__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item: Tag):
        return item.last_change
