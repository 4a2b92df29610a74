"""Work with side effects for articles: image renditions, the images in an article's body and
the advertising-claims review."""

import re
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from blog import body_images
from blog.models import Article, ArticleImage, ClaimPhrase
from restoration_site.common.images import delete_renditions, store_and_render

RENDITIONS_FOLDER = "articles/renditions"
# A sentence ends at . ! or ? followed by white space, or at a line or paragraph break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class ClaimFound:
    phrase: str
    sentence: str


def article_sentences(*, article: Article) -> list[str]:
    """The title, summary and body as plain-text sentences, as a reader meets them."""
    body = re.sub(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n", article.body or "")
    text = "\n".join([article.title, article.summary, strip_tags(body)])
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def find_claims(*, article: Article) -> list[ClaimFound]:
    """Each sentence that uses wording from the claims list, with the phrase it uses."""
    phrases = list(ClaimPhrase.objects.values_list("phrase", flat=True))
    found = []
    for sentence in article_sentences(article=article):
        for phrase in phrases:
            pattern = rf"(?<!\w){re.escape(phrase.strip())}(?!\w)"
            if re.search(pattern, sentence, flags=re.IGNORECASE):
                found.append(ClaimFound(phrase=phrase, sentence=sentence))
    return found


def save_article(*, article: Article, hero_changed: bool) -> list[ClaimFound]:
    """Save an article, with renditions of a new hero image written once, before the save, so
    no visitor ever sees the article without them. Returns the claims an editor should review.
    """
    replaced = {}
    if hero_changed or not article.hero_renditions:
        replaced = article.hero_renditions
        article.hero_renditions = store_and_render(article.hero_image, folder=RENDITIONS_FOLDER)
    article.save()
    delete_renditions(storage=default_storage, renditions=replaced)
    return find_claims(article=article)


def save_article_image(*, image: ArticleImage, image_changed: bool) -> ArticleImage:
    """Save an image for an article's body, with the upload stored cleaned (upright, without
    metadata, under a random name) and its renditions written once, before the save, as for a
    hero image. A new image gets the next number of its article, for its placeholder; a
    replaced upload's files are deleted once the save commits.

    The article is marked changed, so its cached pages show the image at once.
    """
    previous = (
        ArticleImage.objects.filter(pk=image.pk).values("image", "renditions").first()
        if image.pk
        else None
    )
    if image_changed or not image.renditions:
        image.renditions = store_and_render(image.image, folder=RENDITIONS_FOLDER)
    if not image.number:
        highest = ArticleImage.objects.filter(article_id=image.article_id).aggregate(
            highest=Max("number")
        )["highest"]
        image.number = (highest or 0) + 1
    image.save()
    if previous and previous["image"] != image.image.name:
        _delete_image_files_after_commit(previous["image"], previous["renditions"])
    _mark_changed(article_id=image.article_id)
    return image


def delete_article_image(*, image: ArticleImage) -> None:
    """Delete an image of an article's body, and its files once that commits. Its placeholder
    in the body shows nothing from then on (see `image_placement_problems`)."""
    name, renditions, article_id = image.image.name, image.renditions, image.article_id
    image.delete()
    _mark_changed(article_id=article_id)
    _delete_image_files_after_commit(name, renditions)


def delete_article(*, article: Article) -> None:
    """Delete an article with the images of its body, and their files once that commits."""
    files = list(article.images.values_list("image", "renditions"))
    article.delete()
    for name, renditions in files:
        _delete_image_files_after_commit(name, renditions)


def image_placement_problems(*, article: Article) -> list[str]:
    """What an editor should fix about the image placeholders in an article's body: each one
    naming an image the article does not have, and each one sharing its paragraph with other
    text. Readers never see either (the article page drops them)."""
    numbers = set(article.images.values_list("number", flat=True))
    problems = [
        f"“{body_images.placeholder(number)}” names no image of this article, so readers see "
        "nothing there. Upload the image under Images in the body, or remove the placeholder."
        for number in dict.fromkeys(body_images.placed_numbers(article.body))
        if number not in numbers
    ]
    problems += [
        f"“{stray}” is not a paragraph of its own, so readers see nothing there. Put it on a "
        "line by itself."
        for stray in dict.fromkeys(body_images.stray_placeholders(article.body))
    ]
    return problems


def _mark_changed(*, article_id: int) -> None:
    # Cached pages are keyed on the articles' latest change (blog.selectors.content_version).
    Article.objects.filter(pk=article_id).update(updated_at=timezone.now())


def _delete_image_files_after_commit(name: str, renditions: dict) -> None:
    def delete() -> None:
        if name:
            default_storage.delete(name)
        delete_renditions(storage=default_storage, renditions=renditions)

    transaction.on_commit(delete)
