import json

from django import template
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from restoration_site.common import site_url

register = template.Library()

# The same escapes Django's json_script uses, so data can never close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> str:
    """Structured data for search engines as a safe `application/ld+json` block."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter
def absolute_url(path: str) -> str:
    """The path's address on the public site (SITE_URL), never the request's Host header."""
    return site_url.absolute_url(path)


@register.filter
def lookup(mapping, key) -> str:
    """`mapping[key]`, or "" when the key is empty or missing; an empty key never reads the
    mapping (which may be a lazily loaded one)."""
    if not key:
        return ""
    return mapping.get(key, "") if mapping else ""


@register.filter
def iso_datetime(value) -> str:
    """A machine-readable date and time for <time datetime> and meta tags: whole seconds, as
    HTML requires (Django's "c" format would add microseconds)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _srcset(sources: list[dict], key: str) -> str:
    return ", ".join(f"{default_storage.url(entry[key])} {entry['w']}w" for entry in sources)


@register.simple_tag
def picture(
    renditions: dict, alt: str, sizes: str = "100vw", loading: str = "lazy", css_class: str = ""
):
    """A responsive <picture>: WebP first, JPEG fallback, explicit size so nothing shifts.

    `renditions` is the description written by restoration_site.common.images.build_renditions.
    """
    sources = (renditions or {}).get("sources")
    if not sources:
        return ""
    fallback = sources[min(1, len(sources) - 1)]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"{}></picture>',
        _srcset(sources, "webp"),
        sizes,
        default_storage.url(fallback["jpeg"]),
        _srcset(sources, "jpeg"),
        sizes,
        renditions["width"],
        renditions["height"],
        alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )
