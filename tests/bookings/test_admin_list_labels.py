"""The fields staff edit inside the admin's lists (positions, a routing rule's clinics) are each
named by their column and their row, as a screen reader needs them (WCAG 1.3.1, 4.1.2)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.text import capfirst

from bookings.models import ConsultationType, Practitioner, RoutingRule, TreatmentPrice
from tests.factories import ConsultationTypeFactory, PractitionerFactory, TreatmentPriceFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def editable_names(admin_client, model) -> dict[str, str]:
    """The list's editable fields (by form field name) and the names they are announced by."""
    page = parse(admin_client.get(reverse(f"admin:bookings_{model._meta.model_name}_changelist")))
    controls = page.select("#result_list input[name^='form-'], #result_list select")
    return {
        control["name"]: control.get("aria-label")
        for control in controls
        if control.get("type") != "hidden"
    }


def expected_names(model, objects) -> dict[str, str]:
    """form-<row>-<field>: "<Column> of <row>" (the rows in any order)."""
    fields = admin.site._registry[model].list_editable
    return {
        f"form-{row}-{field}": f"{capfirst(model._meta.get_field(field).verbose_name)} of {item}"
        for row, item in enumerate(objects)
        for field in fields
    }


def test_a_practitioners_position_is_named_by_its_column_and_practitioner(admin_client):
    PractitionerFactory(name="Jo Example", slug="jo-example", position=5)
    names = editable_names(admin_client, Practitioner)
    shown = Practitioner.objects.all()
    assert set(names.values()) == set(expected_names(Practitioner, shown).values())


def test_a_consultation_types_position_is_named_by_its_column_and_type(admin_client):
    ConsultationTypeFactory(name="Follow-up by video")
    names = editable_names(admin_client, ConsultationType)
    shown = ConsultationType.objects.all()
    assert set(names.values()) == set(expected_names(ConsultationType, shown).values())


def test_a_prices_position_is_named_by_its_column_and_price(admin_client):
    TreatmentPriceFactory(name="Hairline only")
    TreatmentPriceFactory(name="Full head")
    names = editable_names(admin_client, TreatmentPrice)
    shown = TreatmentPrice.objects.all()
    assert set(names.values()) == set(expected_names(TreatmentPrice, shown).values())


def test_a_routing_rules_clinics_are_named_by_their_column_and_rule(admin_client):
    names = editable_names(admin_client, RoutingRule)
    shown = RoutingRule.objects.all()
    assert names  # the migrations' rules, one per enquiry type
    assert set(names.values()) == set(expected_names(RoutingRule, shown).values())
