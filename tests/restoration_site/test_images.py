"""restoration_site/common/images.py on its own: checking, shrinking, turning and re-encoding
uploads. Every upload the site takes (article heroes, portfolio photos, enquiry photos) goes
through it; each app's tests prove once that its form uses it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image, ImageFile

from restoration_site.common import images
from restoration_site.common.images import build_renditions, clean_uploaded_image
from tests.images import SVG, photo_bytes, photo_with_exif, png_claiming, upload

MIB = 1024 * 1024
ENQUIRY = {
    "max_bytes": {"JPEG": 10 * MIB, "PNG": 10 * MIB, "WEBP": 4 * MIB},
    "max_pixels": {"JPEG": 40_000_000, "PNG": 16_000_000, "WEBP": 8_000_000},
    "max_edge": 2560,
    "store_as": "JPEG",
}


def opened(clean) -> Image.Image:
    return Image.open(io.BytesIO(clean.file.read()))


def image_bytes(image: Image.Image, image_format: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save)
    return buffer.getvalue()


@pytest.fixture
def decoded_sizes(monkeypatch) -> list[tuple[int, int]]:
    """The size of every image Pillow decodes, as it decodes it."""
    sizes = []
    load = ImageFile.ImageFile.load

    def recording_load(self):
        if self.tile:
            sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


def test_a_large_photo_is_shrunk_to_the_long_edge_and_stored_as_a_jpeg():
    clean = clean_uploaded_image(photo_with_exif(width=4000, height=3000), **ENQUIRY)
    assert (clean.width, clean.height) == (2560, 1920)
    assert clean.file.name.endswith(".jpg")
    assert opened(clean).size == (2560, 1920)


def test_the_shrunk_copy_keeps_no_camera_or_location_metadata():
    image = opened(clean_uploaded_image(photo_with_exif(width=4000, height=3000), **ENQUIRY))
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert not image.getexif()
    assert not image.getexif().get_ifd(0x8825)  # GPS


def test_a_large_jpeg_is_decoded_at_reduced_scale_never_whole(decoded_sizes):
    data = photo_bytes(7000, 5000)
    clean_uploaded_image(upload(data, "big.jpg"), **ENQUIRY)
    assert decoded_sizes == [(3500, 2500)]


def test_a_sideways_phone_photo_is_shrunk_and_stored_upright():
    clean = clean_uploaded_image(photo_with_exif(width=4000, height=3000, orientation=6), **ENQUIRY)
    assert (clean.width, clean.height) == (1920, 2560)


def test_a_photo_within_the_long_edge_keeps_its_size():
    clean = clean_uploaded_image(photo_with_exif(width=1200, height=800), **ENQUIRY)
    assert (clean.width, clean.height) == (1200, 800)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_transparency_is_laid_on_white_in_the_jpeg_copy(image_format):
    transparent = Image.new("RGBA", (3000, 2000), (200, 0, 0, 0))
    data = image_bytes(
        transparent, image_format, **({"lossless": True} if image_format == "WEBP" else {})
    )
    image = opened(clean_uploaded_image(upload(data, "clear.png"), **ENQUIRY))
    assert image.mode == "RGB"
    assert image.getpixel((10, 10)) == (255, 255, 255)


def test_a_sixteen_bit_greyscale_png_is_scaled_to_eight_bits_not_clipped_to_white():
    half = (32768).to_bytes(2, "little")
    grey = Image.frombytes("I;16", (3000, 2000), half * 3000 * 2000)
    image = opened(clean_uploaded_image(upload(image_bytes(grey, "PNG"), "scan.png"), **ENQUIRY))
    assert 120 <= image.convert("L").getpixel((10, 10)) <= 136


def test_a_palette_png_is_shrunk_smoothly_in_full_colour():
    palette = Image.new("RGB", (3000, 2000), "teal").quantize(colors=4)
    clean = clean_uploaded_image(upload(image_bytes(palette, "PNG"), "chart.png"), **ENQUIRY)
    assert opened(clean).mode == "RGB"
    assert clean.width == 2560


@pytest.mark.parametrize(
    ("make_file", "code", "message"),
    [
        (
            lambda: upload(b"just some text, not a photo", "notes.jpg"),
            "not_an_image",
            "not an image",
        ),
        (lambda: upload(b"%PDF-1.4 not an image", "leaflet.jpg"), "not_an_image", "not an image"),
        (lambda: upload(b"<?php echo 1; ?>", "shell.php.jpg"), "not_an_image", "not an image"),
        (lambda: upload(SVG, "drawing.svg", "image/svg+xml"), "not_an_image", "not an image"),
        (
            lambda: upload(photo_bytes(image_format="GIF"), "anim.gif", "image/gif"),
            "format",
            "Upload a JPEG, PNG or WebP photo; this file is GIF.",
        ),
        (lambda: upload(photo_bytes()[:2000], "cut.jpg"), "damaged", "damaged or incomplete"),
        (
            lambda: upload(png_claiming(10_000, 6_000), "scan.png", "image/png"),
            "too_many_pixels",
            "This image is 10000 x 6000 pixels, larger than 40 megapixels",
        ),
        (
            lambda: upload(png_claiming(20_000, 20_000), "bomb.png", "image/png"),
            "too_many_pixels",
            "This image is larger than 40 megapixels",
        ),
        (
            lambda: upload(photo_bytes() + bytes(10 * MIB), "big.jpg"),
            "too_large",
            "the limit is 10 MB",
        ),
    ],
    ids=[
        "text",
        "pdf",
        "php",
        "svg",
        "gif",
        "truncated-jpeg",
        "60-megapixels",
        "decompression-bomb",
        "over-10-mb",
    ],
)
def test_an_upload_that_is_not_a_clean_photo_is_refused_with_what_was_wrong(
    make_file, code, message, decoded_sizes
):
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(make_file())
    assert refused.value.code == code
    assert message in refused.value.messages[0]
    if code != "damaged":
        assert decoded_sizes == []


def test_each_format_has_its_own_pixel_limit_checked_from_the_header(decoded_sizes):
    webp = image_bytes(Image.new("RGB", (3000, 3000), "tan"), "WEBP")
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(upload(webp, "nine-mp.webp", "image/webp"), **ENQUIRY)
    assert refused.value.code == "too_many_pixels"
    assert "3000 x 3000 pixels, larger than 8 megapixels" in refused.value.messages[0]
    assert decoded_sizes == []


def test_each_format_has_its_own_byte_limit_checked_before_decoding(decoded_sizes):
    webp = image_bytes(Image.new("RGB", (1000, 1000), "tan"), "WEBP") + bytes(5 * MIB)
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(upload(webp, "heavy.webp", "image/webp"), **ENQUIRY)
    assert refused.value.code == "too_large"
    assert refused.value.messages == [
        "This WebP file is 5.0 MB; the limit for WebP is 4 MB. "
        "Please upload a smaller copy, or a JPEG."
    ]
    assert decoded_sizes == []


def test_a_file_over_every_formats_limit_is_refused_before_it_is_opened(monkeypatch):
    def no_opening(*args, **kwargs):
        raise AssertionError("opened")

    monkeypatch.setattr(Image, "open", no_opening)
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(upload(bytes(11 * MIB), "huge.jpg"), **ENQUIRY)
    assert refused.value.messages == ["This file is 11.0 MB; the limit is 10 MB."]


def test_the_same_image_as_a_jpeg_is_within_its_limit():
    jpeg = image_bytes(Image.new("RGB", (3000, 3000), "tan"), "JPEG")
    assert clean_uploaded_image(upload(jpeg, "nine-mp.jpg"), **ENQUIRY).width == 2560


def test_without_a_long_edge_an_upload_keeps_its_size_and_format():
    data = image_bytes(Image.new("RGBA", (3000, 2000), (0, 90, 90, 128)), "PNG")
    clean = clean_uploaded_image(upload(data, "hero.png", "image/png"))
    assert (clean.width, clean.height) == (3000, 2000)
    assert clean.file.name.endswith(".png")
    assert opened(clean).mode == "RGBA"


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_a_garbled_exif_block_is_refused_as_damaged_not_a_server_error(image_format):
    data = image_bytes(Image.new("RGB", (40, 30), "red"), image_format, exif=b"garbage!")
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(upload(data, "broken"), **ENQUIRY)
    assert refused.value.code == "damaged"
    assert refused.value.messages == [images.DAMAGED]


def test_a_garbled_exif_block_is_refused_for_staff_uploads_too():
    data = image_bytes(Image.new("RGB", (40, 30), "red"), "WEBP", exif=b"garbage!")
    with pytest.raises(ValidationError) as refused:
        clean_uploaded_image(upload(data, "hero.webp", "image/webp"))
    assert refused.value.code == "damaged"


def test_an_orientation_out_of_range_is_ignored():
    exif = Image.Exif()
    exif[0x0112] = 65535
    data = image_bytes(Image.new("RGB", (40, 30), "red"), "WEBP", exif=exif)
    clean = clean_uploaded_image(upload(data, "odd.webp", "image/webp"), **ENQUIRY)
    assert (clean.width, clean.height) == (40, 30)


def test_renditions_from_a_copy_in_hand_never_read_storage(monkeypatch):
    clean = clean_uploaded_image(photo_with_exif(width=2400, height=1600))
    name = default_storage.save(f"test/{clean.file.name}", clean.file)

    def no_reading(*args, **kwargs):
        raise AssertionError("read back from storage")

    monkeypatch.setattr(default_storage, "open", no_reading)
    renditions = build_renditions(
        storage=default_storage, source_name=name, folder="test/renditions", source=clean.file
    )
    assert [entry["w"] for entry in renditions["sources"]] == [480, 960, 1600]
    assert (renditions["width"], renditions["height"]) == (1600, 1067)


def test_renditions_of_a_large_jpeg_decode_it_at_the_smallest_scale_still_wide_enough(
    decoded_sizes,
):
    data = photo_bytes(6800, 4000)
    build_renditions(
        storage=default_storage, source_name="x.jpg", folder="test/r", source=io.BytesIO(data)
    )
    assert decoded_sizes == [(1700, 1000)]
    assert default_storage.listdir("test/r")[1]
