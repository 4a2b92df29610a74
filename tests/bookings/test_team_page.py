"""“Our team” (/team/): each clinic's practitioners and opening hours, from the schedules
staff keep in the admin, cached until they change."""

import pytest
from django.urls import reverse

from tests.factories import PractitionerFactory, clinic, hours
from tests.html import parse

pytestmark = pytest.mark.django_db
TEAM = reverse("team")


def clinic_headings(response) -> list[str]:
    return [h2.get_text(strip=True) for h2 in parse(response).select(".team__clinic > h2")]


def names(response) -> list[str]:
    return [h3.get_text(strip=True) for h3 in parse(response).select(".team-card h3")]


def opening_hours(response, slug: str) -> dict[str, str]:
    table = parse(response).find("table", attrs={"aria-labelledby": f"hours-{slug}"})
    return {
        row.th.get_text(strip=True): row.td.get_text(" ", strip=True).replace(" ,", ",")
        for row in table.find_all("tr")
    }


def test_the_team_page_shows_each_clinic_with_restoration_u_first(client):
    PractitionerFactory(clinic=clinic("laser-reverse"))
    PractitionerFactory(clinic=clinic("restoration-u"))
    assert clinic_headings(client.get(TEAM)) == ["Restoration U", "Laser Reverse"]


def test_practitioners_are_listed_under_their_own_clinic_in_team_page_order(client):
    PractitionerFactory(name="Second Person", position=2)
    PractitionerFactory(name="First Person", position=1)
    PractitionerFactory(name="Laser Person", clinic=clinic("laser-reverse"))
    assert names(client.get(TEAM)) == ["First Person", "Second Person", "Laser Person"]


def test_each_practitioner_shows_role_qualifications_registration_and_bio(client):
    PractitionerFactory(
        role="Lead SMP practitioner",
        qualifications="Level 4 Certificate in Micropigmentation",
        registration="Registered with Example Borough Council (licence RU-2019-014)",
        bio="Designs every hairline by hand.",
    )
    card = parse(client.get(TEAM)).select_one(".team-card").get_text(" ", strip=True)
    for text in (
        "Lead SMP practitioner",
        "Qualifications Level 4 Certificate in Micropigmentation",
        "Registration Registered with Example Borough Council (licence RU-2019-014)",
        "Designs every hairline by hand.",
    ):
        assert text in card


def test_an_inactive_practitioner_is_not_on_the_team_page(client):
    PractitionerFactory(name="On Leave", active=False)
    assert "On Leave" not in client.get(TEAM).content.decode()


def test_a_photo_is_shown_from_its_renditions_with_its_description(client):
    PractitionerFactory(name="Amelia Hart", with_photo=True)
    image = parse(client.get(TEAM)).select_one(".team-card picture img")
    assert image["alt"] == "Amelia Hart smiling at the camera"
    assert image["width"] and image["height"] and image["srcset"]
    assert "/team/renditions/" in image["src"]


def test_a_practitioner_without_a_photo_is_shown_with_their_initials(client):
    PractitionerFactory(name="Tom Whitfield")
    card = parse(client.get(TEAM)).select_one(".team-card")
    assert not card.find("img")
    assert card.select_one(".team-card__monogram").get_text(strip=True) == "TW"


def test_each_clinic_shows_its_address_and_phone(client, settings):
    PractitionerFactory(clinic=clinic("laser-reverse"))
    settings.CLINIC_ADDRESS_OVERRIDES = {"laser-reverse": "1 Override Lane, London"}
    section = parse(client.get(TEAM)).select_one("#clinic-laser-reverse").parent
    address = section.address.get_text(" ", strip=True)
    assert "1 Override Lane, London" in address
    assert section.address.find("a", href=f"tel:{clinic('laser-reverse').phone.replace(' ', '')}")


def test_each_clinic_shows_its_opening_hours_from_its_practitioners_weekly_hours(client):
    amelia = PractitionerFactory()
    hours(amelia, 0, "09:00", "13:00")
    hours(amelia, 0, "14:00", "18:00")
    week = opening_hours(client.get(TEAM), "restoration-u")
    assert week["Monday"] == "09:00 to 13:00, 14:00 to 18:00"
    assert week["Sunday"] == "Closed"


def test_a_clinic_without_active_practitioners_is_not_shown(client):
    PractitionerFactory(clinic=clinic("restoration-u"))
    PractitionerFactory(clinic=clinic("laser-reverse"), active=False)
    assert clinic_headings(client.get(TEAM)) == ["Restoration U"]


def test_with_no_team_yet_the_page_says_so(client):
    text = parse(client.get(TEAM)).select_one(".empty-state").get_text()
    assert "Our team's details will be here soon" in text


def test_the_team_page_ends_with_a_call_to_book_a_free_consultation(client):
    PractitionerFactory()
    cta = parse(client.get(TEAM)).select("main .cta-block")[-1]
    link = cta.find("a", class_="button")
    assert link.get_text(strip=True) == "Book a free consultation"
    assert link["href"] == reverse("bookings:times") + "?from=/team/"


@pytest.mark.parametrize("count", [1, 10])
def test_the_team_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    for number in range(count):
        practitioner = PractitionerFactory(
            clinic=clinic("laser-reverse" if number % 2 else "restoration-u")
        )
        hours(practitioner, number % 7, "09:00", "13:00")
        hours(practitioner, number % 7, "14:00", "17:00")
    # The schedule version, the practitioners with their clinics, and their weekly hours.
    with django_assert_num_queries(3):
        client.get(TEAM)


def test_a_cached_team_page_reads_only_the_schedule_version(client, django_assert_num_queries):
    PractitionerFactory()
    client.get(TEAM)
    with django_assert_num_queries(1):
        client.get(TEAM)


def test_an_hours_edit_shows_on_the_cached_team_page_at_once(client):
    span = hours(PractitionerFactory(), 0, "09:00", "13:00")
    client.get(TEAM)
    span.ends = span.ends.replace(hour=16)
    span.save()
    assert opening_hours(client.get(TEAM), "restoration-u")["Monday"] == "09:00 to 16:00"


def test_a_practitioner_edit_shows_on_the_cached_team_page_at_once(client):
    practitioner = PractitionerFactory(role="SMP practitioner")
    client.get(TEAM)
    practitioner.role = "Lead SMP practitioner"
    practitioner.save()
    assert "Lead SMP practitioner" in client.get(TEAM).content.decode()


def test_a_practitioner_made_inactive_leaves_the_cached_team_page_at_once(client):
    practitioner = PractitionerFactory(name="Leaving Soon")
    client.get(TEAM)
    practitioner.active = False
    practitioner.save()
    assert "Leaving Soon" not in client.get(TEAM).content.decode()
