"""The settings module read afresh under different environments."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "restoration_site" / "settings.py"
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
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k8#Zp2vQ7rT!mW4xL9nB3cF6hJ1sD5gY0uE8aR2tK7wQ4zX6vN9bM3",
    "DJANGO_ALLOWED_HOSTS": "www.restoration-u.example",
}


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(PROJECT_VARIABLES)}


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


def test_debug_is_off_when_the_variable_is_missing(load_settings):
    assert load_settings(**PRODUCTION)["DEBUG"] is False


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        load_settings()


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


def test_the_default_database_is_sqlite_under_var_tuned_for_several_workers(load_settings):
    database = load_settings(DJANGO_DEBUG="1")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == Path(django_settings.BASE_DIR) / "var" / "db.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 5


def test_a_postgres_url_selects_postgresql(load_settings):
    database = load_settings(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://clinic:secret@db.example:5433/clinic"
    )["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.example", 5433, "clinic")
    assert database["USER"] == "clinic"


def test_redis_url_selects_the_shared_redis_cache(load_settings):
    cache = load_settings(DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/2")["CACHES"]
    assert cache["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["default"]["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_development_mail_is_written_to_files_under_var(load_settings):
    loaded = load_settings(DJANGO_DEBUG="1")
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert Path(loaded["EMAIL_FILE_PATH"]).parent.name == "var"


def test_production_mail_uses_smtp_with_the_django_setting_names(load_settings):
    loaded = load_settings(
        **PRODUCTION,
        EMAIL_HOST="smtp.example",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="mailer",
        EMAIL_HOST_PASSWORD="pw",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Clinic <clinic@restoration-u.example>",
    )
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("smtp.example", 587)
    assert (loaded["EMAIL_HOST_USER"], loaded["EMAIL_HOST_PASSWORD"]) == ("mailer", "pw")
    assert loaded["EMAIL_USE_TLS"] is True
    assert loaded["DEFAULT_FROM_EMAIL"] == "Clinic <clinic@restoration-u.example>"


def test_transport_security_is_on_by_default_when_debug_is_off(load_settings):
    loaded = load_settings(**PRODUCTION)
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert loaded["SECURE_HSTS_PRELOAD"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert "SECURE_PROXY_SSL_HEADER" not in loaded


def test_transport_security_can_be_switched_off_for_a_loopback_test(load_settings):
    loaded = load_settings(
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="0",
    )
    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 0
    assert loaded["SECURE_HSTS_PRELOAD"] is False
    assert loaded["SESSION_COOKIE_SECURE"] is False


def test_a_tls_terminating_proxy_can_be_trusted(load_settings):
    loaded = load_settings(**PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="1")
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def run_manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**clean_environment(), **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_refuses_to_start_without_a_secret_key_in_one_line():
    result = run_manage("check")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY is not set: set it (50+ random characters) "
        "or set DJANGO_DEBUG=1."
    ]


def test_deployment_checks_are_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# DEVELOPMENT TOOLS: installed with debug or DJANGO_DEVTOOLS=1, never in production

DEVTOOLS_APP = "restoration_site.devtools"
DEVTOOLS_COMMANDS = {
    "bench",
    "bench_admin",
    "bench_queries",
    "audit_pages",
    "audit_dependencies",
    "seed_demo",
}


def test_production_installs_none_of_the_development_tools(load_settings):
    assert DEVTOOLS_APP not in load_settings(**PRODUCTION)["INSTALLED_APPS"]


@pytest.mark.parametrize(
    "variables",
    [{"DJANGO_DEBUG": "1"}, {**PRODUCTION, "DJANGO_DEVTOOLS": "1"}],
    ids=["debug", "asked-for"],
)
def test_the_development_tools_are_installed_in_debug_or_when_asked_for(load_settings, variables):
    assert DEVTOOLS_APP in load_settings(**variables)["INSTALLED_APPS"]


def test_production_manage_py_offers_none_of_the_development_commands():
    result = run_manage("help", "--commands", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    commands = set(result.stdout.split())
    assert "purge_expired_enquiries" in commands
    assert commands & DEVTOOLS_COMMANDS == set()


# UPLOADED MEDIA: local disk, or S3-compatible object storage when S3_BUCKET is set

S3 = {**PRODUCTION, "S3_BUCKET": "clinic-media"}


def public_options(loaded: dict) -> dict:
    return loaded["STORAGES"]["default"]["OPTIONS"]


def private_options(loaded: dict) -> dict:
    return loaded["STORAGES"]["private"]["OPTIONS"]


def test_without_a_bucket_public_uploads_stay_on_local_disk(load_settings):
    storages = load_settings(DJANGO_DEBUG="1")["STORAGES"]
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_without_a_bucket_enquiry_photos_stay_in_a_private_folder_with_no_url(load_settings):
    loaded = load_settings(DJANGO_DEBUG="1")
    private = loaded["STORAGES"]["private"]
    assert private["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert private["OPTIONS"] == {"location": loaded["PRIVATE_MEDIA_ROOT"], "base_url": None}


def test_without_a_bucket_images_come_only_from_the_site(load_settings):
    policy = load_settings(DJANGO_DEBUG="1")["CONTENT_SECURITY_POLICY"]
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "data:"]


def test_static_files_stay_with_whitenoise_whatever_holds_the_uploads(load_settings):
    for variables in (PRODUCTION, S3):
        storages = load_settings(**variables)["STORAGES"]
        assert storages["staticfiles"] == {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        }


def test_a_bucket_takes_public_uploads_under_the_media_prefix(load_settings):
    loaded = load_settings(**S3)
    assert loaded["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public_options(loaded)["bucket_name"] == "clinic-media"
    assert public_options(loaded)["location"] == "media"


def test_public_uploads_are_public_read_plain_never_overwritten_and_kept_for_a_year(
    load_settings,
):
    options = public_options(load_settings(**S3))
    assert options["default_acl"] == "public-read"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert options["object_parameters"] == {"CacheControl": "public, max-age=31536000, immutable"}


def test_enquiry_photos_go_under_the_private_prefix_of_the_same_bucket_by_default(load_settings):
    loaded = load_settings(**S3)
    assert loaded["STORAGES"]["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private_options(loaded)["bucket_name"] == "clinic-media"
    assert private_options(loaded)["location"] == "private"


def test_enquiry_photos_are_private_signed_for_a_minute_and_never_cached(load_settings):
    options = private_options(load_settings(**S3))
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    assert options["object_parameters"] == {"CacheControl": "private, no-store"}
    assert "custom_domain" not in options


def test_enquiry_photos_can_have_a_bucket_of_their_own(load_settings):
    loaded = load_settings(**S3, S3_PRIVATE_BUCKET="clinic-health-data")
    assert private_options(loaded)["bucket_name"] == "clinic-health-data"
    assert public_options(loaded)["bucket_name"] == "clinic-media"


def test_a_private_bucket_without_a_public_one_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="S3_PRIVATE_BUCKET is set without S3_BUCKET"):
        load_settings(DJANGO_DEBUG="1", S3_PRIVATE_BUCKET="clinic-health-data")


def test_the_signed_url_lifetime_is_configurable(load_settings):
    loaded = load_settings(**S3, S3_SIGNED_URL_SECONDS="300")
    assert private_options(loaded)["querystring_expire"] == 300


def test_a_signed_url_lifetime_beyond_what_s3_allows_is_a_configuration_error(load_settings):
    with pytest.raises(ImproperlyConfigured, match="S3_SIGNED_URL_SECONDS must be between"):
        load_settings(**S3, S3_SIGNED_URL_SECONDS="0")


def test_object_storage_defaults_to_aws_in_london_with_automatic_addressing(load_settings):
    loaded = load_settings(**S3)
    for options in (public_options(loaded), private_options(loaded)):
        assert options["endpoint_url"] is None
        assert options["region_name"] == "eu-west-2"
        assert options["addressing_style"] == "auto"


def test_an_s3_compatible_service_is_reached_at_its_endpoint_and_region(load_settings):
    loaded = load_settings(
        **S3,
        S3_ENDPOINT_URL="https://objects.example:9000",
        S3_REGION="auto",
        S3_ADDRESSING_STYLE="path",
    )
    for options in (public_options(loaded), private_options(loaded)):
        assert options["endpoint_url"] == "https://objects.example:9000"
        assert options["region_name"] == "auto"
        assert options["addressing_style"] == "path"


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
