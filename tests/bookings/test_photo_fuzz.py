"""A fuzz corpus of damaged JPEG, PNG and WebP files, each sent through the real consultation
form: none may give a server error, and every refused file gets its message next to the photos.

The corpus is made here, at test time, from small Pillow images and a seeded random generator,
so it is the same on every run and no binary file lives in the repository.
"""

import io
import random
import struct
import zlib
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from bookings.models import ConsultationRequest
from tests.bookings.helpers import valid_form_data
from tests.html import parse

pytestmark = pytest.mark.django_db
FORM = "/book/"
SEED = 20261201
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MESSAGES = (
    "The submitted file is empty",
    "This file is not an image",
    "Upload a JPEG, PNG or WebP photo",
    "This image is damaged or incomplete",
    "megapixels",
)


@dataclass(frozen=True)
class Specimen:
    name: str
    kind: str
    image_format: str
    data: bytes
    # Refused whatever Pillow makes of the rest of the file (the header alone says so).
    must_refuse: bool = False


def encoded(image: Image.Image, image_format: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save)
    return buffer.getvalue()


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    return exif


def srgb_profile() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # Without its creation time, so the corpus is the same on every run.
    return profile[:24] + bytes(12) + profile[36:]


def base_images(rng: random.Random) -> dict[str, tuple[str, bytes]]:
    """Small, valid photos of every kind the form accepts, with EXIF and a colour profile."""
    noise = Image.frombytes("RGB", (64, 48), rng.randbytes(64 * 48 * 3))
    photo = Image.blend(Image.new("RGB", (64, 48), "peru"), noise, 0.3)
    clear = photo.convert("RGBA")
    clear.putalpha(Image.linear_gradient("L").resize((64, 48)))
    extra = {"exif": phone_exif(), "icc_profile": srgb_profile()}
    return {
        "jpeg": ("JPEG", encoded(photo, "JPEG", quality=85, **extra)),
        "jpeg-progressive": ("JPEG", encoded(photo, "JPEG", progressive=True, **extra)),
        "png": ("PNG", encoded(photo, "PNG", **extra)),
        "png-alpha": ("PNG", encoded(clear, "PNG")),
        "png-palette": ("PNG", encoded(photo.quantize(16), "PNG")),
        "webp": ("WEBP", encoded(photo, "WEBP", quality=80)),
        "webp-extended": ("WEBP", encoded(clear, "WEBP", quality=80, **extra)),
        "webp-lossless": ("WEBP", encoded(photo, "WEBP", lossless=True)),
    }


def garbled_exif_blocks(rng: random.Random) -> dict[str, bytes]:
    def orientation(value) -> bytes:
        exif = Image.Exif()
        exif[0x0112] = value
        return exif.tobytes()

    def ifd(*entries: tuple[int, int, int, int]) -> bytes:
        """A big-endian TIFF header and one IFD of (tag, type, count, value) entries."""
        body = struct.pack(">H", len(entries))
        body += b"".join(struct.pack(">HHII", *entry) for entry in entries)
        return b"MM\x00*\x00\x00\x00\x08" + body + b"\x00\x00\x00\x00"

    return {
        "random": rng.randbytes(64),
        "exif-prefix-then-random": b"Exif\x00\x00" + rng.randbytes(40),
        "not-tiff": b"garbage!",
        "ifd-past-the-end": b"MM\x00*\x7f\xff\xff\xff",
        "ifd-count-past-the-end": b"II*\x00\x08\x00\x00\x00\xff\xff" + rng.randbytes(12),
        "orientation-0": orientation(0),
        "orientation-9": orientation(9),
        "orientation-65535": orientation(65535),
        "orientation-as-text": ifd((0x0112, 2, 4, 0x73697800)),
        "orientation-count-past-the-end": ifd((0x0112, 3, 100_000, 0x00FFFFFF)),
        "gps-pointer-past-the-end": ifd((0x8825, 4, 1, 0x7FFFFFFF)),
        "exif-pointer-to-itself": ifd((0x8769, 4, 1, 8)),
        "truncated-ifd": ifd((0x0112, 3, 1, 0x00060000))[:14],
    }


def garbled_icc_profiles(rng: random.Random) -> dict[str, bytes]:
    profile = srgb_profile()
    return {
        "random": rng.randbytes(300),
        "truncated": profile[:100],
        "huge-declared-size": struct.pack(">I", 0x7FFFFFFF) + profile[4:],
        "bad-tag-count": profile[:128] + struct.pack(">I", 0xFFFFFF) + profile[132:],
    }


def png_with_chunk(png: bytes, chunk_type: bytes, content: bytes, *, crc: bool = True) -> bytes:
    """The PNG with one more chunk straight after IHDR."""
    checksum = zlib.crc32(chunk_type + content) if crc else 0
    chunk = struct.pack(">I", len(content)) + chunk_type + content + struct.pack(">I", checksum)
    return png[:33] + chunk + png[33:]


def with_huge_dimensions(image_format: str, data: bytes, *, fix_crc: bool = True) -> bytes:
    """The same file with a header declaring 60000 x 60000 pixels (16383 for plain WebP)."""
    data = bytearray(data)
    if image_format == "JPEG":
        for marker in (b"\xff\xc0", b"\xff\xc2"):
            at = data.find(marker)
            if at != -1:
                data[at + 5 : at + 9] = struct.pack(">HH", 60000, 60000)
                return bytes(data)
        raise AssertionError("no SOF marker")
    if image_format == "PNG":
        data[16:24] = struct.pack(">II", 60000, 60000)
        if fix_crc:
            data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
        return bytes(data)
    chunk = bytes(data[12:16])
    if chunk == b"VP8X":
        data[24:30] = (59999).to_bytes(3, "little") * 2
    elif chunk == b"VP8 ":
        data[26:30] = struct.pack("<HH", 0x3FFF, 0x3FFF)
    else:  # VP8L: 14 bits of width - 1, then 14 of height - 1
        bits = struct.unpack("<I", data[21:25])[0]
        data[21:25] = struct.pack("<I", (bits & ~0xFFFFFFF) | 0x3FFF | (0x3FFF << 14))
    return bytes(data)


def corpus() -> list[Specimen]:
    rng = random.Random(SEED)
    bases = base_images(rng)
    specimens = []

    def add(name, kind, image_format, data, must_refuse=False):
        extension = EXTENSIONS[image_format]
        specimens.append(Specimen(f"{name}.{extension}", kind, image_format, data, must_refuse))

    for base, (image_format, data) in bases.items():
        header = 30 if image_format == "WEBP" else 16
        # Truncated: inside the header, just after it, and at random points to the last byte.
        cuts = {0, 1, header // 2, header, header + 1, len(data) - 1}
        cuts |= {rng.randrange(header, len(data) - 1) for _ in range(5)}
        for cut in sorted(cuts):
            add(f"{base}-cut-at-{cut}", "truncated", image_format, data[:cut], cut <= header)
        # Bad magic and headers.
        flipped = bytearray(data)
        flipped[1] ^= 0xFF
        add(f"{base}-bad-magic", "bad header", image_format, bytes(flipped), True)
        add(
            f"{base}-zeroed-header", "bad header", image_format, bytes(header) + data[header:], True
        )
        other = b"GIF89a" if image_format != "JPEG" else b"\x89PNG\r\n"
        add(f"{base}-other-magic", "bad header", image_format, other + data[6:], True)
        scrambled = bytearray(data)
        for at in rng.sample(range(2, header), 4):
            scrambled[at] = rng.randrange(256)
        add(f"{base}-scrambled-header", "bad header", image_format, bytes(scrambled))
        # Random byte flips anywhere after the magic.
        for n in range(8):
            mutated = bytearray(data)
            for _ in range(rng.choice((1, 2, 5, 20))):
                mutated[rng.randrange(4, len(data))] ^= 1 << rng.randrange(8)
            add(f"{base}-flipped-{n}", "byte flips", image_format, bytes(mutated))
        # Huge declared dimensions.
        add(
            f"{base}-60000px",
            "huge dimensions",
            image_format,
            with_huge_dimensions(image_format, data),
            True,
        )
        if image_format == "PNG":
            stale = with_huge_dimensions(image_format, data, fix_crc=False)
            add(f"{base}-60000px-stale-crc", "huge dimensions", image_format, stale, True)

    photo = Image.new("RGB", (48, 32), "sienna")
    for image_format in EXTENSIONS:
        for label, block in garbled_exif_blocks(rng).items():
            data = encoded(photo, image_format, exif=block)
            add(f"exif-{label}-{image_format.lower()}", "bad EXIF", image_format, data)
        for label, profile in garbled_icc_profiles(rng).items():
            data = encoded(photo, image_format, icc_profile=profile)
            add(f"icc-{label}-{image_format.lower()}", "bad ICC profile", image_format, data)
    # A PNG colour profile whose compressed data is not zlib, and one that inflates without end.
    png = encoded(photo, "PNG")
    add(
        "icc-not-zlib",
        "bad ICC profile",
        "PNG",
        png_with_chunk(png, b"iCCP", b"p\x00\x00" + rng.randbytes(80)),
    )
    bomb = zlib.compress(bytes(64 * 1024 * 1024), 9)
    add(
        "icc-zlib-bomb", "bad ICC profile", "PNG", png_with_chunk(png, b"iCCP", b"p\x00\x00" + bomb)
    )
    add(
        "exif-chunk-bad-crc", "bad EXIF", "PNG", png_with_chunk(png, b"eXIf", b"MM\x00*", crc=False)
    )
    # Decompression bombs: tiny files that decode to billions of bytes.
    add(
        "bomb-1-bit",
        "huge dimensions",
        "PNG",
        encoded(Image.new("1", (20_000, 20_000)), "PNG"),
        True,
    )
    add(
        "bomb-text-chunk",
        "huge dimensions",
        "PNG",
        png_with_chunk(png, b"zTXt", b"k\x00\x00" + bomb),
    )
    return specimens


@pytest.fixture(scope="module")
def specimens() -> list[Specimen]:
    return corpus()


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # Hundreds of requests from the test client: the per-address limit is tested elsewhere.
    settings.CONSULTATION_RATE_LIMIT = 1_000_000


def test_the_corpus_covers_every_kind_of_damage_in_every_format(specimens):
    assert 150 <= len(specimens) <= 300
    kinds = Counter((s.kind, s.image_format) for s in specimens)
    for kind in ("truncated", "bad header", "byte flips", "bad EXIF", "bad ICC profile"):
        for image_format in EXTENSIONS:
            assert kinds[kind, image_format] >= 4, (kind, image_format)
    for image_format in EXTENSIONS:
        assert kinds["huge dimensions", image_format] >= 1
    assert len({s.name for s in specimens}) == len(specimens)


def test_the_corpus_is_the_same_on_every_run(specimens):
    assert [s.data for s in corpus()] == [s.data for s in specimens]


def test_no_damaged_file_gives_a_server_error_and_each_refusal_is_explained_by_the_photos(
    client, specimens
):
    client.raise_request_exception = False
    problems, refused, accepted = [], 0, 0
    for n, specimen in enumerate(specimens):
        photo = SimpleUploadedFile(specimen.name, specimen.data, "application/octet-stream")
        response = client.post(
            FORM, valid_form_data(photos=[photo]), REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}"
        )
        if response.status_code == 302:
            accepted += 1
            if specimen.must_refuse:
                problems.append(f"{specimen.name}: accepted")
            continue
        if response.status_code != 200:
            problems.append(f"{specimen.name}: {response.status_code} {response.exc_info}")
            continue
        refused += 1
        soup = parse(response)
        photos = soup.select_one("#div_id_photos")
        explained = photos.get_text(" ", strip=True) if photos else ""
        if f"{specimen.name[:60]}:" not in explained or not any(m in explained for m in MESSAGES):
            problems.append(f"{specimen.name}: refused without a message by the photos")
        elif {a["href"] for a in soup.select("#form-errors a")} != {"#id_photos"}:
            problems.append(f"{specimen.name}: errors on other fields too")
    assert problems == []
    assert ConsultationRequest.objects.count() == accepted
    assert refused > len(specimens) / 2
