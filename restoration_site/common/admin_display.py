"""Small pieces the apps' admin pages share."""

from django.core.files.storage import default_storage
from django.utils.html import format_html


def rendition_thumbnail(renditions: dict, alt: str, width: int) -> str:
    """The smallest JPEG copy of an image (as described by images.build_renditions)."""
    sources = (renditions or {}).get("sources")
    if not sources:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" loading="lazy">',
        default_storage.url(sources[0]["jpeg"]),
        alt,
        width,
    )
