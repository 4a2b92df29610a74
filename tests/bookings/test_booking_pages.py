"""The visitor's booking pages with Django's client: choose a time, give the details, book."""

import datetime

import pytest
from django.urls import reverse

from bookings.models import Appointment, ConsultationRequest, Notification
from tests.bookings.booking_pages import (
    MONDAY,
    TODAY,
    at,
    choice,
    details,
    frozen_now_fixture,  # noqa: F401
    iso,
    laser_reverse_fixture,  # noqa: F401
    restoration_u_fixture,  # noqa: F401
)
from tests.factories import (
    AppointmentFactory,
    ClinicClosureFactory,
    ConsultationTypeFactory,
)
from tests.html import headings_h1, page_title, parse
from tests.images import photo_with_exif

pytestmark = pytest.mark.django_db
TIMES = "/book/times/"
DETAILS = "/book/details/"


def radio_names(response) -> list[str]:
    """Each time's radio button as a screen reader names it: its label's whole text."""
    return [
        " ".join(radio.find_parent("label").get_text("", strip=False).split())
        for radio in parse(response).select("input[type=radio][name=time]")
    ]


def day_headings(response) -> list[str]:
    return [h2.get_text(strip=True) for h2 in parse(response).select(".day__heading")]


def day_note(response, label: str) -> str:
    heading = parse(response).find(class_="day__heading", string=label)
    note = heading.find_parent(class_="day").select_one(".day__note")
    return " ".join(note.get_text().split())


def link(response, text: str):
    """The first link whose words include `text` (arrows and hidden words aside)."""
    return parse(response).find(lambda tag: tag.name == "a" and text in tag.get_text())


def hold(schedule: dict, *people: str, day: datetime.date = MONDAY, clock: str = "10:00") -> None:
    """Someone else's booking of this time with each of these practitioners."""
    for person in people:
        AppointmentFactory(
            practitioner=schedule[person],
            consultation_type=schedule["consultation"],
            starts_at=at(day, clock),
        )


# What the consultation is about


def test_without_a_type_the_page_asks_what_the_consultation_is_about(client, restoration_u):
    soup = parse(client.get(TIMES, {"from": "/articles/aftercare/"}))
    fieldset = soup.select_one("form fieldset")
    assert fieldset.legend.get_text(strip=True) == "What would you like to talk about?"
    assert [radio["value"] for radio in fieldset.select("input[type=radio]")] == [
        "new_smp", "smp_correction", "laser_smp", "laser_tattoo", "other",
    ]  # fmt: skip
    assert soup.select_one("input[name=from]")["value"] == "/articles/aftercare/"


def test_before_anything_is_sent_the_type_step_says_laser_removal_goes_to_laser_reverse(
    client, restoration_u
):
    soup = parse(client.get(TIMES))
    assert "your details go to our sister clinic Laser Reverse" in soup.select_one(
        "#routing-notice"
    ).get_text(" ", strip=True)
    hint = soup.select_one("#type-laser_smp-hint").get_text(strip=True)
    assert hint == "with our sister clinic Laser Reverse"


def test_continuing_without_choosing_a_type_says_what_is_missing(client, restoration_u):
    response = client.get(TIMES, {"step": "type"})
    summary = parse(response).select_one("#form-errors")
    assert "Please choose what you would like to talk about." in summary.get_text()
    assert summary.a["href"] == "#type-new_smp"
    assert page_title(response).startswith("Error: ")


def test_several_consultations_at_the_clinic_let_the_visitor_choose_one(client, restoration_u):
    ConsultationTypeFactory(name="Free correction consultation", slug="correction", position=5)
    soup = parse(client.get(TIMES, {"type": "new_smp"}))
    assert [radio["value"] for radio in soup.select("input[name=consultation]")] == [
        "free-smp-consultation", "correction",
    ]  # fmt: skip
    chosen = client.get(TIMES, {"type": "new_smp", "consultation": "correction"})
    assert "Free correction consultation at Restoration U" in parse(chosen).select_one(".lead").text


def test_a_clinic_offering_nothing_online_points_to_the_request_form(client, restoration_u):
    text = parse(client.get(TIMES, {"type": "laser_smp"})).get_text(" ", strip=True)
    assert "Laser Reverse does not take these bookings online at the moment" in text


# The times


def test_the_times_page_lists_free_times_by_day_with_their_full_date(client, restoration_u):
    response = client.get(TIMES, {"type": "new_smp"})
    assert headings_h1(response) == ["Choose a time"]
    assert day_headings(response) == [
        "Monday 4 January 2027",
        "Tuesday 5 January 2027",
        "Wednesday 6 January 2027",
        "Thursday 7 January 2027",
        "Friday 8 January 2027",
    ]
    assert radio_names(response)[:3] == [
        "Tuesday 5 January 2027, 09:00 UK time",
        "Tuesday 5 January 2027, 09:15 UK time",
        "Tuesday 5 January 2027, 09:30 UK time",
    ]


def test_each_time_shows_its_clock_time_with_the_date_for_screen_readers(client, restoration_u):
    label = parse(client.get(TIMES, {"type": "new_smp"})).select_one("label.time")
    hidden = [span.get_text() for span in label.select(".visually-hidden")]
    assert hidden == ["Tuesday 5 January 2027, ", " UK time"]
    assert label.input["value"] == iso(TODAY + datetime.timedelta(days=1), "09:00")


def test_a_day_inside_the_minimum_notice_gives_the_phone_number(client, restoration_u):
    response = client.get(TIMES, {"type": "new_smp"})
    note = day_note(response, "Monday 4 January 2027")
    assert note == "To come in sooner, call us on +44 20 7946 0321."
    link = parse(response).find("a", href="tel:+442079460321")
    assert link is not None


def test_a_day_with_every_time_booked_says_so(client, restoration_u):
    tuesday = TODAY + datetime.timedelta(days=1)
    for person in (restoration_u["amelia"], restoration_u["tom"]):
        AppointmentFactory(
            practitioner=person,
            consultation_type=restoration_u["consultation"],
            starts_at=at(tuesday, "09:00"),
            ends_at=at(tuesday, "12:00"),
            blocked_until=at(tuesday, "12:00"),
        )
    response = client.get(TIMES, {"type": "new_smp"})
    assert day_note(response, "Tuesday 5 January 2027") == (
        "Fully booked: every time on this day is taken."
    )


def test_a_closed_date_is_not_listed(client, restoration_u):
    ClinicClosureFactory(date=TODAY + datetime.timedelta(days=2), name="Staff training")
    assert "Wednesday 6 January 2027" not in day_headings(client.get(TIMES, {"type": "new_smp"}))


def test_the_practitioner_filter_is_a_labelled_choice_sent_with_a_button(client, restoration_u):
    soup = parse(client.get(TIMES, {"type": "new_smp"}))
    select = soup.select_one("select[name=practitioner]")
    assert soup.find("label", attrs={"for": select["id"]}).get_text(strip=True) == "Practitioner"
    assert [option.get_text() for option in select.select("option")] == [
        "No preference", "Amelia Hart", "Tom Reed",
    ]  # fmt: skip
    assert select.find_parent("form").select_one("button[type=submit]").text == "Show times"


def test_choosing_a_practitioner_lists_only_their_free_times(client, restoration_u):
    hold(restoration_u, "amelia", day=TODAY + datetime.timedelta(days=1), clock="09:00")
    everyone = radio_names(client.get(TIMES, {"type": "new_smp"}))
    amelia = radio_names(client.get(TIMES, {"type": "new_smp", "practitioner": "amelia-hart"}))
    assert "Tuesday 5 January 2027, 09:00 UK time" in everyone
    assert "Tuesday 5 January 2027, 09:00 UK time" not in amelia


def test_a_week_is_shown_with_a_link_to_later_dates_but_none_to_earlier(client, restoration_u):
    soup = parse(client.get(TIMES, {"type": "new_smp", "from": "/portfolio/case-1/"}))
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".times-nav a")}
    assert "←Earlier dates" not in links
    assert links["Later dates→"] == (
        "/book/times/?type=new_smp&consultation=free-smp-consultation&practitioner="
        "&from=/portfolio/case-1/&start=2027-01-11"
    )


def test_a_later_week_links_back_to_earlier_dates(client, restoration_u):
    response = client.get(TIMES, {"type": "new_smp", "start": "2027-01-11"})
    assert day_headings(response)[0] == "Monday 11 January 2027"
    earlier = link(response, "Earlier dates")
    assert earlier["href"].endswith("&start=2027-01-04")


def test_the_last_week_stops_at_the_horizon(client, restoration_u):
    response = client.get(TIMES, {"type": "new_smp", "start": "2028-01-01"})
    assert day_headings(response)[-1] == "Monday 15 February 2027"  # 42 days ahead
    assert link(response, "Later dates") is None


def test_none_of_these_times_leads_to_the_request_form_with_the_type_and_source(
    client, restoration_u
):
    soup = parse(client.get(TIMES, {"type": "new_smp", "from": "/portfolio/case-1/"}))
    link = soup.find("a", string="Send us a request instead")
    assert link["href"] == "/book/?type=new_smp&from=/portfolio/case-1/"


def test_the_choice_goes_to_the_details_step_with_everything_it_needs(client, restoration_u):
    form = parse(client.get(TIMES, {"type": "new_smp", "from": "/articles/a/"})).select_one(
        "form.times-form"
    )
    assert form["method"] == "get"
    assert form["action"] == DETAILS
    hidden = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert hidden == {
        "type": "new_smp",
        "consultation": "free-smp-consultation",
        "practitioner": "",
        "from": "/articles/a/",
    }


def test_continuing_without_a_time_comes_back_asking_for_one(client, restoration_u):
    response = client.get(DETAILS, choice(time=None), follow=True)
    summary = parse(response).select_one("#form-errors")
    assert "Please choose a time to continue." in summary.get_text()
    assert summary.a["href"] == f"#time-{iso(TODAY + datetime.timedelta(days=1), '09:00')}"


def test_laser_removal_is_booked_at_laser_reverse_and_the_page_says_so(client, laser_reverse):
    response = client.get(TIMES, {"type": "laser_tattoo"})
    notice = parse(response).select_one(".routing-notice").get_text(" ", strip=True)
    assert "This consultation is with Laser Reverse" in notice
    assert "Restoration U receives a copy" in notice
    assert radio_names(response)[0] == "Monday 11 January 2027, 13:00 UK time"


def test_the_times_page_runs_the_same_queries_however_many_appointments(
    client, restoration_u, django_assert_num_queries
):
    # The version its cached copies are keyed on, the version of the offer (kept from an
    # earlier view), the free times (three).
    client.get(TIMES, {"type": "new_smp", "practitioner": "tom-reed"})
    with django_assert_num_queries(5):
        client.get(TIMES, {"type": "new_smp"})
    for day in range(1, 40):
        for person in (restoration_u["amelia"], restoration_u["tom"]):
            AppointmentFactory(
                practitioner=person,
                consultation_type=restoration_u["consultation"],
                starts_at=at(TODAY + datetime.timedelta(days=day), "10:00"),
            )
    with django_assert_num_queries(5):
        response = client.get(TIMES, {"type": "new_smp", "practitioner": "amelia-hart"})
    assert "Tuesday 5 January 2027, 10:00 UK time" not in radio_names(response)


# The details


def test_the_details_page_shows_the_time_chosen_where_and_with_whom(client, restoration_u):
    response = client.get(DETAILS, choice())
    summary = parse(response).select_one(".appointment-summary").get_text(" ", strip=True)
    assert "Monday 11 January 2027, 10:00 UK time" in summary
    assert "The first free practitioner" in summary
    assert "Restoration U, 12 Example Street, London, W1A 0AA" in summary
    change = parse(response).find("a", string="Change time")
    assert change["href"] == (
        "/book/times/?type=new_smp&consultation=free-smp-consultation&practitioner="
        "&from=/portfolio/natural-hairline/&start=2027-01-11"
    )


def test_the_details_page_names_the_practitioner_asked_for(client, restoration_u):
    response = client.get(DETAILS, choice(practitioner="tom-reed"))
    assert "Tom Reed" in parse(response).select_one(".appointment-summary").get_text()


def test_the_details_form_asks_what_the_request_form_asks_except_dates(client, restoration_u):
    soup = parse(client.get(DETAILS, choice()))
    names = {field["name"] for field in soup.select("#booking-form [name]")}
    assert {"full_name", "email", "phone", "contact_method", "message", "photos"} <= names
    assert {"consent", "marketing_opt_in", "heard_about", "website"} <= names
    assert not names & {"preferred_date_1", "preferred_time", "enquiry_type"}


def test_the_details_form_carries_the_choice_and_a_fresh_one_time_key(client, restoration_u):
    forms = [parse(client.get(DETAILS, choice())).select_one("#booking-form") for _ in range(2)]
    hidden = [{f["name"]: f["value"] for f in form.select("input[type=hidden]")} for form in forms]
    assert hidden[0]["time"] == iso(MONDAY, "10:00")
    assert hidden[0]["from"] == "/portfolio/natural-hairline/"
    assert len(hidden[0]["key"]) == 22
    assert hidden[0]["key"] != hidden[1]["key"]


def test_every_field_of_the_details_form_has_a_label(client, restoration_u):
    soup = parse(client.get(DETAILS, choice()))
    for field in soup.select("#booking-form input:not([type=hidden]), select, textarea"):
        if field.get("type") in {"submit", "radio"}:
            continue
        assert soup.find("label", attrs={"for": field["id"]}), field["name"]


def test_the_details_page_says_laser_removal_details_go_to_laser_reverse(client, laser_reverse):
    response = client.get(
        DETAILS,
        choice(
            type="laser_smp",
            consultation="free-laser-removal-consultation",
            time=iso(MONDAY, "13:00"),
        ),
    )
    notice = parse(response).select_one(".routing-notice").get_text(" ", strip=True)
    assert "This consultation is with Laser Reverse" in notice


# Booking


def test_booking_stores_the_enquiry_and_exactly_one_appointment(client, restoration_u):
    response = client.post(DETAILS, details())
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:booked")
    appointment = Appointment.objects.get()
    assert appointment.starts_at == at(MONDAY, "10:00")
    assert appointment.practitioner == restoration_u["amelia"]
    enquiry = ConsultationRequest.objects.get()
    assert appointment.request == enquiry
    assert enquiry.status == ConsultationRequest.Status.BOOKED
    assert enquiry.phone == "+447911123456"
    assert enquiry.source == "/portfolio/natural-hairline/"
    assert enquiry.clinic.slug == "restoration-u"


def test_the_booked_page_shows_the_appointment_and_what_was_emailed(client, restoration_u):
    response = client.post(DETAILS, details(practitioner="tom-reed"), follow=True)
    assert headings_h1(response) == ["Your consultation is booked"]
    text = parse(response).select_one("main").get_text(" ", strip=True)
    assert "Monday 11 January 2027, 10:00 UK time" in text
    assert "Tom Reed" in text
    assert "12 Example Street, London, W1A 0AA" in text
    assert "+44 20 7946 0321" in text
    assert "We've emailed a confirmation to you with a calendar invite and a link" in text


def test_the_booking_queues_the_confirmation_with_its_invite(client, restoration_u):
    client.post(DETAILS, details())
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert Notification.Kind.BOOKED in kinds
    assert Notification.Kind.CLIENT not in kinds  # no "we will contact you" email


def test_the_booked_page_learns_the_appointment_from_a_cookie_not_the_address(
    client, restoration_u
):
    response = client.post(DETAILS, details())
    assert "?" not in response["Location"]
    assert response.cookies["appointment_booked"]["path"] == "/book/booked/"
    assert response.cookies["appointment_booked"]["httponly"]


def test_the_booked_page_without_its_cookie_goes_back_to_the_times(client, restoration_u):
    response = client.get("/book/booked/")
    assert response.status_code == 302
    assert response["Location"] == TIMES


def test_the_same_submission_sent_twice_books_once_and_confirms_twice(client, restoration_u):
    first = client.post(DETAILS, details())
    second = client.post(DETAILS, details(), follow=True)
    assert Appointment.objects.count() == 1
    assert ConsultationRequest.objects.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert headings_h1(second) == ["Your consultation is booked"]


def test_a_booked_time_is_no_longer_offered(client, restoration_u):
    client.post(DETAILS, details(practitioner="amelia-hart"))
    response = client.get(TIMES, {"type": "new_smp", "start": "2027-01-11"})
    assert "Monday 11 January 2027, 10:00 UK time" in radio_names(response)  # Tom is free
    only_amelia = client.get(
        TIMES, {"type": "new_smp", "start": "2027-01-11", "practitioner": "amelia-hart"}
    )
    assert "Monday 11 January 2027, 10:00 UK time" not in radio_names(only_amelia)


def test_mistakes_keep_the_choice_and_book_nothing(client, restoration_u):
    response = client.post(DETAILS, details(phone="123", consent=None))
    assert response.status_code == 200
    assert page_title(response).startswith("Error: ")
    summary = parse(response).select_one("#form-errors").get_text(" ", strip=True)
    assert "Phone number:" in summary
    assert "Your agreement:" in summary
    hidden = parse(response).select_one("#booking-form input[name=time]")
    assert hidden["value"] == iso(MONDAY, "10:00")
    assert not Appointment.objects.exists()


def test_a_filled_honeypot_takes_no_time(client, restoration_u):
    response = client.post(DETAILS, details(website="https://spam.example"))
    assert response["Location"] == reverse("bookings:thank_you")
    assert not Appointment.objects.exists()
    assert ConsultationRequest.objects.get().is_spam


def test_bookings_share_the_request_forms_limit_per_address(client, restoration_u, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    client.post("/book/", {"full_name": "x"})  # mistakes do not count
    assert client.post(DETAILS, details()).status_code == 302
    response = client.post(DETAILS, details(key="z" * 22, time=iso(MONDAY, "11:00")))
    assert response.status_code == 429
    assert Appointment.objects.count() == 1


# A time taken meanwhile


def test_a_time_taken_meanwhile_keeps_everything_typed_and_offers_the_nearest_three(
    client, restoration_u
):
    hold(restoration_u, "amelia", "tom")
    response = client.post(DETAILS, details(message="Thinning at the crown."))
    assert response.status_code == 200
    soup = parse(response)
    assert "Sorry, that time has just been taken." in soup.select_one("#form-errors").get_text()
    assert soup.select_one("#id_full_name")["value"] == "Jamie Example"
    assert soup.select_one("#id_email")["value"] == "jamie@client.example"
    assert soup.select_one("#id_message").get_text().strip() == "Thinning at the crown."
    assert soup.select_one("#id_consent").has_attr("checked")
    assert [label.get_text(strip=True) for label in soup.select(".alternatives label")] == [
        "Monday 11 January 2027, 09:00 UK time",
        "Monday 11 January 2027, 09:15 UK time",
        "Monday 11 January 2027, 10:45 UK time",
    ]
    assert not Appointment.objects.filter(submission_key="k" * 22).exists()


def test_one_more_post_with_a_nearest_time_books_it(client, restoration_u):
    hold(restoration_u, "amelia", "tom")
    page = parse(client.post(DETAILS, details()))
    form = {field["name"]: field.get("value", "") for field in page.select("#booking-form input")}
    alternative = page.select(".alternatives input[name=time]")[2]["value"]
    data = details(time=alternative, key=form["key"], wanted=form["wanted"])
    assert client.post(DETAILS, data).status_code == 302
    booked = Appointment.objects.get(submission_key=data["key"])
    assert booked.starts_at == at(MONDAY, "10:45")


def test_sending_the_nearest_times_without_choosing_one_asks_again(client, restoration_u):
    response = client.post(DETAILS, details(time=None, wanted=iso(MONDAY, "10:00")))
    soup = parse(response)
    assert "Your time: Please choose one of these times." in soup.select_one("#form-errors").text
    assert len(soup.select(".alternatives input[name=time]")) == 3
    assert not Appointment.objects.exists()


def test_photos_chosen_with_a_time_taken_meanwhile_must_be_chosen_again(client, restoration_u):
    hold(restoration_u, "amelia", "tom")
    response = client.post(DETAILS, details(photos=[photo_with_exif()]))
    assert "please choose them again" in parse(response).select_one("#form-errors").get_text()


def test_opening_the_details_of_a_time_already_taken_offers_the_nearest_ones(client, restoration_u):
    hold(restoration_u, "amelia", "tom")
    soup = parse(client.get(DETAILS, choice()))
    assert "Sorry, that time has just been taken." in soup.select_one("#form-errors").get_text()
    assert len(soup.select(".alternatives input[name=time]")) == 3


# Addresses and forms altered by hand


TAMPERED = {
    "a time gone by": (
        {"time": iso(TODAY, "07:00")},
        "Monday 4 January 2027, 07:00 UK time has already passed.",
    ),
    "a time inside the notice": (
        {"time": iso(TODAY, "10:00")},
        "Monday 4 January 2027, 10:00 UK time is too soon to book online. To come in sooner, "
        "call Restoration U on +44 20 7946 0321.",
    ),
    "a time past the horizon": (
        {"time": iso(MONDAY + datetime.timedelta(days=70), "10:00")},
        "Monday 22 March 2027, 10:00 UK time is too far ahead: we book online up to 42 days ahead.",
    ),
    "a time outside the hours": (
        {"time": iso(MONDAY, "15:00")},
        "Monday 11 January 2027, 15:00 UK time is not one of the times Restoration U offers.",
    ),
    "a time off the step": (
        {"time": iso(MONDAY, "10:07"), "practitioner": "tom-reed"},
        "Monday 11 January 2027, 10:07 UK time is not one of the times Restoration U offers "
        "with Tom Reed.",
    ),
    "a closed date": (
        {"time": iso(MONDAY + datetime.timedelta(days=1), "10:00")},
        "Restoration U is closed on Tuesday 12 January 2027.",
    ),
    "another clinic's practitioner": (
        {"practitioner": "dan-okafor"},
        "Dan Okafor is at Laser Reverse, and this consultation is with Restoration U. Please "
        "choose a time again.",
    ),
    "another clinic's consultation": (
        {"consultation": "free-laser-removal-consultation"},
        "Free laser-removal consultation is at Laser Reverse, and this consultation is with "
        "Restoration U. Please choose a time again.",
    ),
    "an unknown consultation": (
        {"consultation": "no-such-thing"},
        "We could not find that consultation. Please choose a time again.",
    ),
    "an unknown practitioner": (
        {"practitioner": "nobody"},
        "We could not find that practitioner. Please choose a time again.",
    ),
    "a malformed time": (
        {"time": "next tuesday"},
        "We could not read the time you chose. Please choose it again.",
    ),
    "a time without its offset": (
        {"time": "2027-01-11T10:00:00"},
        "We could not read the time you chose. Please choose it again.",
    ),
    "an unknown type": (
        {"type": "<script>"},
        "Please choose what your consultation is about first.",
    ),
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("case", TAMPERED)
def test_a_choice_altered_by_hand_is_refused_with_its_reason_and_books_nothing(
    client, restoration_u, laser_reverse, method, case
):
    ClinicClosureFactory(date=MONDAY + datetime.timedelta(days=1), name="Staff training")
    changes, reason = TAMPERED[case]
    data = (details if method == "post" else choice)(**changes)
    response = getattr(client, method)(DETAILS, data)
    assert response.status_code == 400
    assert parse(response).select_one(".lead").get_text(strip=True) == reason
    assert parse(response).find("a", string="Choose a time")["href"].startswith(TIMES)
    assert not Appointment.objects.exists()
    assert not ConsultationRequest.objects.exists()


def test_a_form_without_its_one_time_key_books_nothing(client, restoration_u):
    response = client.post(DETAILS, details(key="short"))
    assert response.status_code == 400
    assert "We could not read this form." in parse(response).select_one(".lead").text
    assert not Appointment.objects.exists()


def test_the_same_key_with_another_time_still_answers_with_the_first_booking(client, restoration_u):
    client.post(DETAILS, details())
    client.post(DETAILS, details(time=iso(MONDAY, "11:00")))
    assert list(Appointment.objects.values_list("starts_at", flat=True)) == [at(MONDAY, "10:00")]


GARBAGE = ["\x00", "x" * 5000, "é", "../../", "<script>", " "]


@pytest.mark.parametrize("field", ["type", "consultation", "practitioner", "time", "from", "key"])
@pytest.mark.parametrize("value", GARBAGE, ids=["nul", "long", "accent", "dots", "tag", "space"])
def test_garbage_in_any_field_is_answered_without_a_server_error(
    client, restoration_u, field, value
):
    for response in (
        client.get(TIMES, choice(**{field: value}) | {"start": value}),
        client.get(DETAILS, choice(**{field: value})),
        client.post(DETAILS, details(**{field: value})),
    ):
        assert response.status_code in {200, 302, 400}
    assert not Appointment.objects.exists() or field == "from"


def test_a_practitioner_no_longer_taking_bookings_is_refused_by_name(client, restoration_u):
    restoration_u["tom"].active = False
    restoration_u["tom"].save()
    response = client.get(DETAILS, choice(practitioner="tom-reed"))
    assert response.status_code == 400
    lead = parse(response).select_one(".lead").get_text(strip=True)
    assert lead == "Tom Reed cannot be booked online at the moment."
