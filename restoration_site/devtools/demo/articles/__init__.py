"""Demo articles for `seed_demo`, one file each in this folder: created once by slug, never
changed by a second run.

Each `NN-<slug>.html` file is a TOML header between `+++` lines (title, slug, summary, topic,
tags, status, then `published` as a date or `days_from_now` for a scheduled article, the call
to action's enquiry type and the illustration's alt text, and an `[[images]]` table for each
image in the body: its drawing's hairline and label, its description and caption), then the
body HTML with one block (paragraph, heading, list, list item, quotation) per line; a
paragraph `[image N]` places the Nth image. The line breaks are only there for reading:
loading drops them, so never break a line inside a sentence. NN orders the articles, and each
article's place picks its illustration.
"""

import dataclasses
import datetime
import tomllib
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from blog import services
from blog.models import Article, ArticleImage, Author, Tag, Topic
from restoration_site.devtools.demo.drawing import draw_illustration

FOLDER = Path(__file__).resolve().parent
HEADER_LINE = "+++\n"
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    topic: str
    tags: list[str]
    status: str
    # A published date, or days from the time of seeding (a scheduled article).
    published: datetime.date | None = None
    days_from_now: int | None = None
    cta_type: str = ""
    hero_alt: str
    # Images in the body, in placeholder order: hairline, label (drawn on it), alt, caption.
    images: list[dict] = dataclasses.field(default_factory=list)
    body: str

    def published_at(self) -> datetime.datetime:
        if self.days_from_now is not None:
            return timezone.now() + datetime.timedelta(days=self.days_from_now)
        return timezone.make_aware(datetime.datetime.combine(self.published, datetime.time(9, 0)))


def read_article(path: Path) -> DemoArticle:
    parts = path.read_text(encoding="utf-8").split(HEADER_LINE, 2)
    if len(parts) != 3 or parts[0]:
        raise ValueError(f"{path.name}: no header between {HEADER_LINE.strip()} lines at the top")
    _, header, body = parts
    try:
        return DemoArticle(**tomllib.loads(header), body="".join(body.splitlines()))
    except (tomllib.TOMLDecodeError, TypeError) as error:
        raise ValueError(f"{path.name}: {error}") from error


def load_articles(folder: Path = FOLDER) -> list[DemoArticle]:
    """The demo articles in the order of their file names."""
    return [read_article(path) for path in sorted(folder.glob("*.html"))]


def seed_articles(*, log: Callable[[str], None]) -> None:
    authors = {
        key: Author.objects.get_or_create(name=name, defaults={"job_title": job})[0]
        for key, (name, job) in AUTHORS.items()
    }
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for number, entry in enumerate(load_articles()):
        if Article.objects.filter(slug=entry.slug).exists():
            log(f"found article '{entry.slug}'")
            continue
        topic = topics[entry.topic]
        article = Article(
            slug=entry.slug,
            title=entry.title,
            summary=entry.summary,
            body=entry.body,
            topic=topic,
            author=authors["laser" if topic.slug == "laser-removal" else "smp"],
            status=entry.status,
            published_at=entry.published_at(),
            cta_enquiry_type=entry.cta_type,
            hero_alt=entry.hero_alt,
        )
        drawing = draw_illustration(
            width=1500,
            height=1000,
            variant=number,
            caption=topic.name.lower(),
            hairline=HAIRLINES[topic.slug],
        )
        article.hero_image = ContentFile(drawing, name=f"{entry.slug}.jpg")
        services.save_article(article=article, hero_changed=True)
        for place, image in enumerate(entry.images, start=1):
            drawing = draw_illustration(
                width=1200,
                height=800,
                variant=number + place,
                caption=image["label"],
                hairline=image["hairline"],
            )
            services.save_article_image(
                image=ArticleImage(
                    article=article,
                    image=ContentFile(drawing, name=f"{entry.slug}-{place}.jpg"),
                    alt=image["alt"],
                    caption=image["caption"],
                ),
                image_changed=True,
            )
        for name in entry.tags:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            article.tags.add(tag)
        if article.published_at < timezone.now():
            # Demo articles were last edited when they were published, not when seeded.
            Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
        log(f"created article '{entry.slug}' ({article.get_status_display().lower()})")
