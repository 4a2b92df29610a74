"""Image files made in memory for upload tests."""

import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo_bytes(width: int = 1200, height: int = 800, image_format: str = "JPEG", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(buffer, image_format, **save)
    return buffer.getvalue()


def photo_with_exif(
    width: int = 1200, height: int = 800, name: str = "IMG_0001.jpg", orientation: int = 1
) -> SimpleUploadedFile:
    """A phone-style JPEG that names its camera and where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS latitude
    data = photo_bytes(width, height, exif=exif)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def upload(data: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def noise_photo(width: int, height: int, image_format: str = "JPEG", **save) -> bytes:
    """A photo of random noise, which compresses about as badly as a photo can: 12 megapixels
    make a JPEG as heavy as a modern phone's (12 to 14 MB)."""
    buffer = io.BytesIO()
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    noise.save(buffer, image_format, **save)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels: all a check made before
    decoding sees of a decompression bomb or of a huge scan, without the memory either takes
    to make."""
    data = bytearray(photo_bytes(8, 8, "PNG"))
    # After the 8-byte signature: the IHDR chunk's length and type, then width and height,
    # five more fields, and the chunk's CRC over its type and fields.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
