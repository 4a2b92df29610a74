"""Work with side effects for articles: image renditions, the images in an article's body and
the advertising-claims review."""

import hashlib
import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
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
    reason: str = ""

    @property
    def fingerprint(self) -> str:
        """Stands for this phrase in this sentence: rewording the sentence makes a new claim."""
        text = f"{self.phrase.strip().casefold()}\n{' '.join(self.sentence.split())}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def article_sentences(*, article: Article) -> list[str]:
    """The title, summary and body as plain-text sentences, as a reader meets them (the body as
    it is stored, cleaned, even before the article is saved)."""
    body = Article._meta.get_field("body").sanitize(article.body or "")
    body = re.sub(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n", body)
    text = "\n".join([article.title, article.summary, strip_tags(body)])
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def find_claims(*, article: Article) -> list[ClaimFound]:
    """Each sentence that uses wording from the claims list, with the phrase it uses."""
    phrases = list(ClaimPhrase.objects.values_list("phrase", "reason"))
    return claims_in(article_sentences(article=article), phrases=phrases)


def claims_in(sentences: list[str], *, phrases: list[tuple[str, str]]) -> list[ClaimFound]:
    found = []
    for sentence in sentences:
        for phrase, reason in phrases:
            pattern = rf"(?<!\w){re.escape(phrase.strip())}(?!\w)"
            if re.search(pattern, sentence, flags=re.IGNORECASE):
                found.append(ClaimFound(phrase=phrase, sentence=sentence, reason=reason))
    return found


def claims_reviewed(*, article: Article, claims: list[ClaimFound]) -> bool:
    """Whether an editor has reviewed every one of these claims on this article: each was
    among the claims found when they last ticked "I have reviewed the wording"."""
    if not claims or article.claims_reviewed_at is None:
        return False
    return {claim.fingerprint for claim in claims} <= set(article.claims_fingerprints)


def check_claims_review(*, article: Article, reviewing: bool) -> list[ClaimFound]:
    """The one rule for every way an article is published or scheduled: wording with claims
    needs an editor's review first. Drafts can always be saved.

    `article` carries the wording and status about to be saved; `reviewing` is true when the
    editor saving it confirms now that they have reviewed the wording. Returns the claims found;
    raises ValidationError, with each sentence, phrase and reason, when they stop publishing.
    """
    claims = find_claims(article=article)
    if (
        article.status != Article.Status.PUBLISHED
        or not claims
        or reviewing
        or claims_reviewed(article=article, claims=claims)
    ):
        return claims
    errors = [
        ValidationError(
            "This wording needs review before the article is published or scheduled. Check "
            "each sentence below and reword it, or tick “I have reviewed the wording” to keep "
            "it; or save the article as a draft.",
            code="claims_not_reviewed",
        )
    ]
    for claim in claims:
        reason = f" — {claim.reason}" if claim.reason else ""
        errors.append(
            ValidationError(
                "“%(phrase)s” in “%(sentence)s”%(reason)s",
                params={"phrase": claim.phrase, "sentence": claim.sentence, "reason": reason},
                code="claim",
            )
        )
    raise ValidationError(errors)


def record_claims_review(
    *, article: Article, claims: list[ClaimFound], reviewed_by: AbstractBaseUser | None
) -> None:
    """Note the claims found on the article (not saved here): the count for the article list,
    and the review, given now by `reviewed_by`, kept while it covers every claim, or cleared."""
    article.claims_found = len(claims)
    if claims and reviewed_by is not None:
        article.claims_reviewed_by = reviewed_by
        article.claims_reviewed_at = timezone.now()
        article.claims_fingerprints = sorted({claim.fingerprint for claim in claims})
    elif not claims_reviewed(article=article, claims=claims):
        article.claims_reviewed_by = None
        article.claims_reviewed_at = None
        article.claims_fingerprints = []


def save_article(
    *,
    article: Article,
    hero_changed: bool,
    claims_reviewed_by: AbstractBaseUser | None = None,
) -> list[ClaimFound]:
    """Save an article, with renditions of a new hero image written once, before the save, so
    no visitor ever sees the article without them. Returns the claims found in its wording.

    `claims_reviewed_by` is the editor who confirms, with this save, that they have reviewed
    the wording. Raises ValidationError (nothing saved) when the article would be published or
    scheduled with claims nobody has reviewed.
    """
    claims = check_claims_review(article=article, reviewing=claims_reviewed_by is not None)
    record_claims_review(article=article, claims=claims, reviewed_by=claims_reviewed_by)
    stored_hero = (
        Article.objects.filter(pk=article.pk).values_list("hero_image", flat=True).first()
        if article.pk
        else None
    )
    replaced = {}
    if hero_changed or not article.hero_renditions:
        replaced = article.hero_renditions
        article.hero_renditions = store_and_render(article.hero_image, folder=RENDITIONS_FOLDER)
    article.save()
    # The replaced hero's files go once the save commits: a save rolled back keeps the page
    # whole. The original goes too, unless it is still the hero (renditions only rebuilt).
    replaced_original = stored_hero if stored_hero != article.hero_image.name else ""
    _delete_image_files_after_commit(replaced_original or "", replaced)
    return claims


def refresh_claims_found() -> int:
    """Check every article's wording again after the claims list changed: the article list's
    counts follow, and a review that no longer covers every claim is cleared. Published
    articles stay published; the list shows them as not reviewed. Returns how many changed."""
    phrases = list(ClaimPhrase.objects.values_list("phrase", "reason"))
    fields = ["claims_found", "claims_reviewed_by", "claims_reviewed_at", "claims_fingerprints"]
    compared = ["claims_found", "claims_reviewed_by_id", "claims_reviewed_at"]
    changed = []
    for article in Article.objects.only("title", "summary", "body", *fields):
        before = [getattr(article, name) for name in compared]
        claims = claims_in(article_sentences(article=article), phrases=phrases)
        record_claims_review(article=article, claims=claims, reviewed_by=None)
        if [getattr(article, name) for name in compared] != before:
            changed.append(article)
    Article.objects.bulk_update(changed, fields)
    return len(changed)


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
    """Delete an article with the images of its body, and the files of those and of its hero
    image once that commits."""
    files = [
        (article.hero_image.name, article.hero_renditions),
        *article.images.values_list("image", "renditions"),
    ]
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
