"""Fifty visitors book the same time at the same moment through the booking pages, served by
gunicorn with the production config (four workers): one gets it, the other forty-nine get the
details page again saying the time has just been taken, with the three nearest free times to
choose from, and nobody gets a server error.

On the embedded SQLite default (a file, as the site runs) in the SQLite pass, and on the test
run's PostgreSQL database in the PostgreSQL pass. The schedule is real and the clock is not
frozen (gunicorn reads its own): the time is one the practitioner offers a few days ahead.
"""

import datetime
import os

import pytest
import requests
from django.utils import timezone

from bookings.forms import iso_moment
from bookings.models import Appointment, ConsultationRequest, Weekday
from restoration_site.common.clinic_clock import clinic_moment, clinic_today
from tests.bookings.booking_race import VISITORS, book_at_once
from tests.factories import ConsultationTypeFactory, PractitionerFactory, hours
from tests.support import loopback_site_environment, served_by_gunicorn

CHOICE = "type=new_smp&consultation=free-smp-consultation&practitioner=amelia-hart"


@pytest.fixture
def site(own_connections, collected_static, tmp_path):
    """The site under gunicorn (deploy/gunicorn.conf.py, four workers, debug off) on the test's
    committed data, with the rate limit out of the way (every visitor here is 127.0.0.1)."""
    env = loopback_site_environment(
        var_dir=tmp_path / "var",
        static_root=collected_static,
        DATABASE_URL=own_connections,
        CONSULTATION_RATE_LIMIT="10000",
        WEB_CONCURRENCY="4",
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    with served_by_gunicorn(env=env, logs=tmp_path / "logs", config=True) as server:
        yield server


@pytest.fixture
def ten_oclock(own_connections) -> datetime.datetime:
    """10:00 three days from now, clinic time: past the day's notice and well inside the six
    weeks ahead, with Amelia Hart, who works 09:00 to 17:00 every day of the week."""
    ConsultationTypeFactory(slug="free-smp-consultation")
    amelia = PractitionerFactory(name="Amelia Hart", slug="amelia-hart")
    for weekday in Weekday:
        hours(amelia, weekday, "09:00", "17:00")
    day = clinic_today(timezone.now()) + datetime.timedelta(days=3)
    return clinic_moment(day, datetime.time(10))


def test_fifty_visitors_sending_one_time_at_once_get_one_booking_and_forty_nine_other_times(
    site, ten_oclock
):
    wanted = iso_moment(ten_oclock)
    week = requests.get(
        f"{site.url}/book/times/?{CHOICE}&start={clinic_today(ten_oclock)}", timeout=30
    )
    assert f'value="{wanted}"' in week.text  # a time the times page offers

    answers = book_at_once(
        f"{site.url}/book/details/?{CHOICE}&time={wanted}",
        sessions=[requests.Session() for _ in range(VISITORS)],
        wanted=wanted,
    )

    assert (answers.booked, answers.taken, answers.other) == (1, VISITORS - 1, []), answers.other
    assert len(answers.offered) == 1  # the same three nearest times for everyone
    assert list(Appointment.objects.values_list("starts_at", flat=True)) == [ten_oclock]
    assert ConsultationRequest.objects.count() == 1
