"""Bar charts drawn on the server as inline SVG, for staff pages such as the business report.

No chart service and no script: the page carries the picture itself, so nothing about the
clinic's figures leaves the site, and the chart is there with JavaScript off and on paper.

Each chart is an `<svg role="img">` named by its `<title>` and `<desc>` (`aria-labelledby`
both), to be shown with a heading and a data table of the same figures beside it: the table
is what a screen reader user reads, the picture what everyone else looks at.

The bars run across the page, one row of bars per category (a week, a month, an enquiry
type): a chart with more categories grows downwards, never narrower, so its words keep their
size on a 320 px screen (the SVG scales to the width it is given through its viewBox; a style
sheet may cap that width). Series are told apart by a pattern as well as a colour, with a
legend, and every bar has its value written at its end. Colours reach 3:1 against white
(WCAG 1.4.11). Every label is escaped before the markup is marked safe.
"""

import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The drawing's own units (the viewBox); the page scales them to the width it has. 320 units
# across keeps a 13-unit label at least 11 px high on a 320 px phone, inside the admin's margins.
WIDTH = 320
MARGIN = 6
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
LINE_HEIGHT = 16
BAR_HEIGHT = 12
BAR_GAP = 3
GROUP_GAP = 12
# Average width of a character of the labels, in ems: enough for digits and lower case in the
# usual sans-serif faces, so text is measured without a font at hand.
CHARACTER_WIDTH = 0.6
LABEL_LINES = 2

TEXT_COLOUR = "#1b1b1b"
AXIS_COLOUR = "#4d4d4d"
BACKGROUND = "#ffffff"
# Each series: a colour with at least 3:1 contrast on white, and a pattern of its own so that
# no one needs to tell the colours apart.
SERIES_COLOURS = ["#1d4f91", "#a8440f", "#2a6e37", "#6f2c8f"]
PATTERNS = ["solid", "stripes", "dots", "grid"]

_CHART_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend and a value for each category."""

    name: str
    values: Sequence[float]


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_axis_label: str,
    value_format: Callable[[float], str] | None = None,
) -> SafeString:
    """A clustered bar chart: for each category (a week or month, say), one bar per series
    (enquiries, appointments booked, attended, no-shows), on one scale from zero.

    `chart_id` makes the ids inside the SVG unique on the page (lower case, digits, hyphens).
    """
    if not 1 <= len(series) <= len(SERIES_COLOURS):
        raise ValueError(f"A chart draws one to {len(SERIES_COLOURS)} series.")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"The series {one.name!r} needs one value for each category.")
    return _draw(
        chart_id=chart_id,
        title=title,
        description=description,
        categories=categories,
        series=series,
        value_labels=None,
        value_axis_label=value_axis_label,
        value_format=value_format or number,
    )


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    value_axis_label: str,
    value_labels: Sequence[str] | None = None,
    value_format: Callable[[float], str] | None = None,
) -> SafeString:
    """One bar for each label (an enquiry type, a page visitors came from), longest labels
    wrapped over two lines; `value_labels` are written at the bars' ends in place of the
    values themselves (“3 h 20 min”, “12 (30%)”)."""
    if len(values) != len(labels):
        raise ValueError("A chart needs one value for each label.")
    if value_labels is not None and len(value_labels) != len(values):
        raise ValueError("A chart needs one value label for each value.")
    return _draw(
        chart_id=chart_id,
        title=title,
        description=description,
        categories=labels,
        series=[Series(name=value_axis_label, values=values)],
        value_labels=value_labels,
        value_axis_label=value_axis_label,
        value_format=value_format or number,
    )


def number(value: float) -> str:
    """1,234 for a whole number, 2.5 otherwise."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def contrast_ratio(colour: str, against: str = BACKGROUND) -> float:
    """WCAG's contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(colour), _luminance(against)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def scale(maximum: float) -> tuple[float, float]:
    """The top of the value axis and the step between its ticks: a round step (1, 2 or 5
    times a power of ten, never below 1: the figures are counts) giving at most four ticks
    after zero, and a top at or above `maximum`."""
    if maximum <= 0:
        return 1, 1
    rough = maximum / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(step, 1)
    return math.ceil(maximum / step) * step, step


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of how wide `text` is drawn, in the chart's units."""
    return len(text) * size * CHARACTER_WIDTH


def wrap(label: str, *, width: float = WIDTH - 2 * MARGIN) -> list[str]:
    """A label in at most two lines that fit the chart, the second shortened with “…” when
    the label is longer (the data table beside the chart has it whole)."""
    characters = max(int(width / (FONT_SIZE * CHARACTER_WIDTH)), 8)
    lines = textwrap.wrap(label, characters, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        last = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*lines[: LABEL_LINES - 1], last[: characters - 1].rstrip() + "…"]
    return lines


def _draw(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_labels: Sequence[str] | None,
    value_axis_label: str,
    value_format: Callable[[float], str],
) -> SafeString:
    if not _CHART_ID.match(chart_id):
        raise ValueError("A chart id is lower-case letters, digits and hyphens.")
    ids = {"title": f"{chart_id}-title", "desc": f"{chart_id}-desc"}
    parts: list[str] = []
    y = MARGIN

    maximum = max((value for one in series for value in one.values), default=0)
    if maximum <= 0:
        # Nothing to draw: say so in the picture as well as in its description.
        y += LINE_HEIGHT
        parts.append(_text(MARGIN, y, "Nothing to show for these dates."))
        return _svg(ids, title, description, parts, height=y + MARGIN + 4, defs="")

    if len(series) > 1:
        legend, y = _legend(chart_id, series, top=y)
        parts += legend

    texts = value_labels or [value_format(v) for one in series for v in one.values]
    value_room = min(max(text_width(t, SMALL_FONT_SIZE) for t in texts) + 6, WIDTH * 0.4)
    plot_left = MARGIN
    plot_width = WIDTH - 2 * MARGIN - value_room
    top, step = scale(maximum)

    def x_of(value: float) -> float:
        return plot_left + plot_width * value / top

    # The value axis: its name, then its ticks, above the bars.
    y += LINE_HEIGHT
    parts.append(_text(MARGIN, y, value_axis_label, size=SMALL_FONT_SIZE))
    y += LINE_HEIGHT
    ticks = [step * n for n in range(round(top / step) + 1)]
    for n, tick in enumerate(ticks):
        anchor = "start" if n == 0 else "end" if n == len(ticks) - 1 else "middle"
        parts.append(_text(x_of(tick), y, value_format(tick), size=SMALL_FONT_SIZE, anchor=anchor))
    y += 2
    for tick in ticks:
        parts.append(_line(x_of(tick), y, y + 4, AXIS_COLOUR))
    y += 4
    axis_top = y

    # No grid lines: every bar has its value written at its end, and lines would run
    # through the labels.
    for index, category in enumerate(categories):
        for line in wrap(category):
            y += LINE_HEIGHT
            parts.append(_text(MARGIN, y - 3, line, weight="bold"))
        y += 2
        for number_of_series, one in enumerate(series):
            value = one.values[index]
            width = max(x_of(value) - plot_left, 0)
            parts.append(
                f'<rect class="bar series-{number_of_series}" x="{_n(plot_left)}" y="{_n(y)}" '
                f'width="{_n(width)}" height="{BAR_HEIGHT}" '
                f'fill="{_fill(chart_id, number_of_series)}" '
                f'stroke="{SERIES_COLOURS[number_of_series]}" stroke-width="1"/>'
            )
            label = value_labels[index] if value_labels else value_format(value)
            parts.append(
                _text(plot_left + width + 4, y + BAR_HEIGHT - 2, label, size=SMALL_FONT_SIZE)
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    # The value axis's zero, down the chart's whole height.
    parts.append(_line(plot_left, axis_top, y, AXIS_COLOUR))
    defs = "".join(_pattern(chart_id, n) for n in range(len(series)))
    return _svg(ids, title, description, parts, height=y + MARGIN, defs=defs)


def _legend(chart_id: str, series: Sequence[Series], *, top: float) -> tuple[list[str], float]:
    """A swatch of each series' pattern and its name, in rows that fit the chart's width."""
    parts = []
    x, y = MARGIN, top
    row_height = LINE_HEIGHT + 4
    for n, one in enumerate(series):
        needed = 18 + text_width(one.name) + 12
        if x > MARGIN and x + needed > WIDTH - MARGIN:
            x, y = MARGIN, y + row_height
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y + 3)}" width="14" height="{BAR_HEIGHT}" '
            f'fill="{_fill(chart_id, n)}" stroke="{SERIES_COLOURS[n]}" stroke-width="1"/>'
        )
        parts.append(_text(x + 18, y + 13, one.name))
        x += needed
    return parts, y + row_height


def _pattern(chart_id: str, n: int) -> str:
    kind, colour = PATTERNS[n], SERIES_COLOURS[n]
    if kind == "solid":
        return ""
    shapes = {
        "stripes": '<rect width="2" height="6" fill="#ffffff"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
        "grid": '<path d="M0 3H6M3 0V6" stroke="#ffffff" stroke-width="1"/>',
    }[kind]
    turn = ' patternTransform="rotate(45)"' if kind == "stripes" else ""
    return (
        f'<pattern id="{chart_id}-pattern-{n}" width="6" height="6" '
        f'patternUnits="userSpaceOnUse"{turn}>'
        f'<rect width="6" height="6" fill="{colour}"/>{shapes}</pattern>'
    )


def _fill(chart_id: str, n: int) -> str:
    if PATTERNS[n] == "solid":
        return SERIES_COLOURS[n]
    return f"url(#{chart_id}-pattern-{n})"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = FONT_SIZE,
    anchor: str = "start",
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{TEXT_COLOUR}">{escape(text)}</text>'
    )


def _line(x: float, top: float, bottom: float, colour: str) -> str:
    return (
        f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
        f'stroke="{colour}" stroke-width="1"/>'
    )


def _svg(
    ids: dict[str, str], title: str, description: str, parts: list[str], *, height: float, defs
) -> SafeString:
    height = math.ceil(height)
    # Every text in `parts` and here went through escape(): the markup is safe to mark.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ids["title"]} {ids["desc"]}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="chart" font-family="system-ui, -apple-system, Segoe UI, '
        f'Roboto, Helvetica, Arial, sans-serif">'
        f'<title id="{ids["title"]}">{escape(title)}</title>'
        f'<desc id="{ids["desc"]}">{escape(description)}</desc>'
        f"<defs>{defs}</defs>"
        f'<rect width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>' + "".join(parts) + "</svg>"
    )


def _n(value: float) -> str:
    """A coordinate with no more digits than a screen can show."""
    return f"{value:.1f}".removesuffix(".0")
