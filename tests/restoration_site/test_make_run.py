"""`make run` as a person trying the site would use it, on a port of its own: the site's own
error pages, and emails whose links lead back to the address it serves on."""

import os
import re
import time

import pytest

from tests.support import ROOT, book_consultation, clean_environment, free_port, http_get, serving


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make run PORT=<free port>` with its own var/ and static folder; stopped afterwards.
    Returns the address it serves on and its var/ folder."""
    if not os.path.exists(ROOT / ".venv" / "bin" / "gunicorn"):
        pytest.skip("make run needs the project's virtual environment (make install)")
    port = free_port()
    var = tmp_path_factory.mktemp("make-run-var")
    env = clean_environment() | {
        "DJANGO_VAR_DIR": str(var),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("make-run-static")),
        "DEMO_ADMIN_PASSWORD": "a-long-demo-password-for-tests",
    }
    command = [
        "make",
        "--no-print-directory",
        "run",
        "HOST=127.0.0.1",
        f"PORT={port}",
        "WEB_CONCURRENCY=1",
    ]
    logs = tmp_path_factory.mktemp("make-run-logs")
    with serving(command, port=port, env=env, logs=logs, timeout=240) as server:
        yield server.url, var


def test_a_missing_page_is_the_sites_own_404_not_a_list_of_every_address(served):
    url, _ = served
    response = http_get(url + "/no-such-page/")
    assert response.status == 404
    assert "<h1>Page not found</h1>" in response.text
    assert "URLconf" not in response.text


def test_the_emails_link_to_the_address_make_run_serves_on(served):
    url, var = served
    assert book_consultation(url, email="devon@client.example", timeout=30) == 302

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
