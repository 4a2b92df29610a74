"""What tests need from outside Django's test client, written once: a free loopback port, a real
SMTP server on loopback, the site's commands run in a process of their own, and the site served
by gunicorn (or `make run`) on a port of its own."""

import asyncio
import email
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"

# The variables settings.py reads: a process started by a test gets only those it names.
PROJECT_VARIABLES = (
    "DJANGO_",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_",
    "DEFAULT_FROM_EMAIL",
    "ADMIN_REQUIRE_2FA",
    "CONSULTATION_",
    "S3_",
)
# The least a production server sets: everything else is settings.py's production default.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k8#Zp2vQ7rT!mW4xL9nB3cF6hJ1sD5gY0uE8aR2tK7wQ4zX6vN9bM3",
    "DJANGO_ALLOWED_HOSTS": "www.restoration-u.example",
}


def free_port() -> int:
    """A loopback port nobody listens on (at the moment it is asked)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """This process's environment without any of the site's own variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith(PROJECT_VARIABLES)}


def loopback_site_environment(
    *, var_dir: Path, static_root: Path, **variables: str
) -> dict[str, str]:
    """What the site runs with when a test serves it on loopback over plain http: debug off, as
    in production, this process's environment without the site's own variables, the test's own
    folders and quiet logs; `variables` add to it or replace its own."""
    return (
        clean_environment()
        | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "served-by-a-test-" + "s" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_VAR_DIR": str(var_dir),
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        | variables
    )


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own with exactly `env`; with `check`, a failure
    fails the test with what the command printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# HTTP, as a browser on this machine would ask


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def http_get(
    request: str | urllib.request.Request, *, opener=None, timeout: float = 10
) -> Response:
    """Send a request (a URL is a GET) and return the answer, whatever its status; an address
    nobody answers on raises OSError."""
    try:
        with (opener or urllib.request.build_opener(NoRedirect)).open(
            request, timeout=timeout
        ) as response:
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def book_consultation(base_url: str, *, email: str, timeout: float = 60) -> int:
    """One visitor's browser: open the form (for the CSRF cookie and token), send it filled in,
    and return the answer's status (302 is the way to the thank-you page)."""
    from tests.bookings.helpers import valid_form_data

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    form = base_url + "/book/"
    token = CSRF_INPUT.search(http_get(form, opener=opener, timeout=30).text)[1]
    data = valid_form_data(email=email) | {"csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        form, data=urllib.parse.urlencode(data).encode(), headers={"Referer": form}
    )
    return http_get(request, opener=opener, timeout=timeout).status


# A server process on a port of its own


@dataclass
class Served:
    """A server started by a test: its address, its process, what it printed (standard output
    and standard error, in files under its logs folder) and the answer that showed it ready."""

    url: str
    process: subprocess.Popen
    stdout: Path
    stderr: Path
    first_answer: Response

    def printed(self) -> str:
        return self.stdout.read_text()

    def complained(self) -> str:
        return self.stderr.read_text()


@contextmanager
def serving(
    command: list[str],
    *,
    port: int,
    env: dict[str, str],
    logs: Path,
    ready_path: str = "/robots.txt",
    timeout: float = 60,
) -> Iterator[Served]:
    """Run a server command in a process group of its own, wait until `ready_path` answers on
    `port` (any status), and stop the whole group afterwards."""
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / "stdout.log", logs / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        answer = _first_answer(url + ready_path, process, timeout, stdout, stderr)
        yield Served(url, process, stdout, stderr, answer)
    finally:
        _stop(process)


def _first_answer(url: str, process: subprocess.Popen, timeout: float, *logs: Path) -> Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            printed = "\n".join(log.read_text() for log in logs)
            pytest.fail(f"{process.args[0]} stopped with {process.returncode}:\n{printed}")
        try:
            return http_get(url, timeout=5)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{process.args[0]} did not answer {url} within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process and its children (gunicorn's workers, make's commands), then
    SIGKILL for whatever is still there after 30 seconds."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def served_by_gunicorn(
    *options: str,
    env: dict[str, str],
    logs: Path,
    config: bool = False,
    ready_path: str = "/robots.txt",
    timeout: float = 60,
):
    """gunicorn serving the site on a free loopback port, ready when it answers (a context
    manager giving a Served). With `config`, it reads deploy/gunicorn.conf.py, which takes the
    address from GUNICORN_BIND as in production; otherwise the address is an option."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    command = [str(GUNICORN), "restoration_site.wsgi", *options]
    if config:
        command += ["-c", "deploy/gunicorn.conf.py"]
        env = env | {"GUNICORN_BIND": address}
    else:
        command += ["--bind", address]
    return serving(command, port=port, env=env, logs=logs, ready_path=ready_path, timeout=timeout)


# Email: a real SMTP server on loopback


@dataclass(frozen=True)
class Delivery:
    """One message the SMTP server accepted, with when and for whom."""

    at: float
    recipients: list[str]
    message: email.message.Message

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts (answers
    250), and, as a test asks:

    - refuses some recipients for good (`refused`: a 550, as for a mailbox that does not exist);
    - hangs once on a message to a chosen recipient until the sender goes away
      (`hang_once_for`), so the message is never counted as delivered;
    - asks senders to sign in (`accounts`: user name to password);
    - is stopped and started again on the same port, to play an outage.
    """

    def __init__(self, *, accounts: dict[str, str] | None = None):
        self.port = free_port()
        self.accounts = accounts or {}
        self.deliveries: list[Delivery] = []
        self.refused: set[str] = set()
        self.signed_in: list[str] = []
        self.hang_started = threading.Event()
        self.hung_peer: tuple | None = None
        self._hang_for = ""
        self._controller = None

    @property
    def messages(self) -> list[email.message.Message]:
        return [delivery.message for delivery in self.deliveries]

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sign_in = (
            {"authenticator": self._authenticate, "auth_required": True, "auth_require_tls": False}
            if self.accounts
            else {}
        )
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **sign_in)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def hang_once_for(self, recipient: str) -> None:
        self.hang_started.clear()
        self.hung_peer = None
        self._hang_for = recipient

    def delivered_to(self, recipient: str) -> list[Delivery]:
        return [d for d in self.deliveries if recipient in d.recipients]

    def duplicates(self) -> int:
        counts = Counter(delivery.message_id for delivery in self.deliveries)
        return sum(count - 1 for count in counts.values())

    # aiosmtpd's hooks

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        user, password = auth_data.login.decode(), auth_data.password.decode()
        if self.accounts.get(user) != password:
            return AuthResult(success=False, handled=False)
        self.signed_in.append(user)
        return AuthResult(success=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._hang_for and self._hang_for in envelope.rcpt_tos:
            self._hang_for = ""
            self.hung_peer = session.peer
            self.hang_started.set()
            # Never answer: the sender is killed while it waits. aiosmtpd cancels this when
            # the connection drops, so the message is never counted as delivered.
            await asyncio.sleep(3600)
        self.deliveries.append(
            Delivery(
                at=time.monotonic(),
                recipients=list(envelope.rcpt_tos),
                message=email.message_from_bytes(envelope.content),
            )
        )
        return "250 Message accepted for delivery"
