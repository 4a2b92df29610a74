"""A production-like copy of the site for measurements (`make bench`, `make audit`): gunicorn
with debug off and without the development tools, on its own SQLite database with the demo
content, under var/<name>/."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def prepare_site(name: str, **extra_env: str) -> dict:
    """Create var/<name>/ afresh with a migrated, seeded database and collected static files;
    returns the environment the site runs with."""
    root = Path(settings.BASE_DIR) / "var" / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": f"{name}-only-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_VAR_DIR": str(root),
        "DJANGO_MEDIA_ROOT": str(root / "media"),
        "DJANGO_STATIC_ROOT": str(root / "static"),
        "DJANGO_SERVE_MEDIA": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Served as production is, without the development tools; run_manage adds them.
        "DJANGO_DEVTOOLS": "0",
        **extra_env,
    }
    env.pop("DATABASE_URL", None)
    for step in (["migrate", "-v0"], ["seed_demo", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        run_manage(env, *step, stdout=subprocess.DEVNULL)
    return env


def run_manage(env: dict, *args: str, **options) -> subprocess.CompletedProcess:
    """Run a manage.py command against the prepared site, with the development tools installed
    (seed_demo and the bench commands are among them)."""
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env={**env, "DJANGO_DEVTOOLS": "1"},
        check=True,
        **options,
    )


@contextmanager
def gunicorn(env: dict, port: int, workers: int):
    """Serve the site on 127.0.0.1:<port> until the block ends."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "restoration_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(f"http://127.0.0.1:{port}/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise CommandError("gunicorn did not start within 30 seconds") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
