"""The settings module read afresh under different environments, and the site started with
production's variables. What a setting does is proven where it acts (the headers a response
carries, the buckets an upload reaches, the server gunicorn runs); here are the parsing, the
refusals of a wrong value, and what no other test reaches."""

import os
import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.support import PRODUCTION, PROJECT_VARIABLES, ROOT, SmtpSink, clean_environment, manage

SETTINGS_FILE = ROOT / "restoration_site" / "settings.py"


@pytest.fixture
def load_settings(monkeypatch):
    """Execute settings.py with exactly the given project variables set."""

    def load(**variables: str) -> dict:
        for name in list(os.environ):
            if name.startswith(PROJECT_VARIABLES):
                monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_debug_mode_runs_without_a_secret_key(load_settings):
    loaded = load_settings(DJANGO_DEBUG="1")
    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"].startswith("django-insecure")


def test_a_boolean_variable_with_a_typo_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 0 or 1"):
        load_settings(DJANGO_DEBUG="maybe")


def test_allowed_hosts_and_trusted_origins_are_comma_separated_lists(load_settings):
    loaded = load_settings(
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "a.example, b.example"},
        DJANGO_CSRF_TRUSTED_ORIGINS="https://a.example",
    )
    assert loaded["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["https://a.example"]


def test_a_tls_terminating_proxy_can_be_trusted(load_settings):
    loaded = load_settings(**PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="1")
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def run_manage(*args: str, **variables: str):
    """manage.py with only the given project variables set; its result, whatever it is."""
    return manage(*args, env=clean_environment() | variables, check=False)


def test_manage_py_refuses_to_start_without_a_secret_key_in_one_line():
    result = run_manage("check")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY is not set: set it (50+ random characters) "
        "or set DJANGO_DEBUG=1."
    ]


def test_deployment_checks_are_clean_with_production_variables():
    # Django's deployment checks warn about an SSL redirect, HSTS (with subdomains and
    # preload) or secure cookies left off: production has them all on by default.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# DEVELOPMENT TOOLS: installed with debug or DJANGO_DEVTOOLS=1, never in production

DEVTOOLS_COMMANDS = {
    "bench",
    "bench_admin",
    "bench_booking",
    "bench_queries",
    "audit_pages",
    "audit_dependencies",
    "seed_demo",
}


def management_commands(**variables) -> set[str]:
    result = run_manage("help", "--commands", **variables)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_production_manage_py_offers_none_of_the_development_commands():
    commands = management_commands(**PRODUCTION)
    assert "purge_expired_enquiries" in commands
    assert commands & DEVTOOLS_COMMANDS == set()


def test_asking_for_the_development_tools_offers_their_commands():
    assert management_commands(**PRODUCTION, DJANGO_DEVTOOLS="1") >= DEVTOOLS_COMMANDS


def test_production_mail_goes_through_the_smtp_server_the_environment_names():
    server = SmtpSink(accounts={"mailer": "a-mail-password"})
    server.start()
    try:
        result = run_manage(
            "sendtestemail",
            "casey@client.example",
            **PRODUCTION,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
            EMAIL_HOST_USER="mailer",
            EMAIL_HOST_PASSWORD="a-mail-password",
            DEFAULT_FROM_EMAIL="Clinic <clinic@restoration-u.example>",
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    (delivery,) = server.deliveries
    assert delivery.recipients == ["casey@client.example"]
    assert delivery.message["From"] == "Clinic <clinic@restoration-u.example>"
    assert server.signed_in == ["mailer"]


# UPLOADED MEDIA: local disk, or S3-compatible object storage when S3_BUCKET is set

S3 = {**PRODUCTION, "S3_BUCKET": "clinic-media"}


def public_options(loaded: dict) -> dict:
    return loaded["STORAGES"]["default"]["OPTIONS"]


def private_options(loaded: dict) -> dict:
    return loaded["STORAGES"]["private"]["OPTIONS"]


def test_a_private_bucket_without_a_public_one_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="S3_PRIVATE_BUCKET is set without S3_BUCKET"):
        load_settings(DJANGO_DEBUG="1", S3_PRIVATE_BUCKET="clinic-health-data")


def test_a_signed_url_lifetime_beyond_what_s3_allows_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="S3_SIGNED_URL_SECONDS must be between"):
        load_settings(**S3, S3_SIGNED_URL_SECONDS="0")


def test_an_unknown_addressing_style_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="S3_ADDRESSING_STYLE must be auto, path"):
        load_settings(**S3, S3_ADDRESSING_STYLE="subdomain")


def test_a_bucket_with_acls_disabled_gets_uploads_that_name_no_acl(load_settings):
    loaded = load_settings(**S3, S3_PUBLIC_ACL="")
    assert public_options(loaded)["default_acl"] is None
    assert private_options(loaded)["default_acl"] is None


def test_a_cdn_domain_serves_public_uploads_but_never_enquiry_photos(load_settings):
    loaded = load_settings(**S3, S3_CUSTOM_DOMAIN="media.restoration-u.example")
    assert public_options(loaded)["custom_domain"] == "media.restoration-u.example"
    assert "custom_domain" not in private_options(loaded)


def test_object_storage_turns_off_django_serving_uploads(load_settings):
    assert load_settings(**S3, DJANGO_SERVE_MEDIA="1")["SERVE_MEDIA"] is False


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"S3_ADDRESSING_STYLE": "virtual"},
        {"S3_ADDRESSING_STYLE": "path", "S3_REGION": "eu-west-1"},
        {"S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_ADDRESSING_STYLE": "path"},
        {"S3_ENDPOINT_URL": "https://account.r2.cloudflarestorage.com", "S3_REGION": "auto"},
        {"S3_PRIVATE_BUCKET": "clinic-health-data", "S3_ADDRESSING_STYLE": "virtual"},
        {"S3_CUSTOM_DOMAIN": "media.restoration-u.example"},
    ],
    ids=["aws", "aws-virtual", "aws-path", "minio", "r2", "private-bucket", "cdn"],
)
def test_the_policy_allows_images_from_wherever_the_storages_urls_point(
    load_settings, monkeypatch, variables
):
    from urllib.parse import urlsplit

    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    loaded = load_settings(**S3, **variables)
    allowed = loaded["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    for alias in ("default", "private"):
        url = urlsplit(S3Storage(**loaded["STORAGES"][alias]["OPTIONS"]).url("photo.jpg"))
        assert f"{url.scheme}://{url.netloc}" in allowed, alias


def test_deployment_checks_are_clean_with_object_storage():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **S3)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_in_production_public_uploads_on_local_disk_are_served_by_the_site(load_settings):
    assert load_settings(**PRODUCTION)["SERVE_MEDIA"] is True


# THE PRODUCTION TOPOLOGY: logs, Redis and PostgreSQL give up within seconds


def test_an_unknown_log_format_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT must be json or text"):
        load_settings(**PRODUCTION, DJANGO_LOG_FORMAT="xml")


def test_redis_gives_up_within_seconds(load_settings):
    cache = load_settings(**PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/2")["CACHES"]["default"]
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 10
    assert cache["OPTIONS"]["socket_timeout"] <= 10


def test_postgresql_gives_up_connecting_after_five_seconds_by_default(load_settings):
    database = load_settings(**PRODUCTION, DATABASE_URL="postgres://clinic@db.example/clinic")
    assert database["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5
