from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Article, Topic
from restoration_site.common.site_url import absolute_url

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """The latest articles as Atom. Every address is made absolute here, from SITE_URL: Django
    would otherwise prefix relative ones with the request's Host header."""

    feed_type = Atom1Feed
    title = f"{settings.CLINIC_NAME}: articles"
    subtitle = "Scalp micropigmentation and laser removal of SMP, explained by the clinic."

    def link(self) -> str:
        return absolute_url(reverse("blog:article_list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("blog:feed"))

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def articles(self):
        return Article.objects.published().select_related("topic", "author")

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author.name

    def item_categories(self, item: Article) -> list[str]:
        return [item.topic.name]


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return f"{settings.CLINIC_NAME}: {obj.name} articles"

    def subtitle(self, obj: Topic) -> str:
        return obj.description

    def link(self, obj: Topic) -> str:
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj: Topic) -> str:
        return absolute_url(reverse("blog:topic_feed", args=[obj.slug]))

    def items(self, obj: Topic):
        return self.articles().filter(topic=obj)[:FEED_LENGTH]
