"""deploy/gunicorn.conf.py: read on its own, and serving the site the way production does."""

import json
import os
import runpy
import sys
import urllib.request

import psutil
import pytest
from gunicorn.config import KNOWN_SETTINGS

from tests.support import PRODUCTION, ROOT, clean_environment, http_get, manage, served_by_gunicorn

CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
APPOINTMENT_TOKEN = "Tk" * 21 + "x"  # shaped like a manage link's token (43 characters)


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


def test_forwarded_headers_are_trusted_from_the_local_proxy_only_by_default(load_config):
    assert load_config()["forwarded_allow_ips"] == "127.0.0.1"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn started with deploy/gunicorn.conf.py (one worker, from WEB_CONCURRENCY) on a
    free port against a migrated SQLite database of its own; /healthz asked first, a page asked
    with HEAD and a member of staff's search; then stopped. Returns what it answered and printed,
    and its runtime folder (where a control socket would be)."""
    runtime = tmp_path_factory.mktemp("gunicorn-runtime")
    env = {
        **clean_environment(),
        **PRODUCTION,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("gunicorn-var")),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("gunicorn-static")),
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
        "XDG_RUNTIME_DIR": str(runtime),
    }
    for release in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        manage(*release, env=env)
    logs = tmp_path_factory.mktemp("gunicorn-logs")
    with served_by_gunicorn(env=env, logs=logs, config=True, ready_path="/healthz") as server:
        head = urllib.request.Request(f"{server.url}/privacy/", method="HEAD")
        head_answer = http_get(head)
        workers = psutil.Process(server.process.pid).children()
        # A member of staff's search, as the admin's list sends it (answered with the sign-in
        # page here): the client's address must not reach the access log.
        search = f"{server.url}/admin/bookings/consultationrequest/?q=jamie%40client.example"
        http_get(search, opener=urllib.request.build_opener())
        # A client's appointment link (unknown here, answered 404): its token is its key.
        http_get(
            f"{server.url}/appointments/{APPOINTMENT_TOKEN}/",
            opener=urllib.request.build_opener(),
        )
    return {
        "answer": server.first_answer,
        "head": head_answer,
        "workers": len(workers),
        "stdout": server.printed(),
        "stderr": server.complained(),
        "runtime": runtime,
    }


def stdout_lines(served) -> list[str]:
    return served["stdout"].splitlines()


def test_gunicorn_serves_healthz_with_the_config(served):
    answer = served["answer"]
    assert (answer.status, answer.text.split()[0]) == (200, "ok"), served["stderr"]


def test_the_number_of_workers_comes_from_the_environment(served):
    assert served["workers"] == 1


def test_gunicorn_opens_no_control_socket(served):
    assert list(served["runtime"].iterdir()) == []


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
    head = served["head"]
    assert (head.status, head.body) == (200, b"")
    assert int(head.headers["Content-Length"]) > 0


def test_a_head_request_leaves_no_warning_in_the_log(served):
    levels = [json.loads(line)["level"] for line in stdout_lines(served)]
    assert "WARNING" not in levels, served["stdout"]
