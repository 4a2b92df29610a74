"""Work with side effects for articles: image renditions and the advertising-claims review."""

import re
from dataclasses import dataclass

from django.core.files.storage import default_storage
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
