"""`make prod-smoke`: the production topology on one machine, tried as visitors, staff and an
operator would. The tests share one running topology and run in file order: the worker kill
and the backup restore come last because they change it."""

import datetime
import json
import time
from base64 import b32decode
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree

import psutil
import pytest
import requests
from bs4 import BeautifulSoup
from django_otp.oath import TOTP

from tests.backups import FINGERPRINT
from tests.bookings.booking_race import VISITORS, book_at_once
from tests.images import photo_bytes
from tests.topology import harness
from tests.topology.conftest import (
    DATABASE,
    FIGURES,
    LEASE_SECONDS,
    RATE_LIMIT,
    ROOT,
    STAFF_PASSWORD,
    postgres_admin,
)

ENQUIRIES_PER_INSTANCE = 15
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def outbox(topology) -> dict[str, int]:
    """How many notifications the database holds in each status, reminders aside: a booked
    appointment's reminder waits for the day before it (the booking race books one)."""
    import psycopg

    with psycopg.connect(topology.direct_database_url) as connection:
        rows = connection.execute(
            "SELECT status, COUNT(*) FROM bookings_notification WHERE kind <> 'reminder' "
            "GROUP BY status"
        ).fetchall()
    return dict(rows)


def notification_ids(topology) -> set[str]:
    import psycopg

    with psycopg.connect(topology.direct_database_url) as connection:
        rows = connection.execute("SELECT id FROM bookings_notification").fetchall()
    return {f"<notification-{pk}@127.0.0.1>" for (pk,) in rows}


def all_sent(topology) -> bool:
    counts = outbox(topology)
    return bool(counts) and set(counts) == {"sent"}


def staff_session(topology, instance: str) -> requests.Session:
    """Sign in to the admin on one instance with password and authenticator code."""
    session = requests.Session()
    login = f"{topology.url(instance)}/admin/login/"
    token = harness.csrf_token(session, login)
    code = TOTP(b32decode(topology.totp_secret)).token()
    response = session.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "username": "smoke-admin",
            "password": STAFF_PASSWORD,
            "otp_token": f"{code:06d}",
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=15,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def form_data(html: str) -> dict[str, str]:
    """What a browser would send for the admin's change form, as the page stands."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda v: v and v.endswith("_form"))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "file", "button"}:
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture(scope="module")
def submitted(topology):
    """Enquiries sent through both instances, every visitor from an address of their own;
    every other enquiry is a laser-removal one (routed to Laser Reverse), and the first
    carries a photo."""
    references = []
    for n in range(ENQUIRIES_PER_INSTANCE * 2):
        instance = "web-a" if n % 2 == 0 else "web-b"
        response = harness.book_consultation(
            topology.url(instance),
            address=f"198.51.100.{n + 1}",
            email=f"visitor{n}@client.example",
            full_name=f"Visitor {n} Example",
            enquiry_type="laser_smp" if n % 2 else "new_smp",
            files={"photos": ("scalp.jpg", photo_bytes(), "image/jpeg")} if n == 0 else None,
        )
        assert response.status_code == 302, response.text[:2000]
        references.append(n)
    harness.wait_until(lambda: all_sent(topology), timeout=120, what="every notification sent")
    return references


def emails_for(submitted: list[int]) -> int:
    """Two emails per enquiry (the clinic's, the client's), and a third for a laser-removal
    one (every other enquiry): the copy to Restoration U."""
    return sum(3 if n % 2 else 2 for n in submitted)


def test_every_notification_is_delivered_exactly_once_while_two_workers_race(topology, submitted):
    expected = notification_ids(topology)
    delivered = [d.message_id for d in topology.smtp.deliveries]
    FIGURES["enquiries submitted through two instances"] = len(submitted)
    FIGURES["notifications delivered"] = len(delivered)
    FIGURES["duplicate deliveries"] = topology.smtp.duplicates()
    assert topology.smtp.duplicates() == 0
    assert set(delivered) == expected
    assert len(delivered) == len(expected) == emails_for(submitted)


def test_both_workers_took_a_share_of_the_emails(topology, submitted):
    # Each worker logs a worker_delivered line, with its count as a field, per round it sent.
    senders = []
    for name in ("worker-1", "worker-2"):
        entries = map(json.loads, topology.processes[name].log_path.read_text().splitlines())
        senders.append(
            sum(e["sent"] for e in entries if e["message"].startswith("worker_delivered"))
        )
    FIGURES["emails sent by worker-1 / worker-2"] = " / ".join(map(str, senders))
    assert all(sent > 0 for sent in senders)
    assert sum(senders) == emails_for(submitted)


def access_lines(topology, instance: str, user_agent: str) -> list[dict]:
    lines = topology.processes[instance].log_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines if '"gunicorn.access"' in line]
    return [entry for entry in entries if entry.get("user_agent", "").startswith(user_agent)]


def test_the_proxy_spreads_visitors_over_both_instances(topology):
    agent = "smoke-visitor-through-caddy"
    statuses = {
        requests.get(f"{topology.proxy_url}/articles/", headers={"User-Agent": agent}).status_code
        for _ in range(20)
    }

    def served() -> dict[str, int]:
        return {name: len(access_lines(topology, name, agent)) for name in topology.web_ports}

    # gunicorn writes a request's access line after the answer has gone, so the last one or
    # two may still be on their way into the log when the client has its answer.
    harness.wait_until(lambda: sum(served().values()) == 20, timeout=10, what="20 access lines")
    served = served()
    FIGURES["page views through Caddy served by web-a / web-b"] = " / ".join(
        str(n) for n in served.values()
    )
    assert statuses == {200}
    assert all(served.values())
    assert sum(served.values()) == 20


def test_the_proxy_checks_each_instance_on_healthz_web(topology):
    for name in topology.web_ports:
        checks = access_lines(topology, name, "Go-http-client")
        assert any(e["path"] == "/healthz/web" and e["status"] == 200 for e in checks)


@pytest.fixture(scope="module")
def demo_content(topology) -> None:
    """The demo content: articles (with their images in the object store), cases, and both
    clinics' practitioners with their weekly hours and what can be booked online."""
    topology.manage("seed_demo", DJANGO_DEVTOOLS="1")


@pytest.fixture(scope="module")
def article_path(topology, demo_content) -> str:
    """The newest public demo article's address (the demo also holds a draft and a scheduled
    article)."""
    import psycopg

    with psycopg.connect(topology.direct_database_url) as connection:
        (slug,) = connection.execute(
            "SELECT slug FROM blog_article WHERE status = 'published' AND published_at <= now() "
            "ORDER BY published_at DESC LIMIT 1"
        ).fetchone()
    return f"/articles/{slug}/"


def test_a_foreign_port_in_the_host_header_never_reaches_links_through_the_proxy(
    topology, article_path
):
    """Django accepts `Host: 127.0.0.1:6666` (it checks the name, not the port) and Caddy
    passes it on. Asked first with it, then as a visitor would, every page names SITE_URL."""
    site = topology.env["DJANGO_SITE_URL"]
    pages = ["/", article_path, "/articles/", "/sitemap.xml", "/robots.txt", "/articles/feed/"]
    answers = []
    for headers in ({"Host": "127.0.0.1:6666"}, {}):
        for path in pages:
            answer = requests.get(f"{topology.proxy_url}{path}", headers=headers, timeout=15)
            assert answer.status_code == 200, path
            answers.append((path, answer.text))
    FIGURES["pages asked with a foreign Host through Caddy, then normally"] = len(answers)
    assert [path for path, body in answers if "6666" in body] == []
    for path, body in answers:
        if path == "/sitemap.xml":
            locations = [loc.text for loc in ElementTree.fromstring(body).iter(SITEMAP_LOC)]
            assert locations
            assert all(location.startswith(f"{site}/") for location in locations)
        elif path in ("/", article_path, "/articles/"):
            soup = BeautifulSoup(body, "html.parser")
            assert soup.find("link", rel="canonical")["href"] == site + path
            if path == article_path:
                assert soup.find("meta", property="og:url")["content"] == site + path


def posts_served(topology, path: str, *, count: int) -> dict[str, list[int]]:
    """The status of each POST to `path` that each instance answered, from their access logs,
    once `count` are there (gunicorn writes a request's line after its answer has gone)."""

    def statuses() -> dict[str, list[int]]:
        served = {}
        for name in topology.web_ports:
            lines = topology.processes[name].log_path.read_text().splitlines()
            entries = [json.loads(line) for line in lines if '"gunicorn.access"' in line]
            served[name] = [
                entry["status"]
                for entry in entries
                if entry["method"] == "POST" and entry["path"] == path
            ]
        return served

    harness.wait_until(
        lambda: sum(map(len, statuses().values())) >= count,
        timeout=10,
        what=f"{count} access lines for POST {path}",
    )
    return statuses()


def test_fifty_visitors_booking_one_time_through_both_instances_get_one_appointment(
    topology, demo_content
):
    """Caddy spreads fifty visitors (each from an address of their own, so each has their own
    rate limit) over both instances, all sending the details form for the same time with the
    same practitioner at once: PostgreSQL's exclusion constraint lets one have it, and the
    others are offered the nearest free times."""
    import psycopg

    choice = "type=new_smp&consultation=free-smp-consultation&practitioner=amelia-hart"
    week = requests.get(f"{topology.proxy_url}/book/times/?{choice}", timeout=30)
    offered = [
        radio["value"]
        for radio in BeautifulSoup(week.text, "html.parser").select("input[name=time]")
    ]
    # A time the page offers, two days ahead or more: still bookable when the race starts.
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    wanted = next(time for time in offered if datetime.datetime.fromisoformat(time) > soon)

    answers = book_at_once(
        f"{topology.proxy_url}/book/details/?{choice}&time={wanted}",
        sessions=[
            harness.session_from(f"127.0.{10 + n // 200}.{n % 200 + 1}") for n in range(VISITORS)
        ],
        wanted=wanted,
    )

    with psycopg.connect(topology.direct_database_url) as connection:
        booked = connection.execute("SELECT starts_at FROM bookings_appointment").fetchall()
    served = posts_served(topology, "/book/details/", count=VISITORS)
    FIGURES["booking race through Caddy: booked / offered other times / anything else"] = (
        f"{answers.booked} / {answers.taken} / {len(answers.other)}"
    )
    FIGURES["booking race POSTs answered by web-a / web-b"] = " / ".join(
        str(len(statuses)) for statuses in served.values()
    )
    assert (answers.booked, answers.taken, answers.other) == (1, VISITORS - 1, []), answers.other
    assert len(answers.offered) == 1
    assert [starts_at for (starts_at,) in booked] == [datetime.datetime.fromisoformat(wanted)]
    assert all(served.values())  # both instances took part
    assert 500 not in [status for statuses in served.values() for status in statuses]


def test_a_consultation_booked_through_the_proxy_is_confirmed_by_email(topology):
    harness.book_and_await_confirmation(
        topology.smtp, topology.proxy_url, address="ignored", email="through-caddy@client.example"
    )


def test_the_rate_limit_holds_across_both_instances(topology):
    address = "203.0.113.77"
    statuses = [
        harness.book_consultation(
            topology.url("web-a" if n % 2 == 0 else "web-b"),
            address=address,
            email=f"limit{n}@client.example",
        ).status_code
        for n in range(RATE_LIMIT + 2)
    ]
    FIGURES["rate limit, one address alternating instances"] = statuses
    assert statuses == [302] * RATE_LIMIT + [429, 429]


def test_an_account_locked_on_one_instance_is_locked_on_the_other(topology):
    topology.manage(
        "shell",
        "-v0",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('smoke-reception', password='right-password-7Q', is_staff=True)",
    )
    for n in range(5):
        session = requests.Session()
        login = f"{topology.url('web-a' if n % 2 == 0 else 'web-b')}/admin/login/"
        token = harness.csrf_token(session, login)
        session.post(
            login,
            data={"csrfmiddlewaretoken": token, "username": "smoke-reception", "password": "x"},
            timeout=15,
        )
    session = requests.Session()
    login = f"{topology.url('web-b')}/admin/login/"
    token = harness.csrf_token(session, login)
    locked = session.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "username": "smoke-reception",
            "password": "right-password-7Q",
        },
        timeout=15,
    )
    assert locked.status_code == 429


FRONT_DESK_KEY = "6672bd1e2a0c4f3b9d8e7a6b5c4d3e2f1a0b9c8d"


def sign_in_through_the_proxy(topology, session: requests.Session, password: str) -> int:
    login = f"{topology.proxy_url}/admin/login/"
    token = harness.csrf_token(session, login)
    code = TOTP(bytes.fromhex(FRONT_DESK_KEY)).token()
    return session.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "username": "smoke-front-desk",
            "password": password,
            "otp_token": f"{code:06d}",
        },
        allow_redirects=False,
        timeout=15,
    ).status_code


def test_through_the_proxy_a_lockout_stops_the_guesser_and_not_the_member_of_staff(topology):
    """Every visitor reaches gunicorn from Caddy's address; the lockout must count the address
    Caddy reports, or five wrong passwords from anyone would lock the real person out too."""
    topology.manage(
        "shell",
        "-v0",
        "-c",
        "from django.contrib.auth.models import User; "
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        "user = User.objects.create_user('smoke-front-desk', password='right-password-8R', "
        "is_staff=True); "
        f"TOTPDevice.objects.create(user=user, name='phone', key='{FRONT_DESK_KEY}')",
    )
    guesser, colleague = harness.session_from("127.0.0.2"), harness.session_from("127.0.0.3")
    for _ in range(5):
        sign_in_through_the_proxy(topology, guesser, "a-wrong-guess")
    guesser_again = sign_in_through_the_proxy(topology, guesser, "right-password-8R")
    member_of_staff = sign_in_through_the_proxy(topology, colleague, "right-password-8R")
    FIGURES["sign-in through Caddy after 5 wrong: guesser / member of staff"] = (
        f"{guesser_again} / {member_of_staff}"
    )
    assert guesser_again == 429
    assert member_of_staff == 302


@pytest.fixture(scope="module")
def staff(topology) -> requests.Session:
    """Signed in once, on web-a: an authenticator code is good for one sign-in only."""
    return staff_session(topology, "web-a")


def test_a_staff_sign_in_on_one_instance_holds_on_the_other(topology, staff):
    index = staff.get(f"{topology.url('web-b')}/admin/", timeout=15)
    assert index.status_code == 200
    assert "Clinic administration" in index.text


def test_staff_add_a_note_through_both_instances(topology, submitted, staff):
    import psycopg

    with psycopg.connect(topology.direct_database_url) as connection:
        (pk,) = connection.execute(
            "SELECT id FROM bookings_consultationrequest ORDER BY id LIMIT 1"
        ).fetchone()
    change = f"/admin/bookings/consultationrequest/{pk}/change/"
    data = form_data(staff.get(topology.url("web-b") + change, timeout=15).text)
    data["notes-0-text"] = "Called back; consultation on Friday."
    saved = staff.post(topology.url("web-a") + change, data=data, allow_redirects=False, timeout=15)
    assert saved.status_code == 302, saved.text[:3000]
    with psycopg.connect(topology.direct_database_url) as connection:
        notes = connection.execute(
            "SELECT text FROM bookings_enquirynote WHERE request_id = %s", [pk]
        ).fetchall()
    assert notes == [("Called back; consultation on Friday.",)]


def test_an_enquiry_photo_uploaded_through_one_instance_reaches_staff_on_the_other_by_a_signed_link(
    topology, submitted, staff
):
    import psycopg

    with psycopg.connect(topology.direct_database_url) as connection:
        (photo_id,) = connection.execute("SELECT id FROM bookings_enquiryphoto").fetchone()
    photo_url = f"{topology.url('web-b')}/book/photos/{photo_id}/"
    assert requests.get(photo_url, allow_redirects=False, timeout=15).status_code == 404
    signed = staff.get(photo_url, allow_redirects=False, timeout=15)
    assert signed.status_code == 302
    assert "X-Amz-Signature=" in signed.headers["Location"]
    download = requests.get(signed.headers["Location"], timeout=15)
    assert download.status_code == 200
    assert download.content[:3] == b"\xff\xd8\xff"  # a JPEG
    unsigned = requests.get(signed.headers["Location"].split("?")[0], timeout=15)
    assert unsigned.status_code == 403


def test_every_line_the_processes_log_is_one_json_object(topology, submitted):
    site = {n: p for n, p in topology.processes.items() if n.startswith(("web", "worker"))}
    assert len(site) == 4
    for name, process in site.items():
        lines = process.log_path.read_text().splitlines()
        assert lines, f"{name} logged nothing"
        for line in lines:
            assert isinstance(json.loads(line), dict), f"{name}: {line}"


def first_answer(url: str, status: int, since: float) -> tuple[float, str]:
    """Poll one address until it answers `status`; seconds since `since`, and the body."""
    answer = harness.wait_until(
        lambda: (reply := harness.http_status(url))[0] == status and reply,
        timeout=30,
        interval=0.2,
        what=f"{url} answering {status}",
    )
    return time.monotonic() - since, answer[1]


def test_healthz_fails_when_the_database_stops_answering_and_recovers_when_it_returns(topology):
    urls = [f"{topology.url(name)}/healthz" for name in topology.web_ports]
    assert [harness.http_status(url)[0] for url in urls] == [200, 200]

    with ThreadPoolExecutor(len(urls)) as pool:
        cut_at = time.monotonic()
        topology.proxy.cut()
        try:
            down = list(pool.map(lambda url: first_answer(url, 503, cut_at), urls))
        finally:
            restored_at = time.monotonic()
            topology.proxy.restore()
        up = list(pool.map(lambda url: first_answer(url, 200, restored_at), urls))

    FIGURES["/healthz 503 after the database was cut, per instance (s)"] = [
        round(seconds, 1) for seconds, _ in down
    ]
    FIGURES["/healthz 200 after the database returned, per instance (s)"] = [
        round(seconds, 1) for seconds, _ in up
    ]
    FIGURES["/healthz reason while cut"] = down[0][1].strip()
    for _, body in down:
        assert body.startswith("database")
        assert len(body.strip().splitlines()) == 1


def test_the_site_takes_and_delivers_enquiries_again_after_the_database_returns(topology):
    harness.book_and_await_confirmation(
        topology.smtp,
        topology.url("web-b"),
        address="198.51.100.200",
        email="after-outage@client.example",
    )


def test_an_email_whose_worker_is_killed_while_sending_is_delivered_once_by_the_other(topology):
    victim_email = "killed-while-sending@client.example"
    topology.smtp.hang_once_for(victim_email)
    response = harness.book_consultation(
        topology.url("web-a"), address="198.51.100.201", email=victim_email
    )
    assert response.status_code == 302
    assert topology.smtp.hang_started.wait(timeout=30), "no worker started sending"

    peer_port = topology.smtp.hung_peer[1]
    workers = {name: topology.processes[name] for name in ("worker-1", "worker-2")}
    sending = next(
        name
        for name, process in workers.items()
        if any(
            c.laddr and c.laddr.port == peer_port
            for c in psutil.Process(process.pid).net_connections(kind="tcp")
        )
    )
    killed_at = time.monotonic()
    workers[sending].kill()

    deliveries = harness.wait_until(
        lambda: topology.smtp.delivered_to(victim_email),
        timeout=LEASE_SECONDS + 60,
        what="the killed worker's email delivered by the other worker",
    )
    delay = deliveries[0].at - killed_at
    FIGURES["worker killed while sending"] = sending
    FIGURES["delivery delay after the kill (s)"] = round(delay, 1)
    FIGURES["lease (s)"] = LEASE_SECONDS
    time.sleep(3)  # room for a duplicate to show up, were there one
    assert len(topology.smtp.delivered_to(victim_email)) == 1
    assert topology.smtp.duplicates() == 0
    assert delay < LEASE_SECONDS + 10
    harness.wait_until(lambda: all_sent(topology), timeout=30, what="every notification sent")


def test_a_backup_restored_after_dropping_the_database_brings_back_every_enquiry_and_note(
    topology,
):
    direct = topology.direct_database_url
    before = json.loads(topology.manage("shell", "-v0", "-c", FINGERPRINT, DATABASE_URL=direct))
    backup = ROOT / "var" / "prod-smoke" / "backup"
    topology.manage("backup_site", "--output", str(backup), DATABASE_URL=direct)

    postgres_admin(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
    postgres_admin(f'CREATE DATABASE "{DATABASE}"')
    topology.manage("restore_site", str(backup), "--noinput", DATABASE_URL=direct)

    after = json.loads(topology.manage("shell", "-v0", "-c", FINGERPRINT, DATABASE_URL=direct))
    FIGURES["restored enquiries / notes / photos"] = (
        f"{len(after['enquiries'])} / {len(after['notes'])} / {len(after['photos'])}"
    )
    assert after == before
    assert len(after["notes"]) >= 1
    harness.wait_until(
        lambda: all(
            harness.http_status(f"{topology.url(name)}/healthz")[0] == 200
            for name in topology.web_ports
        ),
        timeout=30,
        what="/healthz 200 on the restored database",
    )
