"""
Image handling shared by the articles, the portfolio and the consultation form, in plain Pillow.

Plain Pillow rather than easy-thumbnails or django-imagekit: the site needs exactly three things
(refuse what is not a clean photo, strip metadata, write a few WebP/JPEG widths once) and keeping
them here means no second cache of generated files and no rendition work in a page view.

Each upload is decoded once, by `clean_uploaded_image`; what is kept afterwards is the re-encoded
file (`CleanImage`), never the decoded pixels, so a request holds one decoded image at a time.
"""

import io
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)
DAMAGED = "This image is damaged or incomplete. Please upload it again."
# Pillow's 16-bit greyscale modes: converted to 8 bits by scaling, as a plain conversion clips
# everything above 255 to white.
SIXTEEN_BIT_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N"}


@dataclass(frozen=True)
class CleanImage:
    """An uploaded image re-encoded without metadata, ready to store under a random name."""

    file: ContentFile
    width: int
    height: int


def clean_uploaded_image(
    upload,
    *,
    max_bytes: int | Mapping[str, int] | None = None,
    max_pixels: int | Mapping[str, int] | None = None,
    max_edge: int | None = None,
    store_as: str | None = None,
) -> CleanImage:
    """Check that an upload is a real, complete JPEG, PNG or WebP and re-encode it.

    The result is upright (EXIF orientation applied), carries no metadata (camera, GPS) and has a
    random file name. Re-encoding also drops anything smuggled after the image data. Every
    refusal, whatever part of the file is broken (header, pixels, EXIF, colour profile), is a
    ValidationError whose message says what was wrong.

    `max_bytes` and `max_pixels` are one limit each, or one per format (the cost of decoding
    differs by format); both are checked before any pixel is decoded. With `max_edge`, a larger
    image is shrunk so its long edge is `max_edge` pixels (a JPEG is decoded at reduced scale to
    begin with); `store_as` ("JPEG") re-encodes in that format rather than the upload's own.
    """
    max_bytes = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    # Before the format is known, only the largest of the limits.
    largest = max(max_bytes.values()) if isinstance(max_bytes, Mapping) else max_bytes
    if size is not None and size > largest:
        raise ValidationError(
            f"This file is {size / 1_048_576:.1f} MB; the limit is {largest // 1_048_576} MB.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it (the header check refuses such images)
            # and about EXIF it cannot read (refused as damaged when the orientation is needed).
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)
            image, output_format = _decoded(
                upload,
                size=size,
                max_bytes=max_bytes,
                max_pixels=max_pixels,
                max_edge=max_edge,
                store_as=store_as,
            )
        buffer = io.BytesIO()
        if output_format == "JPEG":
            # Optimised Huffman tables save a few per cent of a full-size copy, kept for good;
            # for a shrunk copy they would double the encoding time for a few kilobytes.
            image.save(buffer, "JPEG", quality=90, optimize=not max_edge)
        elif output_format == "PNG":
            image.save(buffer, "PNG", optimize=True)
        else:
            image.save(buffer, "WEBP", quality=90)
        width, height = image.size
    except ValidationError:
        raise
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image. Upload a JPEG, PNG or WebP photo.", code="not_an_image"
        ) from None
    except Image.DecompressionBombError:
        raise ValidationError(
            f"This image is larger than {settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels. "
            "Please upload a smaller copy.",
            code="too_many_pixels",
        ) from None
    except Exception:
        # Whatever Pillow trips over in a file (a truncated stream, a garbled EXIF block, an
        # impossible colour profile, a bad palette) is a fault in the file, not in the site: the
        # visitor gets a message to act on, never a server error.
        raise ValidationError(DAMAGED, code="damaged") from None
    finally:
        upload.seek(0)
    name = f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[output_format]}"
    return CleanImage(file=ContentFile(buffer.getvalue(), name=name), width=width, height=height)


def _decoded(
    upload,
    *,
    size: int | None,
    max_bytes: int | Mapping[str, int],
    max_pixels: int | Mapping[str, int] | None,
    max_edge: int | None,
    store_as: str | None,
) -> tuple[Image.Image, str]:
    """The upload's pixels, upright, without metadata, ready to encode, and the format to encode.

    The order keeps memory down: the header is checked before any pixel is decoded; a JPEG to be
    shrunk is decoded at reduced scale; the full-size image is converted at most once (to RGB for
    a JPEG), letting go of the opened file and its decoder's buffers; only the small copy is ever
    transposed.
    """
    # Opening decodes no pixel (it reads the header; for a WebP the whole file, already checked
    # against the largest byte limit), so format, size and dimensions are all checked first.
    image = Image.open(upload)
    image_format = image.format
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"Upload a JPEG, PNG or WebP photo; this file is {image_format}.", code="format"
        )
    byte_limit = _for_format(max_bytes, image_format)
    if size is not None and size > byte_limit:
        name = "WebP" if image_format == "WEBP" else image_format
        raise ValidationError(
            f"This {name} file is {size / 1_048_576:.1f} MB; the limit for {name} is "
            f"{byte_limit // 1_048_576} MB. Please upload a smaller copy, or a JPEG.",
            code="too_large",
        )
    pixel_limit = _for_format(max_pixels or settings.IMAGE_MAX_PIXELS, image_format)
    width, height = image.size
    if width * height > pixel_limit:
        raise ValidationError(
            f"This image is {width} x {height} pixels, larger than "
            f"{pixel_limit // 1_000_000} megapixels. Please upload a smaller copy.",
            code="too_many_pixels",
        )
    output_format = store_as or image_format
    method = _orientation_transpose(image)
    shrink = bool(max_edge) and max(image.size) > max_edge
    if shrink:
        # A JPEG is decoded at 1/2, 1/4 or 1/8 scale directly, never holding the full size.
        image.draft(None, _fitted(image.size, max_edge))
    image.load()
    if output_format == "JPEG":
        image = _flattened(image)
    if shrink and max(image.size) > max_edge:
        if image.mode in SIXTEEN_BIT_MODES:
            image = _eight_bit(image)
        elif image.mode not in ("RGB", "RGBA", "L", "LA"):
            # Palette and 1-bit images would be resized pixel by pixel, jagged.
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        # Shrink by a whole factor first (box averaging, fast), then by less than two with a
        # Hamming filter: a quarter of the time of Lanczos from the full size, and at a factor
        # under two no difference a person sees.
        image = image.resize(
            _fitted(image.size, max_edge), Image.Resampling.HAMMING, reducing_gap=1.0
        )
    if method is not None:
        image = image.transpose(method)
    # Nothing from the original file's metadata may reach the stored copy.
    image.info = {}
    return image, output_format


def _for_format(limit: int | Mapping[str, int], image_format: str) -> int:
    return limit[image_format] if isinstance(limit, Mapping) else limit


def _orientation_transpose(image: Image.Image) -> Image.Transpose | None:
    """How to turn the image upright, from its EXIF (or XMP) orientation; a garbled EXIF block
    raises, and the upload is refused as damaged."""
    orientation = image.getexif().get(0x0112, 1)
    return {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)


def _fitted(size: tuple[int, int], max_edge: int) -> tuple[int, int]:
    width, height = size
    scale = max_edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _eight_bit(image: Image.Image) -> Image.Image:
    return image.convert("I").point(lambda value: value / 256).convert("L")


def _flattened(image: Image.Image) -> Image.Image:
    """The image as RGB for a JPEG, any transparency laid on white (as a browser shows it).

    Done before shrinking: resizing an image with transparency makes two full-size copies of it
    (Pillow premultiplies the alpha), this makes one.
    """
    if image.mode in SIXTEEN_BIT_MODES:
        image = _eight_bit(image)
    if image.mode == "RGB":
        return image
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    return image.convert("RGB")


def build_renditions(
    *,
    storage: Storage,
    source_name: str,
    folder: str,
    widths: tuple[int, ...] = RENDITION_WIDTHS,
    source: IO[bytes] | None = None,
) -> dict:
    """Write WebP and JPEG copies of a stored image at each width, once, and describe them.

    `source` is the stored file's content when the caller still holds it (a fresh upload), to
    save reading it back from storage. The returned description (stored on the model) is all a
    template needs to write `srcset`, `width` and `height`, so a page view never touches the
    image files.
    """
    if source is None:
        with storage.open(source_name, "rb") as stored:
            image = _rendition_source(stored, max(widths))
    else:
        image = _rendition_source(source, max(widths))
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


def _rendition_source(file: IO[bytes], widest: int) -> Image.Image:
    """The image renditions are made from: upright, RGB, without metadata, and (for a JPEG)
    decoded at the smallest scale still at least `widest` pixels wide."""
    file.seek(0)
    image = Image.open(file)
    method = _orientation_transpose(image)
    sideways = method in (
        Image.Transpose.TRANSPOSE,
        Image.Transpose.ROTATE_270,
        Image.Transpose.TRANSVERSE,
        Image.Transpose.ROTATE_90,
    )
    width, height = image.size
    if sideways:
        image.draft(None, (max(1, round(width * widest / height)), widest))
    else:
        image.draft(None, (widest, max(1, round(height * widest / width))))
    image.load()
    if method is not None:
        image = image.transpose(method)
    image = image.convert("RGB")
    image.info = {}
    return image


def store_and_render(field_file, *, folder: str) -> dict:
    """Store a newly assigned upload cleaned (upright, no metadata, random name), then write its
    renditions. Models call this before saving, so no visitor ever sees an image without them.

    An upload that came through an admin form was already cleaned there (`PhotoField` attaches
    the result as `clean_image`), so it is not decoded again; the renditions are made from the
    cleaned copy in memory rather than read back from storage.
    """
    if field_file._committed:
        return build_renditions(
            storage=field_file.storage, source_name=field_file.name, folder=folder
        )
    clean = getattr(field_file.file, "clean_image", None) or clean_uploaded_image(field_file.file)
    field_file.save(clean.file.name, clean.file, save=False)
    return build_renditions(
        storage=field_file.storage, source_name=field_file.name, folder=folder, source=clean.file
    )


def delete_renditions(*, storage: Storage, renditions: dict) -> None:
    """Remove the files a rendition description names (when an image is replaced or deleted)."""
    for entry in renditions.get("sources", []):
        for key in ("webp", "jpeg"):
            if entry.get(key):
                storage.delete(entry[key])
