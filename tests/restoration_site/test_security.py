"""Security headers, size limits and error reports, as a production server sends them (a body
over the size limit: test_too_large.py)."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import STAFF_PASSWORD, staff_user
from tests.support import PRODUCTION, clean_environment, manage

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PAGES = ["/", "/articles/", "/portfolio/", "/book/", "/privacy/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_a_strict_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["img-src"] == "'self' data:"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_admin_allows_only_the_editors_import_map_by_hash(admin_client):
    policy = admin_client.get(reverse("admin:blog_article_add"))["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'sha256-" in script_src
    assert "unsafe" not in script_src


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_protective_headers(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_https_responses_carry_preload_ready_hsts(client, settings):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize("cookie", ["csrftoken", "sessionid"])
def test_the_sites_cookies_are_secure_hidden_from_scripts_and_same_site(client, cookie):
    # The form sets the CSRF cookie; signing in to the admin sets the session cookie.
    staff_user()
    client.get("/book/")
    client.post(LOGIN, {"username": "reception-restoration-u", "password": STAFF_PASSWORD})
    sent = client.cookies[cookie]
    assert (sent["secure"], sent["httponly"], sent["samesite"]) == (True, True, "Lax")


def test_too_many_form_fields_are_refused_not_a_500(client):
    data = {f"field{n}": "x" for n in range(2000)}
    assert client.post("/book/", data).status_code == 400


def test_too_many_files_are_refused_not_a_500(client):
    from tests.images import photo_with_exif

    data = {"photos": [photo_with_exif(name=f"{n}.jpg", width=20, height=20) for n in range(8)]}
    assert client.post("/book/", data).status_code == 400


def test_pillow_refuses_images_larger_than_the_sites_limit_everywhere():
    from PIL import Image

    assert Image.MAX_IMAGE_PIXELS == django_settings.IMAGE_MAX_PIXELS


def test_admins_are_read_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy,sys; s=runpy.run_path(sys.argv[1]); print(s['ADMINS'])",
            str(django_settings.BASE_DIR / "restoration_site" / "settings.py"),
        ],
        env={
            **PRODUCTION,
            "DJANGO_ADMINS": "Clinic tech <tech@restoration-u.example>",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "[('Clinic tech', 'tech@restoration-u.example')]"


def test_the_admin_address_is_configurable():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        env=clean_environment() | PRODUCTION | {"DJANGO_ADMIN_URL": "staff-7f3a/"},
    )
    assert result.stdout.strip().splitlines()[-1] == "/staff-7f3a/"


def test_two_factor_login_is_on_by_default_in_production():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)",
        env=clean_environment() | PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == "True"
