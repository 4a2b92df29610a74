"""Treatment prices: how a figure reads, what staff may save, who sees which clinic's prices,
and what the public pages read (tests/restoration_site/test_prices_page.py shows the pages)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookings import selectors
from bookings.models import TreatmentPrice
from tests.factories import TreatmentPriceFactory, clinic, staff_user

pytestmark = pytest.mark.django_db

FROM = TreatmentPrice.Kind.FROM


def unsaved(**fields) -> TreatmentPrice:
    return TreatmentPriceFactory.build(clinic=clinic(), **fields)


def errors(price: TreatmentPrice) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        price.full_clean()
    return raised.value.message_dict


# How a price reads


def test_a_single_price_reads_in_pounds_with_the_thousands_separated():
    assert unsaved(price=Decimal("1800")).price_label == "£1,800"


def test_a_from_price_reads_from_its_starting_figure():
    assert unsaved(kind=FROM, price=Decimal("350")).price_label == "From £350"


def test_a_from_price_with_a_to_figure_reads_as_a_range():
    price = unsaved(kind=FROM, price=Decimal("1800"), price_to=Decimal("2600"))
    assert price.price_label == "£1,800 to £2,600"


def test_pence_are_shown_only_when_there_are_some():
    assert unsaved(price=Decimal("150.50")).price_label == "£150.50"
    assert unsaved(price=Decimal("150.00")).price_label == "£150"


def test_a_price_per_session_says_so():
    price = unsaved(kind=FROM, price=Decimal("150"), per_session=True)
    assert price.full_price_label == "From £150 per session"


@pytest.mark.parametrize(
    ("fewest", "most", "label"),
    [
        (1, None, "1 session"),
        (3, None, "3 sessions"),
        (3, 3, "3 sessions"),
        (2, 3, "2 to 3 sessions"),
        (None, None, ""),
    ],
)
def test_the_sessions_usually_needed_read_as_a_number_or_a_range(fewest, most, label):
    assert unsaved(sessions_min=fewest, sessions_max=most).sessions_label == label


def test_what_is_included_is_one_item_per_line_with_blank_lines_left_out():
    price = unsaved(included="Hairline design\n\n  Aftercare kit  \n")
    assert price.included_items == ["Hairline design", "Aftercare kit"]


def test_a_prices_address_is_its_place_on_the_prices_page():
    assert unsaved(slug="scar-camouflage").get_absolute_url() == "/prices/#price-scar-camouflage"


# What staff may save


def test_a_well_formed_from_price_with_a_to_figure_is_accepted():
    unsaved(kind=FROM, price=Decimal("350"), price_to=Decimal("600")).full_clean()


@pytest.mark.parametrize("figure", ["0", "-50"])
def test_a_price_of_nothing_or_less_is_refused(figure):
    assert errors(unsaved(price=Decimal(figure)))["price"] == ["Give a price of more than £0."]


def test_a_to_figure_is_refused_on_a_single_price():
    message = errors(unsaved(price=Decimal("350"), price_to=Decimal("600")))["price_to"][0]
    assert message.startswith("Only a “from” price has a “to” figure")


@pytest.mark.parametrize("to", ["350", "300"])
def test_a_to_figure_must_be_more_than_the_figure_it_starts_from(to):
    price = unsaved(kind=FROM, price=Decimal("350"), price_to=Decimal(to))
    assert errors(price)["price_to"][0].startswith("The “to” figure must be more than")


def test_the_most_sessions_cannot_be_fewer_than_the_fewest():
    price = unsaved(sessions_min=3, sessions_max=2)
    assert errors(price)["sessions_max"] == ["The most sessions cannot be fewer than the fewest."]


def test_the_most_sessions_need_the_fewest_too():
    price = unsaved(sessions_min=None, sessions_max=4)
    assert errors(price)["sessions_min"] == ["Give the fewest sessions too, or leave both empty."]


def test_no_sessions_is_refused():
    assert "sessions_min" in errors(unsaved(sessions_min=0, sessions_max=None))


@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("0")},
        {"price": Decimal("350"), "price_to": Decimal("600")},
        {"kind": FROM, "price": Decimal("350"), "price_to": Decimal("350")},
        {"sessions_min": 3, "sessions_max": 2},
        {"sessions_min": 0, "sessions_max": None},
    ],
    ids=["nothing", "to-on-a-single-price", "to-not-above-from", "sessions-reversed", "none"],
)
def test_the_database_refuses_what_clean_refuses_when_code_skips_it(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentPriceFactory(**fields)


# Who sees which clinic's prices


def test_staff_see_only_their_own_clinics_prices():
    ours = TreatmentPriceFactory(clinic=clinic("restoration-u"))
    TreatmentPriceFactory(clinic=clinic("laser-reverse"), treatment="laser_removal")
    user = staff_user("restoration-u")
    assert list(TreatmentPrice.objects.for_staff(user)) == [ours]


def test_a_superuser_sees_every_clinics_prices():
    TreatmentPriceFactory(clinic=clinic("restoration-u"))
    TreatmentPriceFactory(clinic=clinic("laser-reverse"), treatment="laser_removal")
    admin = User.objects.create_superuser("boss", "boss@staff.example", "a-long-password-123")
    assert TreatmentPrice.objects.for_staff(admin).count() == 2


def test_a_staff_account_with_no_clinic_sees_no_prices():
    TreatmentPriceFactory()
    user = User.objects.create_user("drifter", is_staff=True)
    user.groups.add(Group.objects.get(name="Reception"))
    assert not TreatmentPrice.objects.for_staff(user).exists()


def test_reception_keeps_its_prices_but_leaves_deleting_them_to_an_administrator():
    codenames = set(
        Group.objects.get(name="Reception").permissions.values_list("codename", flat=True)
    )
    assert {"view_treatmentprice", "add_treatmentprice", "change_treatmentprice"} <= codenames
    assert "delete_treatmentprice" not in codenames


# What the public pages read


def names(groups) -> list[tuple[str, list[str]]]:
    return [(group.clinic.slug, [price.name for price in group.prices]) for group in groups]


def test_published_prices_come_restoration_u_first_each_clinic_in_its_own_order():
    TreatmentPriceFactory(name="Laser", clinic=clinic("laser-reverse"), treatment="laser_removal")
    TreatmentPriceFactory(name="Second", position=2)
    TreatmentPriceFactory(name="First", position=1)
    assert names(selectors.published_prices()) == [
        ("restoration-u", ["First", "Second"]),
        ("laser-reverse", ["Laser"]),
    ]


def test_an_unpublished_price_is_not_shown():
    TreatmentPriceFactory(name="Shown")
    TreatmentPriceFactory(name="Hidden", published=False)
    assert names(selectors.published_prices()) == [("restoration-u", ["Shown"])]


def test_a_page_can_ask_for_the_prices_of_some_treatments_only():
    TreatmentPriceFactory(name="New SMP", treatment="new_smp")
    TreatmentPriceFactory(name="Laser", clinic=clinic("laser-reverse"), treatment="laser_removal")
    assert names(selectors.published_prices(treatments=["laser_removal"])) == [
        ("laser-reverse", ["Laser"])
    ]


def test_a_clinic_with_an_example_figure_among_its_prices_says_so():
    TreatmentPriceFactory(is_example=True)
    TreatmentPriceFactory(clinic=clinic("laser-reverse"), treatment="laser_removal")
    ours, theirs = selectors.published_prices()
    assert ours.has_examples and not theirs.has_examples


def test_the_price_range_runs_from_the_lowest_figure_to_the_highest():
    TreatmentPriceFactory(price=Decimal("1200"))
    TreatmentPriceFactory(kind=FROM, price=Decimal("350"))
    TreatmentPriceFactory(kind=FROM, price=Decimal("1800"), price_to=Decimal("2600"))
    assert selectors.home_clinic_price_range() == (Decimal("350"), Decimal("2600"))


def test_the_price_range_leaves_out_examples_unpublished_prices_and_the_sister_clinic():
    TreatmentPriceFactory(price=Decimal("1200"))
    TreatmentPriceFactory(price=Decimal("99"), is_example=True)
    TreatmentPriceFactory(price=Decimal("9999"), published=False)
    TreatmentPriceFactory(
        price=Decimal("50"), clinic=clinic("laser-reverse"), treatment="laser_removal"
    )
    assert selectors.home_clinic_price_range() == (Decimal("1200"), Decimal("1200"))


def test_with_only_example_figures_there_is_no_price_range():
    TreatmentPriceFactory(is_example=True)
    assert selectors.home_clinic_price_range() is None


# The version the cached pages are keyed on


def test_the_price_version_changes_when_a_price_is_edited():
    price = TreatmentPriceFactory()
    before = selectors.price_version()
    price.price = Decimal("1900")
    price.save()
    assert selectors.price_version() != before


def test_the_price_version_changes_when_a_price_is_removed():
    TreatmentPriceFactory()
    price = TreatmentPriceFactory()
    before = selectors.price_version()
    price.delete()
    assert selectors.price_version() != before


def test_the_price_version_changes_when_a_clinics_details_change():
    TreatmentPriceFactory()
    before = selectors.price_version()
    restoration_u = clinic("restoration-u")
    restoration_u.phone = "+44 20 7946 0999"
    restoration_u.save()
    assert selectors.price_version() != before


def test_the_home_pages_version_changes_with_a_price():
    price = TreatmentPriceFactory()
    before = selectors.schedule_and_price_version()
    price.published = False
    price.save()
    assert selectors.schedule_and_price_version() != before
