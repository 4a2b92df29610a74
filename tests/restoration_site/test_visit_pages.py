"""“Visit us” (/visit/<clinic>/): each clinic's address, opening hours from its schedule, the
way there and in, its map and a link to the visitor's own maps app, cached until the clinic,
its schedule or the routing changes."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from bookings.models import RoutingRule
from tests.factories import PractitionerFactory, clinic, hours, with_visit_details
from tests.html import page_title, parse
from tests.structured_data import schema_org_errors

pytestmark = pytest.mark.django_db


def visit_url(slug: str = "restoration-u") -> str:
    return reverse("visit", kwargs={"slug": slug})


def opening_hours(response) -> dict[str, str]:
    table = parse(response).find("table", attrs={"aria-labelledby": "visit-hours"})
    return {
        row.th.get_text(strip=True): row.td.get_text(" ", strip=True).replace(" ,", ",")
        for row in table.find_all("tr")
    }


def structured_data(response) -> dict:
    (script,) = parse(response).find_all("script", type="application/ld+json")
    return json.loads(script.string)


def maps_link(response, name: str) -> str:
    return parse(response).find("a", string=name)["href"]


# What the page shows


@pytest.mark.parametrize(
    ("slug", "heading"),
    [("restoration-u", "Visit Restoration U"), ("laser-reverse", "Visit Laser Reverse")],
)
def test_each_clinic_has_a_visit_page_named_after_it(client, slug, heading):
    response = client.get(visit_url(slug))
    assert response.status_code == 200
    assert parse(response).h1.get_text(strip=True) == heading
    assert page_title(response).startswith(f"{heading}: address, opening hours and directions")


def test_an_unknown_clinic_is_the_not_found_page(client):
    assert client.get(visit_url("no-such-clinic")).status_code == 404


def test_the_page_gives_the_clinics_name_postal_address_phone_and_email(client, settings):
    settings.CLINIC_ADDRESS_OVERRIDES = {"laser-reverse": "1 Override Lane, London"}
    lr = clinic("laser-reverse")
    address = parse(client.get(visit_url("laser-reverse"))).select_one("main address")
    text = address.get_text(" ", strip=True)
    assert "Laser Reverse" in text
    assert "1 Override Lane, London" in text
    assert address.find("a", href=f"tel:{lr.phone.replace(' ', '')}").get_text() == lr.phone
    assert address.find("a", href=f"mailto:{lr.email}")


def test_the_opening_hours_come_from_that_clinics_practitioners(client):
    daniel = PractitionerFactory(clinic=clinic("laser-reverse"))
    hours(daniel, 0, "10:00", "13:00")
    hours(daniel, 0, "14:00", "18:00")
    hours(PractitionerFactory(clinic=clinic("restoration-u")), 1, "09:00", "17:00")
    week = opening_hours(client.get(visit_url("laser-reverse")))
    assert week["Monday"] == "10:00 to 13:00, 14:00 to 18:00"
    assert week["Tuesday"] == "Closed"


def test_a_day_nobody_works_is_closed(client):
    hours(PractitionerFactory(), 2, "09:00", "17:00")
    week = opening_hours(client.get(visit_url()))
    assert week["Wednesday"] == "09:00 to 17:00"
    assert [day for day, text in week.items() if text == "Closed"] == [
        "Monday",
        "Tuesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_an_inactive_practitioners_hours_are_not_the_clinics(client):
    hours(PractitionerFactory(active=False), 4, "09:00", "17:00")
    assert opening_hours(client.get(visit_url()))["Friday"] == "Closed"


def test_the_page_says_how_to_get_there_and_where_to_park(client):
    with_visit_details(
        public_transport="Example Circus station is a four-minute walk.\n\nBuses stop outside.",
        parking="Model Row car park is a two-minute walk.",
    )
    section = parse(client.get(visit_url())).find(id="visit-getting-here").parent
    assert [h3.get_text() for h3 in section.find_all("h3")] == ["By public transport", "Parking"]
    assert [p.get_text() for p in section.find_all("p")] == [
        "Example Circus station is a four-minute walk.",
        "Buses stop outside.",
        "Model Row car park is a two-minute walk.",
    ]


def test_without_directions_the_page_offers_to_explain_by_phone(client):
    section = parse(client.get(visit_url())).find(id="visit-getting-here").parent
    assert not section.find("h3")
    assert "Call us on" in section.get_text()
    assert section.find("a", href=f"tel:{clinic().phone.replace(' ', '')}")


def test_the_page_states_the_premises_access_as_staff_recorded_it(client):
    with_visit_details(
        step_free_access=True, accessible_toilet=False, accessibility="A level entrance."
    )
    section = parse(client.get(visit_url())).find(id="visit-access").parent
    facts = {div.dt.get_text(): div.dd.get_text() for div in section.select("dl > div")}
    assert facts == {"Step-free access": "Yes", "Accessible toilet": "No"}
    assert "A level entrance." in section.get_text()


def test_an_access_question_left_unknown_is_not_answered(client):
    with_visit_details(step_free_access=True, accessible_toilet=None)
    section = parse(client.get(visit_url())).find(id="visit-access").parent
    assert [dt.get_text() for dt in section.select("dt")] == ["Step-free access"]


def test_the_map_is_shown_from_its_renditions_with_its_description(client):
    place = with_visit_details()
    image = parse(client.get(visit_url())).select_one(".visit__map picture img")
    assert image["alt"] == place.map_alt
    assert image["alt"].startswith("Street map: Restoration U")
    assert image["width"] == "1200" and image["height"] == "900"
    assert image["srcset"] and "/clinics/maps/renditions/" in image["src"]


def test_without_a_map_the_page_shows_no_image(client):
    with_visit_details(with_map=False)
    assert not parse(client.get(visit_url())).select("main img")


# The maps app


def test_the_google_maps_link_searches_for_the_clinic_at_its_address(client, settings):
    settings.CLINIC_ADDRESS_OVERRIDES = {"restoration-u": "Unit 3 & 4, 12 Example Street #2"}
    link = urlsplit(maps_link(client.get(visit_url()), "Open in Google Maps"))
    assert (link.scheme, link.netloc, link.path) == ("https", "www.google.com", "/maps/search/")
    assert parse_qs(link.query) == {
        "api": ["1"],
        "query": ["Restoration U, Unit 3 & 4, 12 Example Street #2"],
    }
    assert "&" not in link.query.split("query=")[1]
    assert "#" not in link.query


def test_the_apple_maps_link_pins_the_clinic_at_its_coordinates(client):
    with_visit_details(latitude="51.518200", longitude="-0.143700")
    link = urlsplit(maps_link(client.get(visit_url()), "Open in Apple Maps"))
    assert link.netloc == "maps.apple.com"
    assert parse_qs(link.query) == {"ll": ["51.518200,-0.143700"], "q": ["Restoration U"]}


def test_without_coordinates_the_apple_maps_link_shows_the_address(client, settings):
    settings.CLINIC_ADDRESS_OVERRIDES = {"restoration-u": "12 Example Street, London"}
    link = urlsplit(maps_link(client.get(visit_url()), "Open in Apple Maps"))
    assert parse_qs(link.query) == {
        "address": ["12 Example Street, London"],
        "q": ["Restoration U"],
    }


def test_no_third_party_map_is_loaded_by_the_page(client):
    with_visit_details()
    soup = parse(client.get(visit_url()))
    loaded = [tag.get("src", "") for tag in soup.find_all(["img", "script", "iframe", "source"])]
    assert not [src for src in loaded if src.startswith(("http:", "https:", "//"))]
    assert not soup.find("iframe")


# Booking there


def test_the_call_to_book_offers_what_that_clinic_is_booked_for(client):
    cta = parse(client.get(visit_url("laser-reverse"))).find("aside", class_="cta-block")
    assert cta.h2.get_text() == "Book a free consultation at Laser Reverse"
    links = {a.get_text(" ", strip=True): a["href"] for a in cta.find_all("a")}
    assert links == {
        "Book a free consultation: Laser removal of SMP": (
            "/book/times/?type=laser_smp&from=/visit/laser-reverse/"
        ),
        "Book a free consultation: Laser removal of a tattoo": (
            "/book/times/?type=laser_tattoo&from=/visit/laser-reverse/"
        ),
    }


def test_restoration_u_is_booked_for_everything_not_routed_elsewhere(client):
    cta = parse(client.get(visit_url())).find("aside", class_="cta-block")
    types = [parse_qs(urlsplit(a["href"]).query)["type"][0] for a in cta.find_all("a")]
    assert types == ["new_smp", "smp_correction", "other"]


# Links to the page


def test_the_footer_links_to_both_clinics_visit_pages(client):
    footer = parse(client.get(reverse("about"))).find("footer")
    links = {a["href"]: a.get_text() for a in footer.find_all("a")}
    assert links["/visit/restoration-u/"] == "How to find us"
    assert links["/visit/laser-reverse/"] == "How to find Laser Reverse"


def test_the_team_page_links_to_each_clinics_visit_page(client):
    PractitionerFactory(clinic=clinic("restoration-u"))
    PractitionerFactory(clinic=clinic("laser-reverse"))
    soup = parse(client.get(reverse("team")))
    for slug in ("restoration-u", "laser-reverse"):
        section = soup.find(id=f"clinic-{slug}").parent
        assert section.find("a", href=f"/visit/{slug}/")


def test_the_sitemap_lists_both_visit_pages_with_their_last_change(client, settings):
    body = client.get("/sitemap.xml").content.decode()
    for slug in ("restoration-u", "laser-reverse"):
        place = clinic(slug)
        assert f"<loc>{settings.SITE_URL}/visit/{slug}/</loc>" in body
        assert f"<lastmod>{place.updated_at:%Y-%m-%d}</lastmod>" in body


# Structured data


def test_the_page_describes_the_clinic_for_search_engines(client):
    daniel = PractitionerFactory(clinic=clinic("laser-reverse"))
    hours(daniel, 0, "10:00", "18:00")
    with_visit_details("laser-reverse", latitude="51.516900", longitude="-0.139800")
    lr = clinic("laser-reverse")
    data = structured_data(client.get(visit_url("laser-reverse")))
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "Laser Reverse"
    assert data["telephone"] == lr.phone
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": lr.postal_address,
        "addressCountry": "GB",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 51.5169, "longitude": -0.1398}
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "Monday",
            "opens": "10:00",
            "closes": "18:00",
        }
    ]


def test_the_structured_data_names_the_map_and_the_maps_link(client, settings):
    with_visit_details()
    response = client.get(visit_url())
    drawn, google = structured_data(response)["hasMap"]
    assert drawn.startswith(settings.SITE_URL + "/media/clinics/maps/renditions/")
    assert google == maps_link(response, "Open in Google Maps")


def test_restoration_us_visit_page_describes_the_same_clinic_as_the_home_page(client):
    home = structured_data(client.get(reverse("home")))
    visit = structured_data(client.get(visit_url()))
    assert visit["@id"] == home["@id"]
    assert visit["url"] == home["url"]


def test_the_sister_clinic_is_its_own_clinic_at_its_own_website(client, settings):
    lr = clinic("laser-reverse")
    data = structured_data(client.get(visit_url("laser-reverse")))
    assert data["@id"] == f"{settings.SITE_URL}/visit/laser-reverse/#clinic"
    assert data["url"] == lr.website


def test_the_structured_data_states_the_recorded_access_only(client):
    with_visit_details(step_free_access=True, accessible_toilet=None)
    data = structured_data(client.get(visit_url()))
    assert data["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Step-free access", "value": True}
    ]


def test_a_clinic_with_no_hours_and_no_coordinates_states_neither(client):
    data = structured_data(client.get(visit_url("laser-reverse")))
    assert "openingHoursSpecification" not in data
    assert "geo" not in data
    assert "amenityFeature" not in data


@pytest.mark.parametrize("slug", ["restoration-u", "laser-reverse"])
def test_the_structured_data_is_valid_schema_org(client, slug):
    hours(PractitionerFactory(clinic=clinic(slug)), 0, "09:00", "17:00")
    with_visit_details(slug, step_free_access=True, accessible_toilet=False)
    data = structured_data(client.get(visit_url(slug)))
    assert {"geo", "hasMap", "amenityFeature", "openingHoursSpecification"} <= data.keys()
    assert schema_org_errors(data) == []


def test_the_structured_data_of_a_clinic_without_details_is_valid_schema_org(client):
    assert schema_org_errors(structured_data(client.get(visit_url("laser-reverse")))) == []


def test_the_home_pages_structured_data_is_still_valid_schema_org(client):
    hours(PractitionerFactory(), 0, "09:00", "17:00")
    assert schema_org_errors(structured_data(client.get(reverse("home")))) == []


# Speed and freshness


@pytest.mark.parametrize("count", [1, 12])
def test_the_visit_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    with_visit_details()
    for number in range(count):
        practitioner = PractitionerFactory()
        hours(practitioner, number % 7, "09:00", "13:00")
        hours(practitioner, number % 7, "14:00", "17:00")
    # The page's version, the clinic, its hours, the routing rules and the home clinic.
    with django_assert_num_queries(5):
        client.get(visit_url())


def test_a_cached_visit_page_reads_only_its_version(client, django_assert_num_queries):
    client.get(visit_url())
    with django_assert_num_queries(1):
        client.get(visit_url())


def test_a_clinic_edit_shows_on_the_cached_visit_page_at_once(client):
    client.get(visit_url())
    with_visit_details(with_map=False, parking="The car park has closed.")
    assert "The car park has closed." in client.get(visit_url()).content.decode()


def test_an_hours_edit_shows_on_the_cached_visit_page_at_once(client):
    span = hours(PractitionerFactory(), 0, "09:00", "13:00")
    client.get(visit_url())
    span.ends = span.ends.replace(hour=16)
    span.save()
    assert opening_hours(client.get(visit_url()))["Monday"] == "09:00 to 16:00"


def test_a_routing_change_shows_on_the_cached_visit_page_at_once(client):
    client.get(visit_url("laser-reverse"))
    RoutingRule.objects.filter(enquiry_type="laser_tattoo").update(clinic=clinic("restoration-u"))
    RoutingRule.objects.get(enquiry_type="laser_tattoo").save()
    body = client.get(visit_url("laser-reverse")).content.decode()
    assert "type=laser_tattoo" not in body
