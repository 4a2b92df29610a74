"""The structured data of every page type uses schema.org's vocabulary correctly, and the check
itself finds the mistakes a search engine's validator would report."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, PractitionerFactory, hours
from tests.structured_data import schema_org_errors, structured_data

pytestmark = pytest.mark.django_db


def test_a_type_schema_org_does_not_define_is_reported():
    assert schema_org_errors({"@type": "HairClinic", "name": "Restoration U"}) == [
        "$: HairClinic is not a schema.org type"
    ]


def test_a_property_schema_org_does_not_define_is_reported():
    assert schema_org_errors({"@type": "MedicalClinic", "openingTimes": "9 to 5"}) == [
        "$.openingTimes: not a schema.org property"
    ]


def test_a_property_used_on_a_type_outside_its_domain_is_reported():
    assert schema_org_errors({"@type": "Person", "priceRange": "££"}) == [
        "$.priceRange: not a property of Person"
    ]


def test_a_nested_value_of_the_wrong_type_is_reported():
    data = {"@type": "MedicalClinic", "address": {"@type": "Person", "name": "Ada"}}
    assert schema_org_errors(data) == [
        "$.address: Person is not one of PostalAddress, Text",
    ]


def test_a_value_outside_an_enumeration_is_reported():
    data = {"@type": "OpeningHoursSpecification", "dayOfWeek": "Caturday"}
    assert schema_org_errors(data) == ["$.dayOfWeek: 'Caturday' is not one of DayOfWeek"]


def test_a_price_and_a_date_in_their_expected_forms_pass():
    data = {
        "@type": "Offer",
        "price": "350.00",
        "priceCurrency": "GBP",
        "validFrom": "2026-12-01",
        "availability": "https://schema.org/InStock",
    }
    assert schema_org_errors(data) == []


def test_a_number_written_as_words_is_reported():
    data = {"@type": "AggregateRating", "ratingValue": 4.8, "reviewCount": "many"}
    assert schema_org_errors(data) == ["$.reviewCount: 'many' is not one of Integer"]


def test_the_home_pages_clinic_data_is_valid_schema_org(client):
    hours(PractitionerFactory(), 0, "09:00", "17:00")
    (data,) = structured_data(client.get(reverse("home")))
    assert schema_org_errors(data) == []


def test_an_articles_data_is_valid_schema_org(client):
    (data,) = structured_data(client.get(ArticleFactory().get_absolute_url()))
    assert schema_org_errors(data) == []
