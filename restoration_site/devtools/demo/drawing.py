"""Illustrations for the demo content, drawn with Pillow at run time (never committed)."""

import io
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont


def draw_illustration(
    *, width: int, height: int, variant: int, caption: str, hairline: str = "full"
) -> bytes:
    """A JPEG drawing of a shaved head seen from above-front with a hairline of dots.

    Demo images are drawn at run time (never committed), and each says it is an illustration so
    nobody mistakes it for a client's photo. `hairline` is "none", "sparse", "full" or "harsh"
    (a blocky, too-dark line: what poor SMP looks like).
    """
    rng = random.Random(variant)
    palettes = [
        ((236, 229, 218), (198, 160, 130)),
        ((226, 234, 236), (186, 146, 118)),
        ((238, 232, 224), (156, 112, 86)),
        ((230, 236, 230), (214, 176, 146)),
    ]
    background, skin = palettes[variant % len(palettes)]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(18 * y / height)
        draw.line([(0, y), (width, y)], fill=tuple(max(0, c - shade) for c in background))
    cx, cy = width // 2, int(height * 0.62)
    rx, ry = int(width * 0.24), int(height * 0.52)
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=skin)
    ear = int(rx * 0.18)
    for side in (-1, 1):
        ex = cx + side * rx
        draw.ellipse([ex - ear, cy - ear * 2, ex + ear, cy + ear], fill=skin)
    pigment = (58, 50, 46) if hairline != "harsh" else (24, 20, 20)
    if hairline != "none":
        # Dots per pixel of scalp, and how far above the hairline the fade to full density runs.
        density, fade, tint = {
            "sparse": (0.02, 0.35, 0.08),
            "full": (0.07, 0.12, 0.22),
            "harsh": (0.1, 0.0, 0.5),
        }[hairline]
        dot = max(1.0, width / 900)
        top = cy - ry

        def hairline_y(x: float) -> float:
            # A natural line curves down at the temples; a harsh one is flat and low.
            offset = abs(x - cx) / rx
            return top + ry * (0.42 + (0.18 * offset**2 if hairline != "harsh" else 0.0))

        # The shadow of pigment under the dots, soft-edged unless the work is poor.
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).polygon(
            [(x, hairline_y(x)) for x in range(cx - rx, cx + rx + 1, 4)]
            + [(cx + rx, top), (cx - rx, top)],
            fill=255,
        )
        head = Image.new("L", (width, height), 0)
        ImageDraw.Draw(head).ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=255)
        if hairline != "harsh":
            mask = mask.filter(ImageFilter.GaussianBlur(width / 60))
        mask = ImageChops.multiply(mask, head).point(lambda v: int(v * tint))
        image.paste(pigment, (0, 0), mask)
        for _ in range(int(math.pi * rx * ry * 0.6 * density)):
            x = rng.uniform(cx - rx, cx + rx)
            y = rng.uniform(top, cy)
            if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 0.97:
                continue
            line = hairline_y(x)
            if y > line:
                continue
            if (
                fade
                and y > line - ry * fade
                and rng.random() < (y - (line - ry * fade)) / (ry * fade)
            ):
                continue
            draw.ellipse([x - dot, y - dot, x + dot, y + dot], fill=pigment)
    return labelled_jpeg(image, caption)


def draw_portrait(*, width: int, height: int, variant: int, caption: str) -> bytes:
    """A JPEG drawing of a head and shoulders, for a demo practitioner's team-page photo.

    Plainly a drawing, and labelled one, so no one takes it for a real member of staff.
    """
    palettes = [
        ((226, 234, 236), (198, 160, 130), (11, 95, 88)),
        ((238, 232, 224), (156, 112, 86), (31, 42, 55)),
        ((230, 236, 230), (214, 176, 146), (74, 85, 101)),
    ]
    background, skin, tunic = palettes[variant % len(palettes)]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    cx = width // 2
    # The neck, the shoulders over its foot (a rounded block rising from the bottom edge),
    # then the head.
    shoulders_top = int(height * 0.68)
    neck = width // 14
    draw.rectangle([cx - neck, int(height * 0.55), cx + neck, shoulders_top + neck], fill=skin)
    draw.rounded_rectangle(
        [int(width * 0.18), shoulders_top, int(width * 0.82), height + width // 10],
        radius=width // 6,
        fill=tunic,
    )
    rx, ry = int(width * 0.15), int(height * 0.24)
    cy = int(height * 0.40)
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=skin)
    # Short hair on top, a different line for each variant.
    hair = (58, 50, 46)
    draw.chord(
        [cx - rx, cy - ry, cx + rx, cy + ry // (2 + variant % 2)],
        start=180,
        end=360,
        fill=hair,
    )
    return labelled_jpeg(image, caption)


def labelled_jpeg(image: Image.Image, caption: str) -> bytes:
    """The drawing as a JPEG, labelled “Illustration: …” in its bottom corner."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(14, width // 40))
    label = f"Illustration: {caption}"
    box = draw.textbbox((0, 0), label, font=font)
    pad = max(6, width // 120)
    draw.rectangle(
        [pad, height - (box[3] - box[1]) - pad * 3, box[2] - box[0] + pad * 3, height - pad],
        fill=(31, 42, 55),
    )
    draw.text(
        (pad * 2, height - (box[3] - box[1]) - pad * 2), label, font=font, fill=(255, 255, 255)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
