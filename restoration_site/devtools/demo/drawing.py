"""Illustrations for the demo content, drawn with Pillow at run time (never committed)."""

import io
import itertools
import math
import random
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Street:
    """A straight street on a demo map: `at` is its x (a north-south street) or y (east-west)
    as a fraction of the map's width or height."""

    name: str
    at: float
    north_south: bool = False
    major: bool = False
    # Where along the street its name starts, as a fraction of the map's width or height.
    label_from: float = 0.06


@dataclass(frozen=True)
class StreetMap:
    """What a demo street map shows; every position is a fraction of the map's size."""

    streets: tuple[Street, ...]
    clinic: tuple[float, float]
    clinic_label: str
    station: tuple[float, float]
    station_label: str
    park: tuple[float, float, float, float]
    park_label: str
    # The walk from the station to the door, through these corners.
    route: tuple[tuple[float, float], ...] = ()
    car_park: tuple[float, float] | None = None


MAP_BLOCK = (226, 220, 208)
MAP_ROAD = (255, 255, 255)
MAP_MAJOR_ROAD = (250, 232, 178)
MAP_CASING = (186, 178, 164)
MAP_PARK = (200, 224, 190)
MAP_INK = (31, 42, 55)
MAP_ACCENT = (11, 95, 88)
MAP_STATION = (33, 72, 140)


def draw_street_map(*, width: int, height: int, plan: StreetMap, caption: str) -> bytes:
    """A JPEG schematic street map: the streets with their names, a park, the station, the
    walk from it and the clinic's pin with its name and address, a north arrow and a scale.

    Drawn for the demo's "Visit us" pages (every street and station on it is invented) and
    labelled as an illustration, as the demo's other images are.
    """
    image = Image.new("RGB", (width, height), MAP_BLOCK)
    draw = ImageDraw.Draw(image)
    unit = width / 1200
    label_font = ImageFont.load_default(size=round(32 * unit))
    small_font = ImageFont.load_default(size=round(28 * unit))
    pin_font = ImageFont.load_default(size=round(36 * unit))

    def px(point: tuple[float, float]) -> tuple[int, int]:
        return round(point[0] * width), round(point[1] * height)

    # The park, then the streets: casing first, so crossings join cleanly.
    left, top, right, bottom = plan.park
    draw.rectangle([left * width, top * height, right * width, bottom * height], fill=MAP_PARK)
    for pass_ in ("casing", "road"):
        for street in plan.streets:
            half = (36 if street.major else 24) * unit + (5 * unit if pass_ == "casing" else 0)
            fill = MAP_CASING if pass_ == "casing" else MAP_MAJOR_ROAD if street.major else MAP_ROAD
            if street.north_south:
                x = street.at * width
                draw.rectangle([x - half, 0, x + half, height], fill=fill)
            else:
                y = street.at * height
                draw.rectangle([0, y - half, width, y + half], fill=fill)
    park_centre = ((left + right) / 2 * width, (top + bottom) / 2 * height)
    _centred_text(draw, park_centre, plan.park_label, small_font, MAP_INK)
    for street in plan.streets:
        _street_name(image, street, width=width, height=height, font=label_font)

    # The walk from the station: a dotted line.
    if plan.route:
        points = [px(plan.station), *map(px, plan.route), px(plan.clinic)]
        dot = max(3, round(6 * unit))
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            steps = max(1, int(math.hypot(x2 - x1, y2 - y1) // (dot * 3)))
            for step in range(steps + 1):
                x = x1 + (x2 - x1) * step / steps
                y = y1 + (y2 - y1) * step / steps
                draw.ellipse([x - dot, y - dot, x + dot, y + dot], fill=MAP_ACCENT)

    # The station: a blue disc with a white bar, and its name.
    sx, sy = px(plan.station)
    radius = round(28 * unit)
    draw.ellipse([sx - radius, sy - radius, sx + radius, sy + radius], fill=MAP_STATION)
    draw.rectangle(
        [sx - radius * 1.4, sy - radius * 0.3, sx + radius * 1.4, sy + radius * 0.3],
        fill=MAP_STATION,
    )
    draw.rectangle(
        [sx - radius * 0.6, sy - radius * 0.12, sx + radius * 0.6, sy + radius * 0.12],
        fill=(255, 255, 255),
    )
    _label_box(
        draw,
        (sx + radius * 1.6, sy - radius),
        plan.station_label,
        small_font,
        fill=(255, 255, 255),
        ink=MAP_STATION,
        bounds=(width, height),
    )

    if plan.car_park:
        cx, cy = px(plan.car_park)
        side = round(26 * unit)
        draw.rounded_rectangle(
            [cx - side, cy - side, cx + side, cy + side], radius=side // 4, fill=MAP_STATION
        )
        _centred_text(draw, (cx, cy), "P", pin_font, (255, 255, 255))
        _label_box(
            draw,
            (cx + side * 1.4, cy - side),
            "Car park",
            small_font,
            fill=(255, 255, 255),
            ink=MAP_STATION,
            bounds=(width, height),
        )

    # The clinic: a pin whose point is the door, with the clinic's name and address.
    px_, py_ = px(plan.clinic)
    head = round(32 * unit)
    draw.polygon(
        [(px_, py_), (px_ - head * 0.8, py_ - head * 1.6), (px_ + head * 0.8, py_ - head * 1.6)],
        fill=MAP_ACCENT,
    )
    draw.ellipse([px_ - head, py_ - head * 2.6, px_ + head, py_ - head * 0.6], fill=MAP_ACCENT)
    inner = head * 0.4
    draw.ellipse(
        [px_ - inner, py_ - head * 1.6 - inner, px_ + inner, py_ - head * 1.6 + inner],
        fill=(255, 255, 255),
    )
    _label_box(
        draw,
        (px_ + head * 1.3, py_ - head * 2.6),
        plan.clinic_label,
        pin_font,
        fill=MAP_ACCENT,
        ink=(255, 255, 255),
        bounds=(width, height),
    )

    _north_arrow(draw, (width - 70 * unit, 80 * unit), unit, label_font)
    _scale_bar(draw, (width - 260 * unit, height - 60 * unit), unit, small_font)
    return labelled_jpeg(image, caption)


def _centred_text(draw, centre, text, font, fill) -> None:
    box = draw.multiline_textbbox((0, 0), text, font=font, align="center")
    x = centre[0] - (box[2] - box[0]) / 2
    y = centre[1] - (box[3] - box[1]) / 2 - box[1]
    draw.multiline_text((x, y), text, font=font, fill=fill, align="center")


def _label_box(draw, corner, text, font, *, fill, ink, bounds: tuple[int, int]) -> None:
    """Text on a filled box whose top left corner is `corner`, kept inside the image."""
    box = draw.multiline_textbbox((0, 0), text, font=font)
    pad = round(font.size / 2)
    width, height = box[2] - box[0] + pad * 2, box[3] - box[1] + pad * 2
    right_edge, bottom_edge = bounds
    x = min(corner[0], right_edge - width - pad)
    y = min(max(corner[1], pad), bottom_edge - height - pad)
    draw.rounded_rectangle(
        [x, y, x + width, y + height],
        radius=pad // 2,
        fill=fill,
        outline=ink if fill == (255, 255, 255) else None,
        width=2,
    )
    draw.multiline_text((x + pad - box[0], y + pad - box[1]), text, font=font, fill=ink)


def _street_name(image: Image.Image, street: Street, *, width: int, height: int, font) -> None:
    """The street's name along it from `label_from`, turned for a north-south street (read
    from the bottom up, as on printed maps)."""
    probe = ImageDraw.Draw(image)
    box = probe.textbbox((0, 0), street.name, font=font)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    label = Image.new("RGBA", (text_w + 8, text_h + 8), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((4 - box[0], 4 - box[1]), street.name, font=font, fill=MAP_INK)
    if street.north_south:
        label = label.rotate(90, expand=True)
        x = round(street.at * width - label.width / 2)
        y = round(height * street.label_from)
    else:
        x = round(width * street.label_from)
        y = round(street.at * height - label.height / 2)
    image.paste(label, (x, y), label)


def _north_arrow(draw, centre, unit, font) -> None:
    x, y = centre
    size = 34 * unit
    draw.polygon(
        [
            (x, y - size),
            (x - size * 0.6, y + size * 0.8),
            (x, y + size * 0.4),
            (x + size * 0.6, y + size * 0.8),
        ],
        fill=MAP_INK,
    )
    _centred_text(draw, (x, y + size * 1.6), "N", font, MAP_INK)


def _scale_bar(draw, start, unit, font) -> None:
    """A bar for about 100 metres at the map's nominal scale (the demo's streets are drawn
    to no real scale: it is an example)."""
    x, y = start
    length = 200 * unit
    draw.rectangle([x, y, x + length, y + 8 * unit], fill=MAP_INK)
    _centred_text(draw, (x + length / 2, y - 22 * unit), "about 100 m", font, MAP_INK)
