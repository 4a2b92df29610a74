"""The server-drawn SVG charts: well-formed, named for assistive technology, escaped, and
drawn to scale."""

import xml.etree.ElementTree as ET

import pytest

from restoration_site.common import charts

SVG = "{http://www.w3.org/2000/svg}"


def grouped(**overrides) -> str:
    arguments = {
        "chart_id": "per-month",
        "title": "Enquiries and appointments per month",
        "description": "Three months of enquiries and appointments.",
        "categories": ["January 2026", "February 2026", "March 2026"],
        "series": [
            charts.Series("Enquiries", [40, 20, 10]),
            charts.Series("Appointments booked", [8, 4, 0]),
        ],
        "value_axis_label": "Number of enquiries and appointments",
    }
    return charts.grouped_bar_chart(**(arguments | overrides))


def horizontal(**overrides) -> str:
    arguments = {
        "chart_id": "by-type",
        "title": "Enquiries by type",
        "description": "Enquiries of each type.",
        "labels": ["New SMP treatment", "Laser removal of a tattoo"],
        "values": [30, 15],
        "value_axis_label": "Number of enquiries",
    }
    return charts.horizontal_bar_chart(**(arguments | overrides))


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bar_widths(svg: str, series: int = 0) -> list[float]:
    return [
        float(rect.get("width"))
        for rect in parsed(svg).iter(f"{SVG}rect")
        if f"series-{series}" in rect.get("class", "").split()
    ]


def texts(svg: str) -> list[str]:
    return [text.text for text in parsed(svg).iter(f"{SVG}text")]


def test_a_grouped_chart_is_well_formed_xml():
    assert parsed(grouped()).tag == f"{SVG}svg"


def test_a_horizontal_chart_is_well_formed_xml():
    assert parsed(horizontal()).tag == f"{SVG}svg"


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = parsed(grouped())
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Enquiries and appointments per month"
    assert desc.text == "Three months of enquiries and appointments."


def test_the_title_and_description_come_first_inside_the_chart():
    children = list(parsed(grouped()))
    assert [child.tag for child in children[:2]] == [f"{SVG}title", f"{SVG}desc"]


def test_a_chart_scales_to_the_width_it_is_given():
    svg = parsed(grouped())
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")


def test_two_charts_on_one_page_use_ids_of_their_own():
    first = {e.get("id") for e in parsed(grouped(chart_id="one")).iter() if e.get("id")}
    second = {e.get("id") for e in parsed(grouped(chart_id="two")).iter() if e.get("id")}
    assert first and not first & second


def test_a_label_with_markup_is_escaped_text_not_markup():
    svg = horizontal(labels=["<script>alert(1)</script>", "Tom & Jerry's"])
    assert "<script>" not in svg
    assert not list(parsed(svg).iter(f"{SVG}script"))
    assert "<script>alert(1)</script>" in texts(svg)
    assert "Tom & Jerry's" in texts(svg)


def test_a_title_with_markup_is_escaped_too():
    svg = grouped(title='</title><script>alert("x")</script>', description="<b>bold</b>")
    root = parsed(svg)
    assert root.find(f"{SVG}title").text == '</title><script>alert("x")</script>'
    assert root.find(f"{SVG}desc").text == "<b>bold</b>"


def test_a_chart_carries_no_script_and_loads_nothing_from_elsewhere():
    svg = grouped()
    assert "<script" not in svg
    assert " on" not in svg.replace("font", "")  # no event handler attributes
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "href" not in svg


def test_bars_are_in_proportion_to_their_values():
    widths = bar_widths(grouped())
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == pytest.approx(widths[0] / 4, abs=0.1)


def test_the_second_series_is_drawn_to_the_same_scale_as_the_first():
    first, second = bar_widths(grouped(), 0), bar_widths(grouped(), 1)
    assert second[0] == pytest.approx(first[0] * 8 / 40, abs=0.1)


def test_a_zero_value_draws_no_bar_but_still_says_zero():
    svg = grouped()
    assert bar_widths(svg, 1)[2] == 0
    assert texts(svg).count("0") >= 2  # the axis's zero and the bar's


def test_each_bar_has_its_value_written_beside_it():
    assert {"40", "20", "10", "8", "4"} <= set(texts(grouped()))


def test_a_chart_with_one_bar_draws_it():
    svg = horizontal(labels=["New SMP treatment"], values=[1])
    assert len(bar_widths(svg)) == 1
    assert bar_widths(svg)[0] > 0


def test_a_chart_with_nothing_to_show_says_so():
    svg = grouped(
        series=[charts.Series("Enquiries", [0, 0, 0]), charts.Series("Booked", [0, 0, 0])]
    )
    assert "Nothing to show for these dates." in texts(svg)
    assert parsed(svg).find(f"{SVG}title").text == "Enquiries and appointments per month"


def test_a_chart_without_categories_says_there_is_nothing_to_show():
    svg = horizontal(labels=[], values=[])
    assert "Nothing to show for these dates." in texts(svg)


def test_value_labels_replace_the_numbers_at_the_bars_ends():
    svg = horizontal(values=[3.5, 0.25], value_labels=["3 h 30 min", "15 min"])
    assert {"3 h 30 min", "15 min"} <= set(texts(svg))


def test_series_are_told_apart_by_pattern_as_well_as_colour():
    svg = grouped(
        series=[charts.Series(name, [1, 2, 3]) for name in ("A", "B", "C", "D")],
    )
    fills = {
        rect.get("fill")
        for rect in parsed(svg).iter(f"{SVG}rect")
        if "bar" in rect.get("class", "")
    }
    patterns = {p.get("id") for p in parsed(svg).iter(f"{SVG}pattern")}
    assert len(fills) == 4
    assert len(patterns) == 3  # the first series is solid, each other one a pattern


def test_the_legend_names_every_series():
    assert {"Enquiries", "Appointments booked"} <= set(texts(grouped()))


def test_the_value_axis_is_named():
    assert "Number of enquiries and appointments" in texts(grouped())


def test_every_series_colour_has_three_to_one_contrast_against_white():
    assert all(charts.contrast_ratio(colour) >= 3 for colour in charts.SERIES_COLOURS)


def test_the_text_colour_has_four_and_a_half_to_one_contrast_against_white():
    assert charts.contrast_ratio(charts.TEXT_COLOUR) >= 4.5


def test_a_long_label_is_wrapped_over_two_lines_and_shortened():
    lines = charts.wrap("What to ask at your free SMP consultation " * 4)
    assert len(lines) == 2
    assert lines[1].endswith("…")


def test_a_chart_id_that_is_not_a_plain_slug_is_refused():
    with pytest.raises(ValueError):
        grouped(chart_id='x" onload="alert(1)')


def test_a_series_needs_a_value_for_each_category():
    with pytest.raises(ValueError):
        grouped(series=[charts.Series("Enquiries", [1, 2])])


@pytest.mark.parametrize(
    ("maximum", "top", "step"),
    [(1, 1, 1), (3, 3, 1), (40, 40, 10), (97, 100, 50), (8273, 10000, 5000)],
)
def test_the_value_axis_ends_on_a_round_number_at_or_above_the_largest_value(maximum, top, step):
    assert charts.scale(maximum) == (top, step)
