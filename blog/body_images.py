"""Images inside an article's body, placed by a placeholder paragraph.

Staff upload an article's images in the admin (each with a description and an optional
caption) and write its placeholder, `[image 2]`, as a paragraph of its own where the image
belongs. The article page shows a `<figure>` there, made from the image's record when the page
is rendered: the renditions' `srcset`, the width and height, the description as alt text and
the caption.

Why a placeholder rather than the editor's own image extension: an `<img>` in the stored body
could carry only an address (the sanitiser's allow-list for it has src, alt, width and height:
no `srcset`, no `sizes`, no `<picture>`), would point at one rendition's file in one storage,
and would let any address into the body. A placeholder is plain text: the editor, the nh3
allow-list and every save keep it as written, and the description, caption and renditions live
in one place, the image's record, so changing them changes every page at once.

A placeholder that names no image of the article, or that shares its paragraph with other
text, is never shown to readers: it is dropped, and the admin warns the editor on save.
"""

import html
import re
from collections.abc import Mapping
from typing import Protocol

from django.utils.html import format_html, strip_tags

from restoration_site.common.templatetags.site_tags import picture

# `[image 2]`, forgiving of case and spacing as people type it.
PLACEHOLDER = re.compile(r"\[\s*image\s+(\d{1,6})\s*\]", re.IGNORECASE)
# The body is stored as nh3 writes it (blog.models.Article.save): the editor's paragraphs carry
# no attributes, and a paragraph never holds another.
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
# A paragraph or a heading (neither holds another), or a placeholder anywhere else.
_BLOCK_OR_PLACEHOLDER = re.compile(
    rf"<(?P<tag>p|h[1-6])>(?P<inner>.*?)</(?P=tag)>|{PLACEHOLDER.pattern}",
    re.DOTALL | re.IGNORECASE,
)
# The article's text column (.prose) is 65ch of 17px text, about 38rem; narrower screens show
# the image across the page.
BODY_IMAGE_SIZES = "(min-width: 42rem) 38rem, 100vw"


class BodyImage(Protocol):
    number: int
    alt: str
    caption: str
    renditions: dict


def placeholder(number: int) -> str:
    """What staff write in the body to place image `number`."""
    return f"[image {number}]"


def _paragraph_text(inner_html: str) -> str:
    return html.unescape(strip_tags(inner_html)).strip()


def placed_numbers(body: str) -> list[int]:
    """The image numbers of the placeholders that stand as paragraphs of their own, in order."""
    numbers = []
    for match in _PARAGRAPH.finditer(body or ""):
        if whole := PLACEHOLDER.fullmatch(_paragraph_text(match.group(1))):
            numbers.append(int(whole.group(1)))
    return numbers


def stray_placeholders(body: str) -> list[str]:
    """Placeholders readers would never see as an image: inside a paragraph with other text,
    or outside a paragraph (a heading, a list item), as written."""
    alone = {
        match.span(1)
        for match in _PARAGRAPH.finditer(body or "")
        if PLACEHOLDER.fullmatch(_paragraph_text(match.group(1)))
    }
    stray = []
    for match in PLACEHOLDER.finditer(body or ""):
        inside_alone = any(start <= match.start() < end for start, end in alone)
        if not inside_alone:
            stray.append(match.group(0))
    return stray


def without_placeholders(text: str) -> str:
    """The text with every placeholder removed: what a reader reads (reading time, search)."""
    return PLACEHOLDER.sub(" ", text or "")


def figure(image: BodyImage) -> str:
    """The image as the article page shows it: `<figure>`, the renditions as `<picture>`
    (loaded lazily, below the hero), and the caption when there is one."""
    rendered = picture(image.renditions, image.alt, sizes=BODY_IMAGE_SIZES, loading="lazy")
    if not rendered:
        return ""
    caption = format_html("<figcaption>{}</figcaption>", image.caption) if image.caption else ""
    return format_html('<figure class="article__figure">{}{}</figure>', rendered, caption)


def with_images(body: str, *, images: Mapping[int, BodyImage]) -> str:
    """`body` with each placeholder paragraph replaced by its image's figure. A placeholder for
    an image the article does not have, or one that is not a paragraph of its own, is dropped,
    and a paragraph or heading left empty by that goes with it. One pass, so nothing in a
    figure (an alt text that quotes a placeholder) is ever read as a placeholder."""

    def replace(match: re.Match) -> str:
        tag, inner = match.group("tag"), match.group("inner")
        if tag is None:  # a placeholder outside any paragraph or heading
            return ""
        text = _paragraph_text(inner)
        if whole := PLACEHOLDER.fullmatch(text):
            image = images.get(int(whole.group(1))) if tag == "p" else None
            return figure(image) if image else ""
        if not PLACEHOLDER.search(text):
            return match.group(0)
        kept = PLACEHOLDER.sub("", inner)
        if PLACEHOLDER.search(_paragraph_text(kept)):
            # Split by markup ("[image <em>2</em>]"): the block's text alone, without it.
            kept = html.escape(PLACEHOLDER.sub("", text))
        return f"<{tag}>{kept}</{tag}>" if _paragraph_text(kept) else ""

    return _BLOCK_OR_PLACEHOLDER.sub(replace, body or "")
