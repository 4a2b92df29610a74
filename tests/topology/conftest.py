"""The production topology on one machine, for `make prod-smoke`: two gunicorn instances and
two email workers, started from the Procfile with debug off, against the machine's PostgreSQL
(through a TCP proxy of our own that can cut it off), Redis, an S3 server and a loopback SMTP
server. Collected only when PROD_SMOKE=1, so `make test` never starts it."""

import json
import os
import shutil
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
from django.conf import settings

from tests.support import SmtpSink, free_port
from tests.topology import harness

ROOT = Path(settings.BASE_DIR)
WORK = ROOT / "var" / "prod-smoke"
POSTGRES = os.environ.get("PROD_SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("PROD_SMOKE_REDIS", "redis://127.0.0.1:6379/14")
DATABASE = "restoration_prod_smoke"
LEASE_SECONDS = 10
RATE_LIMIT = 5
STAFF_PASSWORD = "smoke-" + uuid.uuid4().hex
# The figures the closing report prints, filled in by the tests.
FIGURES: dict[str, object] = {}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PROD_SMOKE") == "1":
        return
    keep = [item for item in items if "tests/topology/" not in item.nodeid]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("production topology figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
        (WORK / "figures.json").write_text(json.dumps(FIGURES, indent=2) + "\n")


def postgres_admin(sql: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


class Topology:
    def __init__(self):
        shutil.rmtree(WORK, ignore_errors=True)
        (WORK / "logs").mkdir(parents=True)
        self.procfile = harness.read_procfile(ROOT / "Procfile")
        postgres = urlsplit(POSTGRES)
        self.proxy = harness.TcpProxy((postgres.hostname, postgres.port or 5432))
        self.smtp = SmtpSink()
        self.smtp.start()
        self.s3_port = free_port()
        self.processes: dict[str, harness.SiteProcess] = {}
        self.web_ports = {"web-a": free_port(), "web-b": free_port()}
        self.bucket = f"restoration-smoke-{uuid.uuid4().hex[:8]}"
        postgres_user = postgres.username or "postgres"
        self.direct_database_url = f"{POSTGRES}/{DATABASE}"
        # Only what a server's environment would hold: nothing leaks in from the test run's
        # own settings (pytest sets test-only values such as ADMIN_REQUIRE_2FA=0).
        self.env = {
            **{k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "LC_ALL", "TZ")},
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "DJANGO_DEBUG": "0",
            "ADMIN_REQUIRE_2FA": "1",
            "DJANGO_SECRET_KEY": "prod-smoke-only-" + uuid.uuid4().hex * 2,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain http on loopback: the TLS-related defaults would redirect every request.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_VAR_DIR": str(WORK / "var"),
            "DJANGO_STATIC_ROOT": str(WORK / "static"),
            "DJANGO_SITE_URL": f"http://127.0.0.1:{self.web_ports['web-a']}",
            "DJANGO_LOG_LEVEL": "INFO",
            "DATABASE_URL": (f"postgres://{postgres_user}@127.0.0.1:{self.proxy.port}/{DATABASE}"),
            "DJANGO_DB_CONNECT_TIMEOUT": "3",
            "REDIS_URL": REDIS,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_TIMEOUT": "5",
            # Every visitor arrives through the proxy, which names them in X-Forwarded-For.
            "DJANGO_TRUST_X_FORWARDED_FOR": "1",
            "CONSULTATION_RATE_LIMIT": str(RATE_LIMIT),
            "CONSULTATION_RATE_WINDOW_SECONDS": "600",
            "NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "S3_ADDRESSING_STYLE": "path",
            "S3_REGION": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "smoke-test-key",
            "AWS_SECRET_ACCESS_KEY": "smoke-test-secret",
            "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD,
        }

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.web_ports[name]}"

    def start(self) -> None:
        self.s3 = harness.SiteProcess(
            "s3",
            f"moto_server -H 127.0.0.1 -p {self.s3_port}",
            self.env,
            ROOT,
            WORK / "logs",
        )
        harness.wait_until(
            lambda: harness.http_status(f"http://127.0.0.1:{self.s3_port}/")[0] == 200,
            timeout=30,
            what="the S3 server",
        )
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.env["S3_ENDPOINT_URL"],
            region_name="eu-west-2",
            aws_access_key_id="smoke-test-key",
            aws_secret_access_key="smoke-test-secret",
        ).create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        redis.Redis.from_url(REDIS).flushdb()
        postgres_admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        postgres_admin(f'CREATE DATABASE "{DATABASE}"')
        harness.run(self.procfile["release"], self.env, ROOT)
        self.manage("createsuperuser", "--noinput", "--username", "smoke-admin",
                    "--email", "smoke-admin@restoration-u.example")  # fmt: skip
        enrolment = self.manage("enrol_totp", "smoke-admin")
        self.totp_secret = enrolment.split("secret=")[1].split("&")[0]
        for name, port in self.web_ports.items():
            self.start_process(name, self.procfile["web"], WEB_CONCURRENCY="2",
                               GUNICORN_BIND=f"127.0.0.1:{port}")  # fmt: skip
        for name in ("worker-1", "worker-2"):
            self.start_process(name, self.procfile["worker"])
        for name in self.web_ports:
            harness.wait_until(
                lambda name=name: harness.http_status(f"{self.url(name)}/healthz")[0] == 200,
                timeout=60,
                what=f"{name} answering /healthz",
            )
        self.start_proxy()

    def start_proxy(self) -> None:
        """Caddy with the deployment's own site file in front of both instances; only the
        global options a loopback test needs are added around it."""
        if shutil.which("caddy") is None:
            raise RuntimeError("make prod-smoke needs Caddy: apt-get install caddy")
        self.proxy_port = free_port()
        config = WORK / "Caddyfile"
        config.write_text(f"{{\n\tadmin off\n}}\nimport {ROOT / 'deploy' / 'Caddyfile'}\n")
        upstreams = " ".join(f"127.0.0.1:{port}" for port in self.web_ports.values())
        self.start_process(
            "caddy",
            f"caddy run --adapter caddyfile --config {config}",
            SITE_ADDRESS=f"http://127.0.0.1:{self.proxy_port}",
            WEB_UPSTREAMS=upstreams,
            HOME=str(WORK),
            XDG_DATA_HOME=str(WORK / "caddy-data"),
            XDG_CONFIG_HOME=str(WORK / "caddy-config"),
        )
        harness.wait_until(
            lambda: harness.http_status(f"{self.proxy_url}/healthz/web")[0] == 200,
            timeout=30,
            what="Caddy answering",
        )

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def start_process(self, name: str, command: str, **env: str) -> None:
        self.processes[name] = harness.SiteProcess(
            name, command, {**self.env, **env}, ROOT, WORK / "logs"
        )

    def manage(self, *args: str, **env: str) -> str:
        return harness.run([sys.executable, "manage.py", *args], self.env | env, ROOT)

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.s3.stop()
        self.smtp.stop()
        self.proxy.stop()
        postgres_admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@pytest.fixture(scope="session")
def topology():
    site = Topology()
    try:
        site.start()
        yield site
    finally:
        site.stop()
