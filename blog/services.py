"""Work with side effects for articles: image renditions and the advertising-claims review."""

import hashlib
import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import strip_tags

from blog.models import Article, ClaimPhrase
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
    replaced = {}
    if hero_changed or not article.hero_renditions:
        replaced = article.hero_renditions
        article.hero_renditions = store_and_render(article.hero_image, folder=RENDITIONS_FOLDER)
    article.save()
    delete_renditions(storage=default_storage, renditions=replaced)
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
