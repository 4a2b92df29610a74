"""The home page's structured data states Restoration U's opening hours, from the same
practitioners' hours as the team page, and follows an edit at once."""

import json

import pytest
from django.urls import reverse

from tests.factories import PractitionerFactory, clinic, hours
from tests.html import parse

pytestmark = pytest.mark.django_db


def opening_hours(client) -> list[tuple[str, str, str]]:
    (script,) = parse(client.get(reverse("home"))).find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    return [
        (entry["dayOfWeek"], entry["opens"], entry["closes"])
        for entry in data.get("openingHoursSpecification", [])
        if entry["@type"] == "OpeningHoursSpecification"
    ]


def test_the_home_page_states_the_clinics_opening_hours_for_search_engines(client):
    amelia = PractitionerFactory()
    hours(amelia, 0, "09:00", "13:00")
    hours(amelia, 0, "14:00", "18:00")
    hours(amelia, 5, "10:00", "14:00")
    assert opening_hours(client) == [
        ("Monday", "09:00", "13:00"),
        ("Monday", "14:00", "18:00"),
        ("Saturday", "10:00", "14:00"),
    ]


def test_the_sister_clinics_hours_are_not_stated_as_restoration_us(client):
    hours(PractitionerFactory(clinic=clinic("laser-reverse")), 2, "10:00", "18:00")
    assert opening_hours(client) == []


def test_an_hours_edit_changes_the_cached_home_pages_structured_data_at_once(client):
    span = hours(PractitionerFactory(), 3, "09:00", "17:00")
    assert opening_hours(client) == [("Thursday", "09:00", "17:00")]
    span.ends = span.ends.replace(hour=19)
    span.save()
    assert opening_hours(client) == [("Thursday", "09:00", "19:00")]
