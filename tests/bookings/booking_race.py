"""Many visitors booking one time at the same moment through a served site (gunicorn, or Caddy
in front of two instances): each opens the details page for the time in a browser session of
its own (its CSRF cookie and token, its one-time key), fills it in, and all of them send it at
once. What the site answered, sorted into bookings, "taken" pages and anything else."""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from bs4 import BeautifulSoup

from bookings.services.appointments import ALTERNATIVES, TAKEN
from tests.bookings.booking_pages import VISITOR

VISITORS = 50
BOOKED_PATH = "/book/booked/"


@dataclass
class Answers:
    """How the site answered a race: bookings (the redirect to the confirmation), the details
    page again saying the time has just been taken and offering the nearest free times
    (`offered`: each distinct set of them), and anything else as (status, start of the body)."""

    booked: int = 0
    taken: int = 0
    other: list[tuple[int, str]] = field(default_factory=list)
    offered: set[tuple[str, ...]] = field(default_factory=set)


def details_form(session: requests.Session, url: str) -> dict[str, str]:
    """The hidden fields of the details page's form, as the browser would send them back: the
    choice, the one-time key and the CSRF token."""
    page = session.get(url, timeout=60)
    page.raise_for_status()
    form = BeautifulSoup(page.text, "html.parser").find("form", id="booking-form")
    return {
        field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")
    }


def offered_instead(response: requests.Response, wanted: str) -> tuple[str, ...] | None:
    """The times offered instead when the answer is the details page saying `wanted` has just
    been taken, with the nearest free times as its choices; None for any other answer."""
    if response.status_code != 200:
        return None
    soup = BeautifulSoup(response.text, "html.parser")
    summary, fieldset = soup.find(id="form-errors"), soup.find("fieldset", class_="alternatives")
    if summary is None or fieldset is None or TAKEN not in summary.get_text():
        return None
    wanted_field = soup.find("input", attrs={"name": "wanted"})
    times = tuple(radio["value"] for radio in fieldset.find_all("input", attrs={"name": "time"}))
    if wanted_field is None or wanted_field["value"] != wanted or wanted in times:
        return None
    return times if len(times) == ALTERNATIVES else None


def book_at_once(url: str, *, sessions: list[requests.Session], wanted: str) -> Answers:
    """Each session opens the details page at `url` (the time `wanted`, as the times page
    writes it), then all of them send it filled in at the same moment, each as a visitor of
    their own."""
    with ThreadPoolExecutor(len(sessions)) as pool:
        forms = list(pool.map(lambda session: details_form(session, url), sessions))
    start = threading.Barrier(len(sessions))

    def send(number: int) -> requests.Response:
        data = forms[number] | VISITOR
        data |= {
            "full_name": f"Visitor {number} Example",
            "email": f"visitor{number}@client.example",
        }
        start.wait()
        # The form has no action: a browser sends it to the page's own address.
        return sessions[number].post(
            url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=120
        )

    with ThreadPoolExecutor(len(sessions)) as pool:
        responses = list(pool.map(send, range(len(sessions))))
    answers = Answers()
    for response in responses:
        if response.status_code == 302 and response.headers["Location"].endswith(BOOKED_PATH):
            answers.booked += 1
        elif (offered := offered_instead(response, wanted)) is not None:
            answers.taken += 1
            answers.offered.add(offered)
        else:
            answers.other.append((response.status_code, response.text[:300]))
    return answers
