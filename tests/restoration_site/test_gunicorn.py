"""deploy/gunicorn.conf.py: read on its own, and serving the site the way production does."""

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from gunicorn.config import KNOWN_SETTINGS

from tests.restoration_site.test_settings import PRODUCTION, clean_environment

CONFIG = Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
APPOINTMENT_TOKEN = "Tk" * 21 + "x"  # shaped like a manage link's token (43 characters)
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture
def load_config(monkeypatch):
    """Execute the config file with exactly the given variables set."""

    def load(**variables: str) -> dict:
        for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name, raising=False)
        for name in list(os.environ):
            if name.startswith("DJANGO_"):
                monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "path", list(sys.path))
        return runpy.run_path(str(CONFIG))

    return load


def test_every_name_in_the_config_is_a_gunicorn_setting(load_config):
    known = {setting.name for setting in KNOWN_SETTINGS}
    names = {name for name in load_config() if not name.startswith("_") and name.islower()}
    assert names - {"multiprocessing", "os", "re", "sys", "path"} <= known


def test_gunicorn_listens_on_loopback_by_default(load_config):
    assert load_config()["bind"] == ["127.0.0.1:8000"]


def test_the_address_and_the_number_of_workers_come_from_the_environment(load_config):
    config = load_config(GUNICORN_BIND="10.0.0.7:8000", WEB_CONCURRENCY="4")
    assert (config["bind"], config["workers"]) == (["10.0.0.7:8000"], 4)


def test_the_default_number_of_workers_is_twice_the_cores_plus_one(load_config):
    assert load_config()["workers"] == 2 * os.cpu_count() + 1


def test_forwarded_headers_are_trusted_from_the_local_proxy_only_by_default(load_config):
    assert load_config()["forwarded_allow_ips"] == "127.0.0.1"


def test_the_trusted_proxy_addresses_come_from_the_environment(load_config):
    config = load_config(GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.2,10.0.0.3")
    assert config["forwarded_allow_ips"] == "10.0.0.2,10.0.0.3"


def test_the_control_socket_is_off(load_config):
    assert load_config()["control_socket_disable"] is True


def test_workers_are_recycled_with_jitter(load_config):
    config = load_config()
    assert config["max_requests"] > 0
    assert 0 < config["max_requests_jitter"] < config["max_requests"]


def test_gunicorn_logs_through_the_json_formatter_when_debug_is_off(load_config):
    handlers = load_config()["logconfig_dict"]["handlers"]
    assert (handlers["console"]["formatter"], handlers["access"]["formatter"]) == (
        "json",
        "json_access",
    )


def test_gunicorn_logs_readable_text_in_development(load_config):
    handlers = load_config(DJANGO_DEBUG="1")["logconfig_dict"]["handlers"]
    assert handlers["console"]["formatter"] == "text"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn started with deploy/gunicorn.conf.py on a free port against a migrated SQLite
    database of its own; /healthz asked once and a page asked with HEAD; then stopped. Returns
    the answers and the output."""
    port = free_port()
    env = {
        **clean_environment(),
        **PRODUCTION,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("gunicorn-var")),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("gunicorn-static")),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for release in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *release],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    server = subprocess.Popen(
        [str(GUNICORN), "restoration_site.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = ask_until_answered(f"http://127.0.0.1:{port}/healthz", server)
        head = urllib.request.Request(f"http://127.0.0.1:{port}/privacy/", method="HEAD")
        with urllib.request.urlopen(head, timeout=10) as response:
            head_answer = (response.status, response.headers["Content-Length"], response.read())
        # A member of staff's search, as the admin's list sends it (answered with the sign-in
        # page here): the client's address must not reach the access log.
        search = (
            f"http://127.0.0.1:{port}/admin/bookings/consultationrequest/?q=jamie%40client.example"
        )
        ask_until_answered(search, server)
        # A client's appointment link (unknown here, answered 404): its token is its key.
        ask_until_answered(f"http://127.0.0.1:{port}/appointments/{APPOINTMENT_TOKEN}/", server)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            stdout, stderr = server.communicate()
    return {"answer": answer, "head": head_answer, "stdout": stdout, "stderr": stderr}


def ask_until_answered(url: str, server: subprocess.Popen) -> tuple[int, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 60 s")


def stdout_lines(served) -> list[str]:
    return served["stdout"].splitlines()


def test_gunicorn_serves_healthz_with_the_config(served):
    status, body = served["answer"]
    assert (status, body.split()[0]) == (200, "ok"), served["stderr"]


def test_every_line_gunicorn_prints_is_a_json_object(served):
    lines = stdout_lines(served)
    assert lines, served["stderr"]
    assert all(isinstance(json.loads(line), dict) for line in lines), served["stdout"]


def test_gunicorn_logs_its_own_start_as_json(served):
    loggers = {json.loads(line)["logger"] for line in stdout_lines(served)}
    assert "gunicorn.error" in loggers


def test_gunicorn_logs_the_request_as_a_structured_access_line(served):
    access = [
        entry
        for entry in map(json.loads, stdout_lines(served))
        if entry["logger"] == "gunicorn.access"
    ]
    assert [(entry["method"], entry["path"], entry["status"]) for entry in access][:2] == [
        ("GET", "/healthz", 200),
        ("HEAD", "/privacy/", 200),
    ]
    assert isinstance(access[0]["duration_ms"], float)
    assert access[0]["remote_addr"] == "127.0.0.1"


def test_the_admins_query_strings_never_reach_the_access_log(served):
    admin_lines = [line for line in stdout_lines(served) if "/admin/" in line]
    assert admin_lines, served["stdout"]
    assert not any("jamie" in line for line in stdout_lines(served))


def test_an_appointment_links_token_never_reaches_the_access_log(served):
    access = [
        entry
        for entry in map(json.loads, stdout_lines(served))
        if entry["logger"] == "gunicorn.access" and entry["path"].startswith("/appointments/")
    ]
    assert [entry["path"] for entry in access] == ["/appointments/<token>/"]
    assert APPOINTMENT_TOKEN not in json.dumps(access)


def test_a_head_request_gets_the_headers_of_a_get_and_no_body(served):
    status, length, body = served["head"]
    assert (status, body) == (200, b"")
    assert int(length) > 0


def test_a_head_request_leaves_no_warning_in_the_log(served):
    levels = [json.loads(line)["level"] for line in stdout_lines(served)]
    assert "WARNING" not in levels, served["stdout"]
