"""The parts of the production smoke test that stand in for the world around the site: a TCP
proxy that can cut PostgreSQL off, an S3 server, and the site's processes started from the
Procfile. The SMTP server that records every delivery (and can hang on one message) is the
suite's own (tests.support.SmtpSink)."""

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import requests

from tests.support import CSRF_INPUT, SmtpSink, free_port, http_get


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        time.sleep(interval)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target. `cut()` drops every open connection and leaves
    new ones hanging unanswered (a database that stops answering); `restore()` forwards again.
    The machine's own PostgreSQL keeps running for everyone else."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._hanging: list[socket.socket] = []
        self._cut = False
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._cut:
                    self._hanging.append(client)
                    continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in selector.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            with self._lock:
                self._open.discard(a)
                self._open.discard(b)
            for sock in (a, b):
                _close(sock)

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            doomed = list(self._open)
        for sock in doomed:
            _close(sock)

    def restore(self) -> None:
        with self._lock:
            self._cut = False
            hanging, self._hanging = self._hanging, []
        for sock in hanging:
            _close(sock)

    def stop(self) -> None:
        self._stopped = True
        self.cut()
        _close(self._listener)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def read_procfile(path: Path) -> dict[str, str]:
    commands = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


class SiteProcess:
    """One process of the site, started from its Procfile command, logging to a file."""

    def __init__(self, name: str, command: str, env: dict, cwd: Path, logs: Path):
        self.name = name
        self.log_path = logs / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (open for the process's lifetime)
        self.process = subprocess.Popen(
            ["sh", "-c", f"exec {command}"],
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


def run(command: str | list[str], env: dict, cwd: Path) -> str:
    """Run a command (a Procfile line through the shell, or an argument list) to the end."""
    result = subprocess.run(
        ["sh", "-c", command] if isinstance(command, str) else command,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def http_status(url: str) -> tuple[int, str]:
    """The status and body of a GET (redirects followed), or 0 and why nothing answered."""
    try:
        response = http_get(url, opener=urllib.request.build_opener(), timeout=15)
    except OSError as error:
        return 0, str(error)
    return response.status, response.text


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=15)
    page.raise_for_status()
    return CSRF_INPUT.search(page.text).group(1)


class _SourceAddressAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    """A browser on another machine, as the proxy sees it: its connections come from
    `address` (any of 127.0.0.0/8, which all reach this machine's loopback)."""
    session = requests.Session()
    adapter = _SourceAddressAdapter(address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def book_consultation(
    base_url: str, *, address: str, files: dict | None = None, **overrides
) -> requests.Response:
    """Fill in and send the consultation form as a visitor's browser would, from `address`
    (as the proxy reports it in X-Forwarded-For)."""
    from tests.bookings.helpers import valid_form_data

    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    token = csrf_token(session, f"{base_url}/book/")
    return session.post(
        f"{base_url}/book/",
        data={**valid_form_data(**overrides), "csrfmiddlewaretoken": token},
        files=files,
        allow_redirects=False,
        timeout=30,
    )


def book_and_await_confirmation(smtp: SmtpSink, base_url: str, *, address: str, email: str):
    """Book a consultation and wait for the client's confirmation to reach the SMTP server."""
    response = book_consultation(base_url, address=address, email=email)
    assert response.status_code == 302, response.text[:2000]
    wait_until(
        lambda: len(smtp.delivered_to(email)) == 1,
        timeout=60,
        what=f"the confirmation to {email}",
    )
