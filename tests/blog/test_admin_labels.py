"""Every field of the blog's admin forms and lists is named for screen readers: the publish
date's two inputs, and a topic's position edited in the list. The rich-text editor's text box
and the tags chooser's filter boxes are built by scripts; tests/e2e/test_article_editor.py
checks their names in a browser."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from blog.widgets import LabelledSplitDateTime
from tests.factories import ArticleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def labels(html: str) -> dict[str, str]:
    """Each label's input id and the words a screen reader takes from it."""
    return {label["for"]: label.get_text() for label in parse_html(html).select("label[for]")}


def test_the_publish_dates_inputs_are_each_labelled_with_the_fields_words():
    widget = LabelledSplitDateTime(spoken_prefix="Publish")

    html = widget.render("published_at", None, attrs={"id": "id_published_at"})

    assert labels(html) == {
        "id_published_at_0": "Publish Date:",
        "id_published_at_1": "Publish Time:",
    }


def test_the_words_only_screen_readers_need_are_hidden_from_view():
    html = LabelledSplitDateTime(spoken_prefix="Publish").render(
        "published_at", None, attrs={"id": "id_published_at"}
    )

    shown = parse_html(html).select_one('label[for="id_published_at_0"]')
    assert shown.select_one(".visually-hidden").get_text() == "Publish "


def test_the_publish_dates_inputs_keep_the_classes_the_calendar_and_clock_look_for():
    html = LabelledSplitDateTime(spoken_prefix="Publish").render(
        "published_at", None, attrs={"id": "id_published_at"}
    )

    soup = parse_html(html)
    assert soup.select_one("#id_published_at_0")["class"] == ["vDateField"]
    assert soup.select_one("#id_published_at_1")["class"] == ["vTimeField"]


def test_without_input_ids_the_publish_date_shows_its_words_as_before():
    html = LabelledSplitDateTime(spoken_prefix="Publish").render("published_at", None)

    assert parse_html(html).select("label") == []
    assert "Date:" in html


def test_the_article_form_labels_both_publish_date_inputs(admin_client):
    article = ArticleFactory()

    response = admin_client.get(reverse("admin:blog_article_change", args=[article.pk]))

    row = parse(response).select_one(".field-published_at")
    assert {label["for"]: label.get_text() for label in row.select("p.datetime label")} == {
        "id_published_at_0": "Publish Date:",
        "id_published_at_1": "Publish Time:",
    }


def test_the_script_naming_the_editor_and_tag_filters_is_loaded_on_the_article_form_only(
    admin_client,
):
    def scripts(url: str) -> str:
        return " ".join(s.get("src", "") for s in parse(admin_client.get(url)).select("script"))

    assert "js/admin-field-names" in scripts(reverse("admin:blog_article_add"))
    assert "js/admin-field-names" not in scripts(reverse("admin:blog_article_changelist"))
    assert "js/admin-field-names" not in scripts(reverse("admin:blog_tag_add"))


def test_a_topics_position_in_the_list_is_named_by_its_column_and_topic(admin_client):
    response = admin_client.get(reverse("admin:blog_topic_changelist"))

    inputs = parse(response).select("#result_list input[name$='-position']")
    assert inputs
    for position in inputs:
        topic_name = position.find_parent("tr").select_one(".field-name").get_text()
        assert position["aria-label"] == f"Position of {topic_name}"


def test_a_topics_position_in_the_list_points_at_no_help_text_the_list_does_not_show(
    admin_client,
):
    response = admin_client.get(reverse("admin:blog_topic_changelist"))

    position = parse(response).select_one("#result_list input[name$='-position']")
    assert not position.has_attr("aria-describedby")
