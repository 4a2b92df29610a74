"""The prices page (/prices/) and the price section of each treatment page: every clinic's
treatments with the figure, what is included and the sessions usually needed, as staff keep
them in the admin; cached until they change; the same figures, never example ones, in the
structured data search engines read."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TreatmentPriceFactory, clinic
from tests.html import parse
from tests.structured_data import schema_org_errors, structured_data

pytestmark = pytest.mark.django_db

PRICES = reverse("prices")
SMP = reverse("smp")
LASER = reverse("laser_removal")
FROM = "from"


def laser_session(**fields):
    return TreatmentPriceFactory(
        **{
            "name": "Laser removal of SMP",
            "clinic": clinic("laser-reverse"),
            "treatment": "laser_removal",
            "price": Decimal("150"),
            "per_session": True,
            "included": "Patch test\nCooling after each session",
            "sessions_min": 4,
            "sessions_max": 8,
        }
        | fields
    )


def cards(response) -> list[dict]:
    """Each price card as a visitor reads it: name, figure and the facts under it."""
    return [
        {
            "name": card.h3.get_text(strip=True),
            "figure": card.select_one(".price-card__figure").get_text(" ", strip=True),
            "facts": {
                row.dt.get_text(strip=True): row.dd.get_text(" / ", strip=True)
                for row in card.select(".price-card__facts > div")
            },
        }
        for card in parse(response).select(".price-card")
    ]


def clinic_headings(response) -> list[str]:
    return [h2.get_text(strip=True) for h2 in parse(response).select(".prices__clinic > h2")]


def offers(response) -> list[dict]:
    (data,) = structured_data(response)
    return data["itemListElement"]


# The prices page


def test_the_prices_page_shows_each_clinic_with_restoration_u_first(client):
    laser_session()
    TreatmentPriceFactory()
    assert clinic_headings(client.get(PRICES)) == ["Restoration U", "Laser Reverse"]


def test_each_price_shows_its_figure_what_is_included_and_the_sessions_usually_needed(client):
    TreatmentPriceFactory(
        name="New SMP: full head",
        kind=FROM,
        price=Decimal("1800"),
        price_to=Decimal("2600"),
        included="Hairline design\nAftercare kit",
        sessions_min=3,
        sessions_max=4,
    )
    laser_session()
    assert cards(client.get(PRICES)) == [
        {
            "name": "New SMP: full head",
            "figure": "£1,800 to £2,600",
            "facts": {
                "Sessions usually needed": "3 to 4 sessions",
                "What is included": "Hairline design / Aftercare kit",
            },
        },
        {
            "name": "Laser removal of SMP",
            "figure": "£150 per session",
            "facts": {
                "Sessions usually needed": "4 to 8 sessions",
                "What is included": "Patch test / Cooling after each session",
            },
        },
    ]


def test_a_from_price_reads_from_its_starting_figure(client):
    TreatmentPriceFactory(kind=FROM, price=Decimal("350"))
    assert cards(client.get(PRICES))[0]["figure"] == "From £350"


def test_a_price_without_sessions_or_inclusions_shows_only_its_figure(client):
    TreatmentPriceFactory(included="", sessions_min=None, sessions_max=None)
    assert cards(client.get(PRICES))[0]["facts"] == {}


def test_an_unpublished_price_is_not_on_the_page(client):
    TreatmentPriceFactory(name="Still being worked out", published=False)
    assert "Still being worked out" not in client.get(PRICES).content.decode()


def test_example_figures_say_so_beside_the_figure_and_above_the_list(client):
    TreatmentPriceFactory(name="Scar camouflage", is_example=True)
    page = parse(client.get(PRICES))
    figure = page.select_one(".price-card__figure")
    assert figure.select_one(".price-card__example").get_text(strip=True) == "Example figures"
    notice = page.select_one(".prices__clinic .notice--example").get_text(" ", strip=True)
    assert notice.startswith("Example figures. The prices marked “Example figures” are examples")


def test_a_clinics_own_figures_carry_no_example_label(client):
    TreatmentPriceFactory()
    page = parse(client.get(PRICES))
    assert not page.select(".price-card__example, .notice--example")


def test_with_no_prices_yet_the_page_says_so(client):
    text = parse(client.get(PRICES)).select_one(".empty-state").get_text()
    assert "Our prices will be here soon" in text


def test_each_clinic_links_to_its_treatment_page(client):
    TreatmentPriceFactory()
    laser_session()
    restoration_u, laser_reverse = parse(client.get(PRICES)).select(".prices__clinic")
    assert restoration_u.find("a", href=SMP)
    assert laser_reverse.find("a", href=LASER)


def test_the_prices_page_ends_with_a_call_to_book_a_free_consultation(client):
    link = parse(client.get(PRICES)).select("main .cta-block")[-1].find("a", class_="button")
    assert link["href"] == reverse("bookings:times") + "?from=/prices/"


def test_the_footer_links_to_the_prices_page(client):
    footer = parse(client.get(reverse("home"))).footer
    assert footer.find("a", href=PRICES).get_text() == "Prices"


def test_the_sitemap_lists_the_prices_page(client, settings):
    assert f"<loc>{settings.SITE_URL}{PRICES}</loc>" in client.get("/sitemap.xml").content.decode()


# The treatment pages


def test_the_smp_page_shows_restoration_us_smp_prices_and_not_laser_removal(client):
    TreatmentPriceFactory(name="New SMP", treatment="new_smp")
    TreatmentPriceFactory(name="SMP correction", treatment="smp_correction")
    TreatmentPriceFactory(name="Scar camouflage", treatment="scar_camouflage")
    laser_session()
    page = client.get(SMP)
    assert [card["name"] for card in cards(page)] == [
        "New SMP",
        "SMP correction",
        "Scar camouflage",
    ]
    assert parse(page).select_one(".treatment-prices h2").get_text() == "Prices at Restoration U"


def test_the_laser_removal_page_shows_laser_reverses_price_per_session(client):
    TreatmentPriceFactory(name="New SMP")
    laser_session()
    page = client.get(LASER)
    assert [(card["name"], card["figure"]) for card in cards(page)] == [
        ("Laser removal of SMP", "£150 per session")
    ]
    assert parse(page).select_one(".treatment-prices h2").get_text() == "Prices at Laser Reverse"


@pytest.mark.parametrize("path", [SMP, LASER])
def test_a_treatment_page_links_to_every_price(client, path):
    TreatmentPriceFactory(treatment="new_smp")
    laser_session()
    assert parse(client.get(path)).select_one(".prose").find("a", href=PRICES)


@pytest.mark.parametrize("path", [SMP, LASER])
def test_a_treatment_page_without_prices_has_no_price_section(client, path):
    assert not parse(client.get(path)).select(".treatment-prices")


def test_example_figures_are_marked_on_a_treatment_page_too(client):
    laser_session(is_example=True)
    figure = parse(client.get(LASER)).select_one(".price-card__figure").get_text(" ", strip=True)
    assert figure == "£150 per session Example figures"


# Cached, and an edit shows at once


@pytest.mark.parametrize("path", [PRICES, SMP])
def test_a_price_edited_in_the_admin_shows_on_the_cached_page_at_once(client, admin_client, path):
    price = TreatmentPriceFactory(price=Decimal("1800"))
    assert cards(client.get(path))[0]["figure"] == "£1,800"
    admin_client.post(
        reverse("admin:bookings_treatmentprice_change", args=[price.pk]),
        {
            "clinic": price.clinic_id,
            "treatment": price.treatment,
            "name": price.name,
            "slug": price.slug,
            "published": "on",
            "position": "0",
            "kind": "single",
            "price": "1950",
            "_save": "Save",
        },
    )
    assert cards(client.get(path))[0]["figure"] == "£1,950"


def test_a_price_taken_off_the_site_leaves_the_cached_page_at_once(client):
    price = TreatmentPriceFactory(name="Leaving the list")
    client.get(PRICES)
    price.published = False
    price.save()
    assert "Leaving the list" not in client.get(PRICES).content.decode()


def test_a_clinic_renamed_shows_on_the_cached_page_at_once(client):
    laser_session()
    client.get(PRICES)
    laser_reverse = clinic("laser-reverse")
    laser_reverse.name = "Laser Reverse London"
    laser_reverse.save()
    assert "Laser Reverse London" in clinic_headings(client.get(PRICES))


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("path", [PRICES, SMP, LASER])
def test_a_page_with_prices_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, count, path
):
    for number in range(count):
        if number % 2:
            laser_session(name=f"Laser {number}")
        else:
            TreatmentPriceFactory(is_example=number % 4 == 0)
    # The price version, then the prices with their clinics.
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_a_cached_prices_page_reads_only_the_price_version(client, django_assert_num_queries):
    TreatmentPriceFactory()
    client.get(PRICES)
    with django_assert_num_queries(1):
        client.get(PRICES)


# Structured data


def test_a_single_price_is_offered_at_its_price_in_pounds_by_its_clinic(client, settings):
    TreatmentPriceFactory(name="New SMP: hairline", price=Decimal("1200"))
    (offer,) = offers(client.get(PRICES))
    assert (offer["@type"], offer["name"], offer["price"], offer["priceCurrency"]) == (
        "Offer",
        "New SMP: hairline",
        "1200.00",
        "GBP",
    )
    assert offer["offeredBy"]["@id"] == f"{settings.SITE_URL}/#clinic"
    assert "priceSpecification" not in offer


def test_a_from_price_is_offered_with_its_lowest_and_highest_figures(client):
    TreatmentPriceFactory(kind=FROM, price=Decimal("1800"), price_to=Decimal("2600"))
    TreatmentPriceFactory(kind=FROM, price=Decimal("350"))
    ranged, open_ended = offers(client.get(PRICES))
    assert ranged["priceSpecification"] == {
        "@type": "PriceSpecification",
        "priceCurrency": "GBP",
        "minPrice": "1800.00",
        "maxPrice": "2600.00",
    }
    assert "maxPrice" not in open_ended["priceSpecification"]
    assert "price" not in ranged and "price" not in open_ended


def test_a_price_per_session_is_offered_as_a_price_for_one_session(client):
    laser_session()
    (offer,) = offers(client.get(PRICES))
    specification = offer["priceSpecification"]
    assert (specification["@type"], specification["price"]) == ("UnitPriceSpecification", "150.00")
    assert specification["referenceQuantity"]["unitText"] == "session"


def test_the_sister_clinic_is_named_as_the_one_offering_its_treatment(client):
    laser_session()
    (offer,) = offers(client.get(PRICES))
    assert (offer["offeredBy"]["name"], offer["offeredBy"]["url"]) == (
        "Laser Reverse",
        clinic("laser-reverse").website,
    )


def test_the_sister_clinic_offering_a_treatment_is_the_clinic_of_its_visit_page(client):
    laser_session()
    (offer,) = offers(client.get(PRICES))
    (visit,) = structured_data(client.get(reverse("visit", args=["laser-reverse"])))
    assert offer["offeredBy"]["@id"] == visit["@id"]


def test_an_offer_says_what_is_included_and_the_sessions_usually_needed(client):
    laser_session()
    (offer,) = offers(client.get(PRICES))
    assert offer["description"] == (
        "Includes: Patch test, Cooling after each session. Usually 4 to 8 sessions."
    )


def test_example_figures_are_never_given_to_search_engines(client):
    TreatmentPriceFactory(name="Real figure")
    TreatmentPriceFactory(name="Invented figure", is_example=True)
    assert [offer["name"] for offer in offers(client.get(PRICES))] == ["Real figure"]


def test_a_page_of_example_figures_only_carries_no_offers(client):
    TreatmentPriceFactory(is_example=True)
    laser_session(is_example=True)
    for path in (PRICES, SMP, LASER):
        assert structured_data(client.get(path)) == []


def test_the_treatment_pages_offer_their_own_treatments(client):
    TreatmentPriceFactory(name="New SMP")
    laser_session()
    assert [offer["name"] for offer in offers(client.get(SMP))] == ["New SMP"]
    assert [offer["name"] for offer in offers(client.get(LASER))] == ["Laser removal of SMP"]


@pytest.mark.parametrize("path", [PRICES, SMP, LASER])
def test_the_offers_of_each_page_are_valid_schema_org(client, path):
    TreatmentPriceFactory(name="Single")
    TreatmentPriceFactory(name="From", kind=FROM, price=Decimal("350"))
    TreatmentPriceFactory(
        name="Range",
        treatment="scar_camouflage",
        kind=FROM,
        price=Decimal("350"),
        price_to=Decimal("600"),
    )
    laser_session()
    laser_session(name="From per session", kind=FROM, price=Decimal("120"))
    (data,) = structured_data(client.get(path))
    assert schema_org_errors(data) == []


# The clinic's own structured data (the home page)


def clinic_data(client) -> dict:
    (data,) = structured_data(client.get(reverse("home")))
    return data


def test_the_clinics_price_range_comes_from_its_real_figures(client):
    TreatmentPriceFactory(kind=FROM, price=Decimal("350"))
    TreatmentPriceFactory(kind=FROM, price=Decimal("1800"), price_to=Decimal("2600"))
    TreatmentPriceFactory(price=Decimal("99"), is_example=True)
    assert clinic_data(client)["priceRange"] == "£350 to £2,600"


def test_with_only_example_figures_the_clinic_states_no_price_range(client):
    TreatmentPriceFactory(is_example=True)
    assert "priceRange" not in clinic_data(client)


def test_the_clinic_still_offers_its_consultation_free(client):
    (offer,) = clinic_data(client)["makesOffer"]
    assert (offer["name"], offer["price"], offer["priceCurrency"]) == (
        "Free consultation",
        "0",
        "GBP",
    )


def test_a_price_edit_changes_the_cached_home_pages_price_range_at_once(client):
    price = TreatmentPriceFactory(price=Decimal("1800"))
    assert clinic_data(client)["priceRange"] == "£1,800"
    price.price = Decimal("2000")
    price.save()
    assert clinic_data(client)["priceRange"] == "£2,000"


def test_the_clinics_data_with_a_price_range_is_valid_schema_org(client):
    TreatmentPriceFactory(kind=FROM, price=Decimal("350"))
    assert schema_org_errors(clinic_data(client)) == []
