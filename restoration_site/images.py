"""
Image handling shared by the articles and the portfolio, in plain Pillow.

Plain Pillow rather than easy-thumbnails or django-imagekit: the site needs exactly three things
(refuse what is not a clean photo, strip metadata, write a few WebP/JPEG widths once) and keeping
them here means no second cache of generated files and no rendition work in a page view.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)


@dataclass(frozen=True)
class CleanImage:
    """An uploaded image re-encoded without metadata, ready to store under a random name."""

    file: ContentFile
    width: int
    height: int


def clean_uploaded_image(
    upload, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> CleanImage:
    """Check that an upload is a real, complete JPEG, PNG or WebP and re-encode it.

    The result is upright (EXIF orientation applied), carries no metadata (camera, GPS) and has a
    random file name. Re-encoding also drops anything smuggled after the image data. Every refusal
    is a ValidationError whose message says what was wrong.
    """
    max_bytes = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    too_many_pixels = (
        f"This image is larger than {max_pixels // 1_000_000} megapixels. "
        "Please upload a smaller copy."
    )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"This file is {size / 1_048_576:.1f} MB; the limit is {max_bytes // 1_048_576} MB.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; the explicit check below refuses it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Opening reads only the header, so the size is known before any pixel is decoded.
            image = Image.open(upload)
        image_format = image.format
        if image_format not in ACCEPTED_FORMATS:
            raise ValidationError(
                f"Upload a JPEG, PNG or WebP photo; this file is {image_format}.", code="format"
            )
        width, height = image.size
        if width * height > max_pixels:
            raise ValidationError(
                f"This image is {width} x {height} pixels, larger than "
                f"{max_pixels // 1_000_000} megapixels. Please upload a smaller copy.",
                code="too_many_pixels",
            )
        image.load()
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image. Upload a JPEG, PNG or WebP photo.", code="not_an_image"
        ) from None
    except Image.DecompressionBombError:
        raise ValidationError(too_many_pixels, code="too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This image is damaged or incomplete. Please upload it again.", code="damaged"
        ) from None
    finally:
        upload.seek(0)

    image = ImageOps.exif_transpose(image)
    # Nothing from the original file's metadata may reach the stored copy.
    image.info = {}
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=90)
    name = f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[image_format]}"
    return CleanImage(
        file=ContentFile(buffer.getvalue(), name=name), width=image.width, height=image.height
    )


def build_renditions(
    *,
    storage: Storage,
    source_name: str,
    folder: str,
    widths: tuple[int, ...] = RENDITION_WIDTHS,
) -> dict:
    """Write WebP and JPEG copies of a stored image at each width, once, and describe them.

    The returned description (stored on the model) is all a template needs to write `srcset`,
    `width` and `height`, so a page view never touches the image files.
    """
    with storage.open(source_name, "rb") as source:
        image = Image.open(source)
        image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.info = {}
    stem = uuid.uuid4().hex[:12]
    sizes = sorted({min(width, image.width) for width in widths})
    sources = []
    for width in sizes:
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        entry = {"w": width, "h": height}
        for key, fmt, options in (
            ("webp", "WEBP", {"quality": 78, "method": 4}),
            ("jpeg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
        ):
            buffer = io.BytesIO()
            resized.save(buffer, fmt, **options)
            extension = "jpg" if key == "jpeg" else key
            name = storage.save(
                f"{folder}/{stem}-{width}.{extension}", ContentFile(buffer.getvalue())
            )
            entry[key] = name
        sources.append(entry)
    return {"width": sources[-1]["w"], "height": sources[-1]["h"], "sources": sources}


def store_and_render(field_file, *, folder: str) -> dict:
    """Store a newly assigned upload cleaned (upright, no metadata, random name), then write its
    renditions. Models call this before saving, so no visitor ever sees an image without them.
    """
    if not field_file._committed:
        clean = clean_uploaded_image(field_file.file)
        field_file.save(clean.file.name, clean.file, save=False)
    return build_renditions(storage=field_file.storage, source_name=field_file.name, folder=folder)


def delete_renditions(*, storage: Storage, renditions: dict) -> None:
    """Remove the files a rendition description names (when an image is replaced or deleted)."""
    for entry in renditions.get("sources", []):
        for key in ("webp", "jpeg"):
            if entry.get(key):
                storage.delete(entry[key])
