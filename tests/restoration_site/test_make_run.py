"""`make run` as a person trying the site would use it, on a port of its own: the site's own
error pages, and emails whose links lead back to the address it serves on."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.bookings.helpers import valid_form_data

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, opener=None) -> tuple[int, str]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make run PORT=<free port>` with its own var/ and static folder; stopped afterwards."""
    if not os.path.exists(ROOT / ".venv" / "bin" / "gunicorn"):
        pytest.skip("make run needs the project's virtual environment (make install)")
    port = free_port()
    var = tmp_path_factory.mktemp("make-run-var")
    env = {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "ADMIN_"))
        },
        "DJANGO_VAR_DIR": str(var),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("make-run-static")),
        "DEMO_ADMIN_PASSWORD": "a-long-demo-password-for-tests",
    }
    server = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "run",
            "HOST=127.0.0.1",
            f"PORT={port}",
            "WEB_CONCURRENCY=1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make run stopped:\n{server.stdout.read()}")
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("make run did not serve within 240 s")
        yield url, var
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_a_missing_page_is_the_sites_own_404_not_a_list_of_every_address(served):
    url, _ = served
    status, page = get(url + "/no-such-page/")
    assert status == 404
    assert "<h1>Page not found</h1>" in page
    assert "URLconf" not in page


def test_the_emails_link_to_the_address_make_run_serves_on(served):
    url, var = served
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    opener = urllib.request.build_opener(jar)
    _, form = get(url + "/book/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = valid_form_data(email="devon@client.example") | {"csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        url + "/book/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": url + "/book/"},
    )
    opener.open(request, timeout=30)

    deadline = time.monotonic() + 30
    mail = ""
    while time.monotonic() < deadline and "devon@client.example" not in mail:
        time.sleep(0.5)
        mail = "".join(path.read_text() for path in (var / "mail").glob("*.log"))
    assert "devon@client.example" in mail
    links = set(re.findall(r"https?://[^\s\"'<>]+", mail))
    site_links = {link for link in links if "example" not in link}
    assert site_links
    assert all(link.startswith(url + "/") for link in site_links), site_links
