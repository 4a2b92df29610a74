"""Demo articles for `seed_demo`: created once by slug, never changed by a second run."""

import datetime
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from blog import services
from blog.demo_articles import ARTICLES
from blog.models import Article, Author, Tag, Topic
from restoration_site.demo import draw_illustration

AUTHORS = {
    "smp": ("Amelia Hart", "Lead SMP practitioner"),
    "laser": ("Daniel Okafor", "Laser specialist, Laser Reverse"),
}
HAIRLINES = {
    "scalp-micropigmentation": "full",
    "laser-removal": "harsh",
    "aftercare": "full",
    "clinic-news": "sparse",
}


def _published_at(entry: dict) -> datetime.datetime:
    if entry["days_from_now"] is not None:
        return timezone.now() + datetime.timedelta(days=entry["days_from_now"])
    day = datetime.date.fromisoformat(entry["published"])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def seed_articles(*, log: Callable[[str], None]) -> None:
    authors = {
        key: Author.objects.get_or_create(name=name, defaults={"job_title": job})[0]
        for key, (name, job) in AUTHORS.items()
    }
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for number, entry in enumerate(ARTICLES):
        if Article.objects.filter(slug=entry["slug"]).exists():
            log(f"found article '{entry['slug']}'")
            continue
        topic = topics[entry["topic"]]
        article = Article(
            slug=entry["slug"],
            title=entry["title"],
            summary=entry["summary"],
            body=entry["body"],
            topic=topic,
            author=authors["laser" if topic.slug == "laser-removal" else "smp"],
            status=entry["status"],
            published_at=_published_at(entry),
            cta_enquiry_type=entry["cta_type"],
            hero_alt=entry["hero_alt"],
        )
        drawing = draw_illustration(
            width=1500,
            height=1000,
            variant=number,
            caption=topic.name.lower(),
            hairline=HAIRLINES[topic.slug],
        )
        article.hero_image = ContentFile(drawing, name=f"{entry['slug']}.jpg")
        services.save_article(article=article, hero_changed=True)
        for name in entry["tags"]:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            article.tags.add(tag)
        if article.published_at < timezone.now():
            # Demo articles were last edited when they were published, not when seeded.
            Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
        log(f"created article '{entry['slug']}' ({article.get_status_display().lower()})")
