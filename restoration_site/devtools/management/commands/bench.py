"""
`make bench`: serve the site the way production does and measure it with a load generator.

The site runs under gunicorn with debug off against its own SQLite database and demo content
(under var/bench/), and wrk measures each page next to a static file of the same size served by
the same server in the same run, so the ratio says what Django costs on top of WhiteNoise.
The uploads part posts the largest photos the form accepts and watches the serving worker's
memory and the health check meanwhile. The booking part measures a busy clinic's times page the
same way, and booking POSTs with the email worker sending.
"""

import asyncio
import collections
import contextlib
import datetime
import gzip
import http.client
import http.cookiejar
import io
import json
import logging
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image

from restoration_site.devtools.serving import fetch, free_port, gunicorn, prepare_site, run_manage

PAGES = [
    ("home", "/"),
    ("article list", "/articles/"),
    ("article", "/articles/regretting-smp-laser-tattoo-removal/"),
    ("gallery", "/portfolio/"),
    ("case", "/portfolio/natural-hairline-early-thirties/"),
    ("form GET", "/book/"),
]
SLOW_SMTP_SECONDS = 2.0
TARGETS = {"article": 0.5}
# The booking pages of a busy clinic (bench_booking): the times page at this share of the
# static file's requests per second or more, free_times over 31 days under this many ms in
# process, and a booking POST's p99 under this many ms while the email worker sends.
TIMES_PAGE_TARGET = 0.25
FREE_TIMES_TARGET_MS = 20
# The free times' reads, whatever the appointments: the rest of the page's first view is the
# versions its copies are keyed on and the clinic's offer, none of them growing with bookings.
FREE_TIMES_MAX_QUERIES = 5
BOOKING_POST_TARGET_MS = 150
WORKER_NICENESS = 5
# The worst request the form allows must not tie up a worker: under UPLOAD_TARGET_SECONDS, under
# UPLOAD_TARGET_MIB of resident memory in the serving worker, and the health check (what the
# proxy asks every 10 s) answering within HEALTH_TARGET_SECONDS meanwhile.
UPLOAD_TARGET_SECONDS = 3.0
UPLOAD_TARGET_MIB = 300
HEALTH_TARGET_SECONDS = 1.0
# The costliest file of each format: RGB for a lossy WebP (its decoding is the slowest per
# byte), with transparency for a PNG or WebP (one more full-size copy to lay it on white).
UPLOAD_KINDS = {
    "JPEG": ("JPEG", "RGB"),
    "PNG": ("PNG", "RGBA"),
    "WebP": ("WEBP", "RGB"),
    "WebP+alpha": ("WEBP", "RGBA"),
}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


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


@dataclass
class BookingLoad(Result):
    sent: int
    seconds: float
    statuses: dict[int, int]


def book_under_load(
    base: str, bookable: list[list[str]], *, connections: int, seconds: int, first_visitor: int = 0
) -> BookingLoad:
    """Booking POSTs from `connections` clients at once, each sending its next as soon as its
    last was answered, until `seconds` have passed or every one of the `bookable` (time,
    practitioner) has been sent: each a visitor of their own, with a one-time key and an
    address of their own (in X-Forwarded-For, as the proxy in front sends it, so the rate
    limit counts one attempt per visitor, as for real ones), and a CSRF cookie and token from
    a real GET of the details page. Timed here rather than by wrk, which cannot stop when the
    free times run out and still count its rate right."""
    choice = {"type": "new_smp", "consultation": "free-smp-consultation"}
    first, practitioner = bookable[0]
    query = urllib.parse.urlencode(choice | {"practitioner": practitioner, "time": first})
    token, cookie = csrf_from(f"{base}/book/details/?{query}")
    pending = collections.deque(
        (
            # Documentation addresses (RFC 5737), one per visitor.
            f"198.51.{100 + number // 250}.{number % 250 + 1}",
            urllib.parse.urlencode(
                choice
                | {
                    "practitioner": slug,
                    "time": moment,
                    "key": f"bench{number:017d}",
                    "csrfmiddlewaretoken": token,
                    "full_name": f"Bench Visitor {number}",
                    "email": f"visitor{number}@bench.example",
                    "phone": "07911 123456",
                    "contact_method": "email",
                    "consent": "on",
                }
            ),
        )
        for number, (moment, slug) in enumerate(bookable, start=first_visitor)
    )
    address = urllib.parse.urlsplit(base)
    latencies: list[float] = []
    statuses: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def visitor() -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        while time.monotonic() < deadline:
            try:
                client_address, body = pending.popleft()
            except IndexError:
                return
            sent = time.perf_counter()
            connection.request(
                "POST",
                "/book/details/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie}",
                    "X-Forwarded-For": client_address,
                },
            )
            answer = connection.getresponse()
            answer.read()
            with lock:
                latencies.append(time.perf_counter() - sent)
                statuses[answer.status] += 1
        connection.close()

    clients = [threading.Thread(target=visitor) for _ in range(connections)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    percentiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return BookingLoad(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=percentiles[98] * 1000,
        errors=sum(count for status, count in statuses.items() if status not in (200, 302)),
        sent=len(latencies),
        seconds=elapsed,
        statuses=dict(statuses),
    )


def run_json(env: dict, *args: str) -> dict:
    """Run one of the in-process bench commands; the JSON line it printed last."""
    done = run_manage(env, *args, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def same_size_file(static_root: Path, size: int) -> str:
    """The address of a static file of `size` bytes (WhiteNoise serves it from the next start
    of the server)."""
    name = f"bench/same-size-{size}.html"
    (static_root / "bench").mkdir(exist_ok=True)
    (static_root / name).write_bytes(b"x" * size)
    return f"/static/{name}"


def csrf_from(url: str) -> tuple[str, str]:
    """The CSRF token of the form at `url` and the cookie it goes with, as a browser gets them."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    return token, next(c.value for c in jar if c.name == "csrftoken")


class Command(BaseCommand):
    help = "Serve the site with gunicorn (debug off) and measure pages against a static file."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=8, help="Load time per address.")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
        parser.add_argument(
            "--enquiries", type=int, default=100_000, help="Enquiries for the admin timings."
        )
        parser.add_argument(
            "--only",
            default="pages,posts,uploads,admin,booking,reception",
            help=(
                "Comma-separated parts to run: pages, posts, uploads, admin, booking, "
                "reception (default: all)."
            ),
        )
        parser.add_argument(
            "--appointments",
            type=int,
            default=20_000,
            help="Appointments for the reception desk's timings.",
        )

    def handle(
        self,
        *args,
        seconds: int,
        connections: int,
        workers: int,
        enquiries: int,
        appointments: int,
        only: str,
        **options,
    ):
        parts = set(only.split(","))
        self.stdout.write("Preparing a production-like site under var/bench/ ...")
        env = prepare_site("bench", CONSULTATION_RATE_LIMIT="100000000")
        if parts & {"pages", "posts"}:
            self.measure_with_wrk(env, parts, seconds, connections, workers)
        if "uploads" in parts:
            self.report_uploads(self.measure_uploads(env, workers), workers)
        if "booking" in parts:
            self.measure_booking(env, seconds, connections, workers)
        if "admin" in parts:
            self.stdout.write(f"\nStaff side with {enquiries:,} enquiries (in-process) ...")
            self.report_admin(run_json(env, "bench_admin", "--enquiries", str(enquiries)))
        if "reception" in parts:
            self.stdout.write(
                f"\nReception desk with {enquiries:,} enquiries and {appointments:,} "
                "appointments over a year (in-process) ..."
            )
            self.report_reception(
                run_json(
                    env,
                    "bench_reception",
                    "--enquiries",
                    str(enquiries),
                    "--appointments",
                    str(appointments),
                )
            )

    def measure_with_wrk(self, env, parts, seconds, connections, workers) -> None:
        """Pages next to same-size static files, and form POSTs, under wrk."""
        wrk = self.ensure_wrk()
        bench_dir = Path(env["DJANGO_VAR_DIR"])
        static_root = Path(env["DJANGO_STATIC_ROOT"])
        port = free_port()
        # First run: learn each page's size, to write static files of the same sizes.
        with gunicorn(env, port, workers) as base:
            bodies = {label: fetch(base + path) for label, path in PAGES}
        sizes = {label: len(body) for label, body in bodies.items()}
        # What a compressing proxy (gzip, level 6) sends; Django itself sends HTML uncompressed.
        self.gzipped = {label: len(gzip.compress(body, 6)) for label, body in bodies.items()}
        self.queries = run_json(env, "bench_queries", *(path for _, path in PAGES))
        same_size = {label: same_size_file(static_root, size) for label, size in sizes.items()}

        rows, posts = [], {}
        # Behind a proxy, as in production: each form POST names a visitor of its own.
        with gunicorn(env | {"DJANGO_TRUST_X_FORWARDED_FOR": "1"}, port, workers) as base:
            for label, path in PAGES if "pages" in parts else []:
                fetch(base + path)  # warm the page cache, as a real site is
                page = self.load(wrk, base + path, seconds, connections)
                static = self.load(wrk, base + same_size[label], seconds, connections)
                rows.append((label, path, sizes[label], page, static))
            if "posts" in parts:
                posts = self.measure_posts(wrk, env, base, bench_dir, seconds, connections)
        if rows:
            self.report(rows, workers, connections, seconds)
        if posts:
            self.report_posts(posts, seconds)

    def measure_posts(self, wrk, env, base, bench_dir, seconds, connections) -> dict:
        """Form POST throughput with the email worker running against a quick SMTP server and
        against one that takes SLOW_SMTP_SECONDS per message: the visitor must not notice."""
        script = bench_dir / "post.lua"
        script.write_text(self.post_script(base))
        results = {}
        for label, delay in (
            ("quick SMTP", 0.0),
            (f"{SLOW_SMTP_SECONDS:.0f} s SMTP", SLOW_SMTP_SECONDS),
        ):
            with SlowSmtpServer(delay) as smtp, self.worker(env, smtp.port):
                # Two connections: latency at a steady load rather than at saturation, where
                # SQLite's one-writer lock dominates; the median of three runs, as p99 is noisy.
                runs = [
                    self.load(wrk, base + "/book/", seconds, 2, script=script) for _ in range(3)
                ]
                runs.sort(key=lambda run: run.p99_ms)
                results[label] = (runs[1], smtp.received)
        return results

    def post_script(self, base: str) -> str:
        """A wrk script sending a valid request with a CSRF cookie and token from a real GET,
        each from an address of its own (in X-Forwarded-For, as the proxy sends it): the rate
        limit counts each visitor's attempts, and a single address sending thousands would
        measure a limit no visitor reaches."""
        token, cookie = csrf_from(base + "/book/")
        day = datetime.date.today() + datetime.timedelta(days=3)
        while day.weekday() == 6:
            day += datetime.timedelta(days=1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "full_name": "Bench Visitor",
                "email": "visitor@bench.example",
                "phone": "07911 123456",
                "contact_method": "email",
                "enquiry_type": "laser_smp",
                "preferred_date_1": day.isoformat(),
                "preferred_time": "any",
                "consent": "on",
            }
        )
        return (
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(body)}\n"
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["Cookie"] = "csrftoken={cookie}"\n'
            # Each wrk thread numbers its requests; with its own id that makes each address
            # unique (private addresses, 10.0.0.0/8).
            "threads = 0\n"
            "function setup(thread) thread:set('id', threads); threads = threads + 1 end\n"
            "local sent = 0\n"
            "function request()\n"
            "  sent = sent + 1\n"
            "  local n = sent * 16 + id\n"
            '  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",\n'
            "    math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)\n"
            "  return wrk.format()\n"
            "end\n"
        )

    def measure_uploads(self, env: dict, workers: int) -> dict:
        """The worst request the form allows: three photos, each at the pixel and byte limits,
        for each format, timed, with the serving worker's peak memory and the health check's
        slowest answer while it runs."""
        import requests

        folder = Path(env["DJANGO_VAR_DIR"]) / "uploads"
        folder.mkdir(exist_ok=True)
        photos = {}
        for label, (image_format, mode) in UPLOAD_KINDS.items():
            started = time.monotonic()
            data = largest_allowed_photo(
                image_format=image_format,
                mode=mode,
                max_pixels=settings.ENQUIRY_PHOTO_MAX_PIXELS[image_format],
                max_bytes=settings.ENQUIRY_PHOTO_MAX_BYTES[image_format],
            )
            extension = image_format.lower().replace("jpeg", "jpg")
            path = folder / f"largest-{label.lower().replace('+', '-')}.{extension}"
            path.write_bytes(data)
            with Image.open(path) as image:
                size = image.size
            photos[label] = (extension, data, size)
            self.stdout.write(
                f"Generated the largest {label} allowed: {size[0]} x {size[1]}, "
                f"{len(data) / 1_048_576:.2f} MiB ({time.monotonic() - started:.0f} s)"
            )
        results = {}
        port = free_port()
        with gunicorn(env, port, workers) as base:
            session = requests.Session()
            page = session.get(base + "/book/", timeout=10).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
            form = {
                "csrfmiddlewaretoken": token,
                "full_name": "Bench Visitor",
                "email": "visitor@bench.example",
                "phone": "07911 123456",
                "contact_method": "email",
                "enquiry_type": "new_smp",
                "preferred_time": "any",
                "consent": "on",
            }
            # Every worker imports and compiles what the form needs once, as a live site has.
            small = largest_allowed_photo(
                image_format="JPEG", mode="RGB", max_pixels=100_000, max_bytes=50_000
            )
            for _ in range(2 * workers):
                session.post(
                    base + "/book/", data=form, files={"photos": ("warm.jpg", small)}, timeout=60
                )
            pids = gunicorn_worker_pids(port)
            for label, (extension, data, size) in photos.items():
                files = [("photos", (f"scalp-{n}.{extension}", data)) for n in range(3)]
                # Three runs: the median time (the machine may be busy with other work), the
                # worst memory and health check.
                runs = [self.post_once(session, base, form, files, pids) for _ in range(3)]
                runs.sort(key=lambda run: run["seconds"])
                results[label] = {
                    **runs[1],
                    "size": size,
                    "bytes": len(data),
                    # Any run without the thank-you redirect counts.
                    "status": next((r["status"] for r in runs if r["status"] != 302), 302),
                    "peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
                    "health_worst_s": max(run["health_worst_s"] for run in runs),
                    "health_checks": sum(run["health_checks"] for run in runs),
                    "health_failures": sum(run["health_failures"] for run in runs),
                }
        return results

    @staticmethod
    def post_once(session, base: str, form: dict, files: list, pids: list[int]) -> dict:
        """One POST, timed, with the serving worker's peak memory and CPU time, and the health
        check's slowest answer meanwhile."""
        import psutil
        import requests

        before = {pid: (rss_mib(pid), psutil.Process(pid).cpu_times()) for pid in pids}
        for pid in pids:
            reset_peak_rss(pid)
        with HealthPoller(base + "/healthz/web") as health:
            started = time.monotonic()
            try:
                status = session.post(
                    base + "/book/", data=form, files=files, timeout=300, allow_redirects=False
                ).status_code
            except requests.ConnectionError:  # the worker was killed (timeout, memory)
                status = 0
            seconds = time.monotonic() - started

        def cpu_seconds(pid: int) -> float:
            used, (_, earlier) = psutil.Process(pid).cpu_times(), before[pid]
            return used.user + used.system - earlier.user - earlier.system

        serving = max(pids, key=cpu_seconds)
        return {
            "status": status,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds(serving),
            "rss_before_mib": before[serving][0],
            "peak_rss_mib": peak_rss_mib(serving),
            "health_worst_s": health.worst,
            "health_checks": health.answered,
            "health_failures": health.failures,
        }

    def report_uploads(self, results: dict, workers: int) -> None:
        self.stdout.write(
            f"\nWorst allowed upload: one POST of three photos at the pixel and byte limits, "
            f"gunicorn {workers} sync workers, /healthz/web polled meanwhile:"
        )
        header = (
            f"{'photos':<14}{'pixels':>11}{'MiB':>6}{'status':>8}{'seconds':>9}{'CPU s':>7}"
            f"{'MiB before':>12}{'peak MiB':>10}{'health worst ms':>17}{'checks':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        missed = []
        for label, result in results.items():
            width, height = result["size"]
            self.stdout.write(
                f"{'3 ' + label:<14}{f'{width}x{height}':>11}"
                f"{result['bytes'] / 1_048_576:>6.1f}{result['status']:>8}"
                f"{result['seconds']:>9.2f}{result['cpu_seconds']:>7.2f}"
                f"{result['rss_before_mib']:>12.0f}"
                f"{result['peak_rss_mib']:>10.0f}{result['health_worst_s'] * 1000:>17.0f}"
                f"{result['health_checks']:>8}"
            )
            if result["status"] != 302:
                missed.append(
                    f"{label}: answered {result['status'] or 'nothing'}, not the thank-you"
                )
            if result["seconds"] >= UPLOAD_TARGET_SECONDS:
                missed.append(f"{label}: {result['seconds']:.1f} s")
            if result["peak_rss_mib"] >= UPLOAD_TARGET_MIB:
                missed.append(f"{label}: {result['peak_rss_mib']:.0f} MiB")
            if result["health_failures"] or result["health_worst_s"] >= HEALTH_TARGET_SECONDS:
                missed.append(
                    f"{label}: health check {result['health_worst_s']:.2f} s, "
                    f"{result['health_failures']} failed"
                )
        self.stdout.write(
            "seconds: median of three runs; CPU s: the serving worker's in that run; MiB before: "
            "its resident memory before it; peak MiB and health worst: over all three runs."
        )
        self.stdout.write(
            f"Targets: under {UPLOAD_TARGET_SECONDS:.0f} s and {UPLOAD_TARGET_MIB} MiB peak "
            f"resident memory in the serving worker; health check within "
            f"{HEALTH_TARGET_SECONDS:.0f} s throughout."
        )
        self.verdict(missed)

    def verdict(self, missed: list[str]) -> None:
        """A part's last line: the targets it missed, or that it met them all."""
        if missed:
            self.stdout.write(self.style.WARNING("Below target: " + "; ".join(missed)))
        else:
            self.stdout.write(self.style.SUCCESS("All targets met."))

    def worker(self, env: dict, smtp_port: int):
        worker_env = {
            **env,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        }

        class Worker:
            def __enter__(self):
                # At the niceness its systemd unit gives it (deploy/systemd).
                self.process = subprocess.Popen(
                    [sys.executable, "manage.py", "notification_worker", "--interval", "0.5"],
                    env=worker_env,
                    cwd=settings.BASE_DIR,
                    stdout=subprocess.DEVNULL,
                    preexec_fn=lambda: os.nice(WORKER_NICENESS),
                )
                return self

            def __exit__(self, *exc):
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:  # blocked on a slow SMTP conversation
                    self.process.kill()
                    self.process.wait()

        return Worker()

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

    @staticmethod
    def load(wrk: str, url: str, seconds: int, connections: int, script=None) -> Result:
        extra = ["-s", str(script)] if script else []
        output = subprocess.run(
            [wrk, "--latency", "-t2", f"-c{connections}", f"-d{seconds}s", *extra, url],
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
            f"{'page':<14}{'bytes':>8}{'gzip':>7}{'SQL':>7}{'req/s':>8}{'p50 ms':>8}"
            f"{'p99 ms':>8}{'static req/s':>14}{'static p99':>12}{'ratio':>7}{'errors':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        missed = []
        for label, path, size, page, static in rows:
            ratio = page.requests_per_second / static.requests_per_second
            first, cached = self.queries[path]
            self.stdout.write(
                f"{label:<14}{size:>8}{self.gzipped[label]:>7}{f'{first}/{cached}':>7}"
                f"{page.requests_per_second:>8.0f}{page.p50_ms:>8.2f}{page.p99_ms:>8.2f}"
                f"{static.requests_per_second:>14.0f}{static.p99_ms:>12.2f}{ratio:>7.0%}"
                f"{page.errors + static.errors:>8}"
            )
            if label in TARGETS and ratio < TARGETS[label]:
                missed.append(
                    f"{label}: {ratio:.0%} of the static file (target {TARGETS[label]:.0%})"
                )
        self.stdout.write(
            "SQL: queries on a page's first view / on a cached view (the cached view is what the "
            "load measures). gzip: bytes a compressing proxy sends."
        )
        for label, target in TARGETS.items():
            self.stdout.write(
                f"Target: {label} page at >= {target:.0%} of the static file's req/s."
            )
        self.verdict(missed)

    def report_posts(self, posts: dict, seconds: int) -> None:
        self.stdout.write(
            "\nForm POST (each stores an enquiry and two emails; the worker sends them):"
        )
        header = f"{'SMTP server':<14}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'emails sent':>13}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, (result, received) in posts.items():
            self.stdout.write(
                f"{label:<14}{result.requests_per_second:>10.0f}{result.p50_ms:>9.2f}"
                f"{result.p99_ms:>9.2f}{received:>13}"
            )
        (quick, _), (slow, _) = posts.values()
        change = slow.p99_ms / quick.p99_ms - 1
        self.stdout.write(
            f"Target: form POST p99 unchanged with a {SLOW_SMTP_SECONDS:.0f} s SMTP server "
            f"(measured {change:+.0%})."
        )

    def report_admin(self, admin: dict) -> None:
        self.stdout.write(
            f"Admin enquiry list: median {admin['changelist_median_s'] * 1000:.0f} ms, "
            f"slowest {admin['changelist_max_s'] * 1000:.0f} ms (target under 500 ms)"
        )
        self.stdout.write(
            f"CSV export of {admin['export_rows']:,} enquiries: {admin['export_s']:.1f} s, "
            f"{admin['export_bytes'] / 1_048_576:.1f} MiB streamed, "
            f"peak Python memory {admin['export_peak_mib']:.1f} MiB"
        )

    def report_reception(self, reception: dict) -> None:
        self.stdout.write(
            f"{reception['enquiries']:,} enquiries, {reception['appointments']:,} appointments, "
            f"{reception['appointments_today']} of them today."
        )
        self.stdout.write(f"{'page':<42} {'median':>8} {'slowest':>8} {'queries':>8} {'empty':>6}")
        missed = []
        for label, row in reception["pages"].items():
            empty = row.get("queries_empty", "")
            self.stdout.write(
                f"{label:<42} {row['median_s'] * 1000:>6.0f}ms {row['max_s'] * 1000:>6.0f}ms "
                f"{row['queries']:>8} {empty:>6}"
            )
            if row["max_s"] >= row["target_s"]:
                missed.append(f"{label}: {row['max_s'] * 1000:.0f} ms")
            if empty != "" and empty != row["queries"]:
                missed.append(f"{label}: {row['queries']} queries, {empty} on an empty day")
        self.stdout.write(
            "Targets: the home, day view and week grid each under 300 ms, the report over a "
            "year under 1 s (slowest of 5); the same queries on a full day as on an empty one."
        )
        self.verdict(missed)

    def measure_booking(self, env: dict, seconds: int, connections: int, workers: int) -> None:
        """A busy clinic's times page (three practitioners, 2,000 appointments over 31 days):
        its SQL queries and the free-time computation in-process, its requests per second
        under wrk next to a static file of the same size, then booking POSTs while the email
        worker sends what they queue."""
        wrk = self.ensure_wrk()
        self.stdout.write("\nBooking: a busy clinic, measured in-process, then under wrk ...")
        busy = run_json(env, "bench_booking")
        static = same_size_file(Path(env["DJANGO_STATIC_ROOT"]), busy["page_bytes"])
        database = Path(env["DJANGO_VAR_DIR"]) / "db.sqlite3"
        # Behind a proxy, as in production: each booking POST names its visitor's address.
        env = env | {"DJANGO_TRUST_X_FORWARDED_FOR": "1"}
        port = free_port()
        with gunicorn(env, port, workers) as base:
            fetch(base + busy["path"])
            page = self.load(wrk, base + busy["path"], seconds, connections)
            same_size = self.load(wrk, base + static, seconds, connections)
            before = appointments_in(database)
            with SlowSmtpServer(0.0) as smtp, self.worker(env, smtp.port) as worker:
                web = gunicorn_worker_pids(port)
                # The first bookings find each worker cold (code, templates and connections
                # loaded on first use, all connections arriving at once): they warm it up,
                # uncounted, as the long runs of wrk above make their first seconds count for
                # nothing.
                warm_up, bookable = busy["bookable"][:connections], busy["bookable"][connections:]
                book_under_load(base, warm_up, connections=connections, seconds=seconds)
                # The worker is a long-running process: measure it sending, not starting (loading
                # Django took half a second of CPU inside the measured window). Once it has sent
                # its first email it is working through the warm-up's, and then the bookings'.
                wait_until_sending(smtp, timeout=60)
                sent_before = smtp.received
                started = cpu_seconds([*web, worker.process.pid, os.getpid()])
                posts = book_under_load(
                    base,
                    bookable,
                    connections=connections,
                    seconds=seconds,
                    first_visitor=connections,
                )
                spent = cpu_seconds([*web, worker.process.pid, os.getpid()])
                emails = smtp.received - sent_before
            booked = appointments_in(database) - before
        cpu = {
            "web workers": sum(spent[pid] - started[pid] for pid in web),
            "email worker": spent[worker.process.pid] - started[worker.process.pid],
            "load client": spent[os.getpid()] - started[os.getpid()],
        }
        self.report_booking(busy, page, same_size, posts, booked, emails, connections, cpu)

    def report_booking(
        self,
        busy: dict,
        page: Result,
        static: Result,
        posts: BookingLoad,
        booked: int,
        emails: int,
        connections: int,
        cpu: dict[str, float],
    ) -> None:
        queries, timings = busy["queries"], busy["free_times_ms"]
        counts = sorted(queries, key=int)
        self.stdout.write(
            f"\n{busy['path']}: Restoration U with {busy['practitioners']} practitioners, "
            f"{busy['appointments']:,} appointments over {busy['days']} days"
        )
        self.stdout.write(
            "SQL queries per request (first view / cached view): "
            + ", ".join(
                f"{'/'.join(map(str, queries[count]))} with {int(count):,} appointments"
                for count in counts
            )
        )
        free_queries = busy["free_times_queries"]
        self.stdout.write(
            "SQL queries of free_times: "
            + ", ".join(
                f"{free_queries[count]} with {int(count):,} appointments" for count in counts
            )
        )
        self.stdout.write(
            f"free_times over {busy['days']} days in-process (its queries and the computation), "
            f"median of {busy['runs']}: "
            + ", ".join(f"{timings[count]:.1f} ms with {int(count):,}" for count in counts)
        )
        ratio = page.requests_per_second / static.requests_per_second
        header = (
            f"{'':<16}{'bytes':>8}{'times':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
            f"{'static req/s':>14}{'ratio':>7}{'errors':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'times page':<16}{busy['page_bytes']:>8}{busy['times_on_page']:>7}"
            f"{page.requests_per_second:>8.0f}{page.p50_ms:>8.2f}{page.p99_ms:>8.2f}"
            f"{static.requests_per_second:>14.0f}{ratio:>7.0%}{page.errors + static.errors:>8}"
        )
        self.stdout.write(
            f"{'booking POST':<16}{'':>8}{'':>7}{posts.requests_per_second:>8.0f}"
            f"{posts.p50_ms:>8.2f}{posts.p99_ms:>8.2f}{'':>14}{'':>7}{posts.errors:>8}"
        )
        self.stdout.write(
            f"Booking POSTs: {connections} connections, the email worker sending (quick SMTP "
            f"server): {posts.sent} sent in {posts.seconds:.1f} s after {connections} to warm up, "
            f"{booked} booked of {len(busy['bookable'])} free times offered, answers "
            f"{dict(sorted(posts.statuses.items()))}, {emails} emails sent meanwhile."
        )
        self.stdout.write(
            f"CPU per booking POST (the {os.cpu_count()} cores give each one "
            f"{os.cpu_count() * 1000 / posts.requests_per_second:.1f} ms at this rate): "
            + ", ".join(
                f"{name} {seconds * 1000 / posts.sent:.1f} ms" for name, seconds in cpu.items()
            )
        )
        worst = max(timings.values())
        missed = []
        if ratio < TIMES_PAGE_TARGET:
            missed.append(f"times page at {ratio:.0%} of the static file")
        if worst >= FREE_TIMES_TARGET_MS:
            missed.append(f"free_times {worst:.1f} ms")
        if posts.p99_ms >= BOOKING_POST_TARGET_MS:
            missed.append(f"booking POST p99 {posts.p99_ms:.0f} ms")
        if len({tuple(count) for count in queries.values()}) > 1:
            missed.append("the times page's queries grow with the appointments")
        most = max(free_queries.values())
        if len(set(free_queries.values())) > 1 or most > FREE_TIMES_MAX_QUERIES:
            missed.append(f"free_times reads in up to {most} queries")
        self.stdout.write(
            f"Targets: times page >= {TIMES_PAGE_TARGET:.0%} of the static file's req/s; "
            f"free_times under {FREE_TIMES_TARGET_MS} ms; booking POST p99 under "
            f"{BOOKING_POST_TARGET_MS} ms; the same queries whatever the appointments, at most "
            f"{FREE_TIMES_MAX_QUERIES} for the free times."
        )
        self.verdict(missed)


def largest_allowed_photo(
    *, image_format: str, mode: str, max_pixels: int, max_bytes: int
) -> bytes:
    """A 4:3 photo of at most `max_pixels` pixels whose file is close under `max_bytes`: a smooth
    gradient with as many rows of random noise (seeded, so every run posts the same file) as the
    byte limit leaves room for, as near as a few attempts find (a WebP's size jumps with its
    transparency's encoding). Both limits at once is the most work a decoder can be given."""
    width = math.isqrt(max_pixels * 4 // 3)
    height = max_pixels // width
    seed = f"{image_format}-{mode}-{max_pixels}-{max_bytes}"
    options = {
        "JPEG": {"quality": 95},
        "PNG": {"compress_level": 1},
        # The fastest WebP method: this is a test file, and it keeps generation quick.
        "WEBP": {"quality": 95, "method": 0},
    }[image_format]

    def encode(noise_rows: int) -> bytes:
        image = Image.linear_gradient("L").resize((width, height)).convert(mode)
        if noise_rows:
            noise = random.Random(seed).randbytes(width * noise_rows * len(mode))
            image.paste(Image.frombytes(mode, (width, noise_rows), noise), (0, 0))
        buffer = io.BytesIO()
        image.save(buffer, image_format, **options)
        return buffer.getvalue()

    # The noise decides the size, roughly in proportion: start from what a strip of it weighs,
    # then halve the interval between the most rows that fitted and the fewest that did not
    # (each attempt is a whole encode, slow for a WebP).
    strip = 64
    sample = Image.frombytes(
        mode, (width, strip), random.Random(seed).randbytes(width * strip * len(mode))
    )
    buffer = io.BytesIO()
    sample.save(buffer, image_format, **options)
    best = encode(0)
    if len(best) > max_bytes:
        raise CommandError(f"Even a plain {image_format} of this size is over {max_bytes} bytes")
    fits, too_many = 0, height + 1
    rows = min(height, int(0.95 * max_bytes * strip / len(buffer.getvalue())))
    for _ in range(8):
        data = encode(rows)
        if len(data) > max_bytes:
            too_many = rows
        elif rows > fits:
            fits, best = rows, data
            if len(data) >= 0.95 * max_bytes or rows == height:
                break
        rows = (fits + too_many) // 2
        if rows <= fits:
            break
    return best


def appointments_in(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT COUNT(*) FROM bookings_appointment").fetchone()[0]


def wait_until_sending(smtp: "SlowSmtpServer", *, timeout: float) -> None:
    """Until the email worker has sent its first email: started, and working through what the
    warm-up queued."""
    deadline = time.monotonic() + timeout
    while not smtp.received:
        if time.monotonic() > deadline:
            raise CommandError(f"The email worker sent nothing in {timeout} seconds")
        time.sleep(0.01)


def gunicorn_worker_pids(port: int) -> list[int]:
    """The worker processes of the gunicorn this command started on `port`."""
    import psutil

    for child in psutil.Process().children():
        if "gunicorn" in " ".join(child.cmdline()) and f"127.0.0.1:{port}" in child.cmdline():
            return [worker.pid for worker in child.children()]
    raise CommandError(f"No gunicorn found serving port {port}")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Each process's CPU time so far (user and system)."""
    import psutil

    return {pid: sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids}


def rss_mib(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 1_048_576


def reset_peak_rss(pid: int) -> None:
    """Start the kernel's record of the process's peak resident memory (VmHWM) afresh."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory since the last reset, as the kernel recorded it: exact,
    where sampling could miss a short peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise CommandError(f"No VmHWM for process {pid}")


class HealthPoller:
    """Asks `url` over and over (a fresh connection each time, as a proxy's checker does) until
    the block ends, keeping the slowest answer and the failures."""

    def __init__(self, url: str, pause: float = 0.05):
        self.url = url
        self.pause = pause
        self.worst = 0.0
        self.answered = 0
        self.failures = 0
        self._stop = threading.Event()

    def poll(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                fetch(self.url)
                self.answered += 1
            except OSError:
                self.failures += 1
            self.worst = max(self.worst, time.monotonic() - started)
            self._stop.wait(self.pause)

    def __enter__(self):
        self._thread = threading.Thread(target=self.poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class SlowSmtpServer:
    """A loopback SMTP server (aiosmtpd) that takes `delay` seconds to accept each message."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received = 0
        self.port = free_port()

    def __enter__(self):
        from aiosmtpd.controller import Controller

        # A worker stopped mid-conversation is expected here; aiosmtpd would log each one.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                await asyncio.sleep(server.delay)
                server.received += 1
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
