"""Prices in the admin: each clinic's staff see and change only their own clinic's prices
(the same `for_staff` path as the schedules). Each attack is made by Restoration U's
receptionist on Laser Reverse's price, by every route the admin offers; the tests on their
own price show the same route works."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import TreatmentPrice
from tests.factories import TreatmentPriceFactory, clinic, staff_user
from tests.html import parse

pytestmark = pytest.mark.django_db

PRICES = reverse("admin:bookings_treatmentprice_changelist")
ADD = reverse("admin:bookings_treatmentprice_add")


def change_url(price: TreatmentPrice) -> str:
    return reverse("admin:bookings_treatmentprice_change", args=[price.pk])


def listed(response) -> str:
    results = parse(response).select_one("#result_list")
    return results.get_text(" ") if results else ""


def price_form(**fields) -> dict:
    """The add or change form as the admin posts it, for Restoration U unless told."""
    data = {
        "clinic": clinic("restoration-u").pk,
        "treatment": "scar_camouflage",
        "name": "Scar camouflage",
        "slug": "scar-camouflage",
        "published": "on",
        "position": "0",
        "kind": "from",
        "price": "350",
        "price_to": "",
        "included": "Shade matching\nAftercare kit",
        "sessions_min": "2",
        "sessions_max": "3",
        "_save": "Save",
    }
    return {key: value for key, value in (data | fields).items() if value is not None}


@pytest.fixture
def ours():
    return TreatmentPriceFactory(name="Our new SMP", slug="our-new-smp")


@pytest.fixture
def theirs():
    return TreatmentPriceFactory(
        name="Their laser session",
        slug="their-laser-session",
        clinic=clinic("laser-reverse"),
        treatment="laser_removal",
        price=Decimal("150"),
        per_session=True,
    )


@pytest.fixture
def reception(client):
    """Restoration U's receptionist, signed in."""
    client.force_login(staff_user("restoration-u"))
    return client


def test_staff_list_only_their_own_clinics_prices(reception, ours, theirs):
    text = listed(reception.get(PRICES))
    assert ours.name in text
    assert theirs.name not in text


def test_a_superuser_lists_every_clinics_prices_with_each_figure(admin_client, ours, theirs):
    text = listed(admin_client.get(PRICES))
    assert ours.name in text and theirs.name in text
    assert "£150 per session" in text


def test_staff_open_their_own_clinics_price(reception, ours):
    response = reception.get(change_url(ours))
    assert response.status_code == 200
    assert ours.name in response.content.decode()


def test_staff_cannot_open_another_clinics_price_by_its_id(reception, theirs):
    response = reception.get(change_url(theirs), follow=True)
    assert theirs.name not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_staff_cannot_read_another_clinics_price_history(reception, theirs):
    url = reverse("admin:bookings_treatmentprice_history", args=[theirs.pk])
    response = reception.get(url, follow=True)
    assert theirs.name not in response.content.decode()


def test_a_change_posted_to_another_clinics_price_changes_nothing(reception, theirs):
    reception.post(
        change_url(theirs),
        price_form(
            clinic=clinic("laser-reverse").pk,
            treatment="laser_removal",
            name="Taken over",
            slug=theirs.slug,
            kind="single",
            price="1",
        ),
    )
    stored = TreatmentPrice.objects.get(pk=theirs.pk)
    assert (stored.name, stored.price, stored.clinic.slug) == (
        "Their laser session",
        Decimal("150.00"),
        "laser-reverse",
    )


def test_staff_can_choose_only_their_own_clinic_for_a_new_price(reception):
    options = parse(reception.get(ADD)).select("select[name=clinic] option[value!='']")
    assert [option.get_text() for option in options] == ["Restoration U"]


def test_a_price_added_for_another_clinic_is_refused(reception):
    response = reception.post(ADD, price_form(clinic=clinic("laser-reverse").pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not TreatmentPrice.objects.exists()


def test_staff_cannot_move_their_own_price_to_another_clinic(reception, ours):
    reception.post(change_url(ours), price_form(clinic=clinic("laser-reverse").pk, slug=ours.slug))
    ours.refresh_from_db()
    assert ours.clinic.slug == "restoration-u"


def test_staff_add_a_price_for_their_own_clinic(reception):
    response = reception.post(ADD, price_form())
    assert response.status_code == 302
    price = TreatmentPrice.objects.get()
    assert (price.clinic.slug, price.price_label, price.sessions_label) == (
        "restoration-u",
        "From £350",
        "2 to 3 sessions",
    )


def test_staff_change_their_own_price(reception, ours):
    reception.post(change_url(ours), price_form(slug=ours.slug, price="400", price_to="650"))
    ours.refresh_from_db()
    assert ours.price_label == "£400 to £650"


def test_a_to_figure_below_the_price_is_refused_with_a_clear_message(reception):
    response = reception.post(ADD, price_form(price="600", price_to="350"))
    assert "The “to” figure must be more than the price it starts from" in (
        response.content.decode()
    )
    assert not TreatmentPrice.objects.exists()


def test_reception_cannot_delete_a_price_even_its_own(reception, ours):
    response = reception.post(
        reverse("admin:bookings_treatmentprice_delete", args=[ours.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert TreatmentPrice.objects.filter(pk=ours.pk).exists()


def test_the_delete_action_cannot_reach_another_clinics_price(client, theirs):
    # The action exists for an administrator; reception's list offers no such action, and a
    # forged one posted anyway deletes nothing.
    client.force_login(staff_user("restoration-u"))
    client.post(
        PRICES, {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
    )
    assert TreatmentPrice.objects.filter(pk=theirs.pk).exists()


def test_example_figures_are_marked_in_the_list(admin_client):
    TreatmentPriceFactory(is_example=True)
    row = parse(admin_client.get(PRICES)).select_one("#result_list tbody tr")
    assert row.select_one("td.field-is_example img[alt=True]")
