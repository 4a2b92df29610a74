"""
`make bench`: serve the site the way production does and measure it with a load generator.

The site runs under gunicorn with debug off against its own SQLite database and demo content
(under var/bench/), and wrk measures each page next to a static file of the same size served by
the same server in the same run, so the ratio says what Django costs on top of WhiteNoise.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PAGES = [
    ("home", "/"),
    ("article list", "/articles/"),
    ("article", "/articles/regretting-smp-laser-tattoo-removal/"),
    ("gallery", "/portfolio/"),
    ("case", "/portfolio/natural-hairline-early-thirties/"),
]
TARGETS = {"article": 0.5}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_wrk(output: str) -> Result:
    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            raise CommandError(f"wrk printed no {label}th percentile:\n{output}")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors[1]) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return Result(float(rps[1]), latency("50"), latency("99"), failed)


class Command(BaseCommand):
    help = "Serve the site with gunicorn (debug off) and measure pages against a static file."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=8, help="Load time per address.")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")

    def handle(self, *args, seconds: int, connections: int, workers: int, **options):
        wrk = self.ensure_wrk()
        bench_dir = Path(settings.BASE_DIR) / "var" / "bench"
        shutil.rmtree(bench_dir, ignore_errors=True)
        bench_dir.mkdir(parents=True)
        static_root = bench_dir / "static"
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_VAR_DIR": str(bench_dir),
            "DJANGO_MEDIA_ROOT": str(bench_dir / "media"),
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_SERVE_MEDIA": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        self.stdout.write("Preparing a production-like site under var/bench/ ...")
        for step in (
            ["migrate", "-v0"],
            ["seed_demo", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([*manage, *step], env=env, check=True, stdout=subprocess.DEVNULL)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # First run: learn each page's size, to write static files of the same sizes.
        with self.gunicorn(env, port, workers):
            sizes = {label: len(self.fetch(base + path)) for label, path in PAGES}
        same_size = {}
        for label, size in sizes.items():
            name = f"bench/same-size-{size}.html"
            (static_root / "bench").mkdir(exist_ok=True)
            (static_root / name).write_bytes(b"x" * size)
            same_size[label] = f"/static/{name}"

        rows = []
        with self.gunicorn(env, port, workers):
            for label, path in PAGES:
                self.fetch(base + path)  # warm the page cache, as a real site is
                page = self.load(wrk, base + path, seconds, connections)
                static = self.load(wrk, base + same_size[label], seconds, connections)
                rows.append((label, path, sizes[label], page, static))
        self.report(rows, workers, connections, seconds)

    def ensure_wrk(self) -> str:
        found = shutil.which("wrk")
        if found:
            return found
        if os.geteuid() == 0 and shutil.which("apt-get"):
            self.stdout.write("Installing the wrk load generator with apt-get ...")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "wrk"],
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
            return shutil.which("wrk") or "wrk"
        raise CommandError("The wrk load generator is needed: install it (apt-get install wrk).")

    def gunicorn(self, env: dict, port: int, workers: int):
        command = self

        class Server:
            def __enter__(self):
                self.process = subprocess.Popen(
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
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        command.fetch(f"http://127.0.0.1:{port}/robots.txt")
                        return self
                    except OSError:
                        time.sleep(0.2)
                raise CommandError("gunicorn did not start within 30 seconds")

            def __exit__(self, *exc):
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(timeout=30)

        return Server()

    @staticmethod
    def fetch(url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    @staticmethod
    def load(wrk: str, url: str, seconds: int, connections: int) -> Result:
        output = subprocess.run(
            [wrk, "--latency", "-t2", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return parse_wrk(output)

    def report(self, rows, workers: int, connections: int, seconds: int) -> None:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "unknown CPU",
        )
        self.stdout.write(
            f"\nMachine: {os.cpu_count()} cores, {cpu}; gunicorn {workers} sync workers; "
            f"wrk 2 threads, {connections} connections, {seconds} s per address\n"
        )
        header = (
            f"{'page':<14}{'bytes':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'static req/s':>14}{'static p99':>12}{'ratio':>8}{'errors':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        missed = []
        for label, _path, size, page, static in rows:
            ratio = page.requests_per_second / static.requests_per_second
            self.stdout.write(
                f"{label:<14}{size:>8}{page.requests_per_second:>10.0f}{page.p50_ms:>9.2f}"
                f"{page.p99_ms:>9.2f}{static.requests_per_second:>14.0f}{static.p99_ms:>12.2f}"
                f"{ratio:>7.0%}{page.errors + static.errors:>8}"
            )
            if label in TARGETS and ratio < TARGETS[label]:
                missed.append(
                    f"{label}: {ratio:.0%} of the static file (target {TARGETS[label]:.0%})"
                )
        self.stdout.write("")
        for label, target in TARGETS.items():
            self.stdout.write(
                f"Target: {label} page at >= {target:.0%} of the static file's req/s."
            )
        if missed:
            self.stdout.write(self.style.WARNING("Below target: " + "; ".join(missed)))
        else:
            self.stdout.write(self.style.SUCCESS("All targets met."))
