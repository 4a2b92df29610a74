"""Backups as an operator runs them: `manage.py backup_site`, lose everything, `restore_site`.

The site runs in a subprocess on a database of its own (a SQLite file, and in the PostgreSQL
pass of the suite a scratch PostgreSQL database that is really dropped), so nothing here
touches the test database.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

from tests.backups import FINGERPRINT

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
PROJECT_VARIABLES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_", "S3_", "AWS_", "BACKUP_")

# Three enquiries (one with a photo, one routed to Laser Reverse), staff notes on two of them.
MAKE_ENQUIRIES = """
import datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from bookings.services import enquiries, workflow
from bookings.forms import clean_enquiry_photo
from tests.images import photo_bytes
day = datetime.date.today() + datetime.timedelta(days=3)
while day.weekday() == 6:
    day += datetime.timedelta(days=1)
people = [
    ("Robin Example", "robin@client.example", "new_smp",
     [SimpleUploadedFile("a.jpg", photo_bytes())]),
    ("Sam Example", "sam@client.example", "laser_smp", []),
    ("Alex Example", "alex@client.example", "smp_correction", []),
]
for name, email, kind, photos in people:
    enquiry = enquiries.create_consultation_request(
        full_name=name, email=email, phone="+447911123456", contact_method="phone",
        enquiry_type=kind, preferred_dates=[day], preferred_time="morning",
        message="Thinning at the crown.",
        photos=[clean_enquiry_photo(photo) for photo in photos],
    )
    if kind != "smp_correction":
        workflow.add_note(enquiry=enquiry, author=None, text=f"Called {name}; call back Friday.")
"""


def manage(env: dict, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        input=input,
    )
    assert result.returncode == 0, result.stderr
    return result


def fingerprint(env: dict) -> dict:
    return json.loads(manage(env, "shell", "-v0", "-c", FINGERPRINT).stdout)


@pytest.fixture
def site_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PROJECT_VARIABLES)}
    return env | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "backup-test-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "ADMIN_REQUIRE_2FA": "0",
    }


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def scratch_postgres():
    """A PostgreSQL database of the test's own, really dropped and created again."""
    url = urlsplit(postgres_url())
    name = f"backup_test_{uuid.uuid4().hex[:10]}"
    admin = url._replace(path="/postgres").geturl()

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    run(f'CREATE DATABASE "{name}"')
    yield url._replace(path=f"/{name}").geturl(), run, name
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_sqlite_site_is_back_with_its_enquiries_notes_and_photos_after_losing_everything(
    site_env, tmp_path
):
    manage(site_env, "migrate", "-v0")
    manage(site_env, "shell", "-v0", "-c", MAKE_ENQUIRIES)
    before = fingerprint(site_env)
    manage(site_env, "backup_site", "--output", str(tmp_path / "backup"))

    shutil.rmtree(tmp_path / "var")  # the database file, uploads and enquiry photos: all gone
    manage(site_env, "restore_site", str(tmp_path / "backup"), "--noinput")

    assert fingerprint(site_env) == before
    assert len(before["notes"]) == 2
    assert len(before["photos"]) == 1


@pytest.mark.skipif(not postgres_url(), reason="PostgreSQL pass only (DATABASE_URL=postgres://)")
def test_a_postgresql_database_dropped_and_restored_has_every_enquiry_and_note(
    site_env, scratch_postgres, tmp_path
):
    url, run_sql, name = scratch_postgres
    env = site_env | {"DATABASE_URL": url}
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-v0", "-c", MAKE_ENQUIRIES)
    before = fingerprint(env)
    manage(env, "backup_site", "--output", str(tmp_path / "backup"))

    run_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    run_sql(f'CREATE DATABASE "{name}"')
    shutil.rmtree(tmp_path / "var" / "private")
    manage(env, "restore_site", str(tmp_path / "backup"), "--noinput")

    assert fingerprint(env) == before
    assert len(before["enquiries"]) == 3
    assert len(before["notes"]) == 2


def test_the_backup_folder_is_readable_by_its_owner_only(site_env, tmp_path):
    manage(site_env, "migrate", "-v0")
    manage(site_env, "shell", "-v0", "-c", MAKE_ENQUIRIES)
    manage(site_env, "backup_site", "--output", str(tmp_path / "backup"))
    modes = {
        path.relative_to(tmp_path).as_posix(): path.stat().st_mode & 0o077
        for path in [tmp_path / "backup", *(tmp_path / "backup").rglob("*")]
    }
    assert set(modes.values()) == {0}


def test_a_backup_lists_the_rows_it_holds_in_its_manifest(site_env, tmp_path):
    manage(site_env, "migrate", "-v0")
    manage(site_env, "shell", "-v0", "-c", MAKE_ENQUIRIES)
    manage(site_env, "backup_site", "--output", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["bookings.ConsultationRequest"] == 3
    assert manifest["counts"]["bookings.EnquiryNote"] == 2
    assert manifest["media_files"]["private"] == 1


def test_a_restore_that_does_not_match_its_manifest_fails_loudly(site_env, tmp_path):
    manage(site_env, "migrate", "-v0")
    manage(site_env, "shell", "-v0", "-c", MAKE_ENQUIRIES)
    manage(site_env, "backup_site", "--output", str(tmp_path / "backup"))
    manifest_file = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["counts"]["bookings.EnquiryNote"] = 5
    manifest_file.write_text(json.dumps(manifest))
    result = subprocess.run(
        [sys.executable, MANAGE, "restore_site", str(tmp_path / "backup"), "--noinput"],
        env=site_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "bookings.EnquiryNote: 2 of 5" in result.stderr


def test_a_restore_asks_before_replacing_the_database(site_env, tmp_path):
    manage(site_env, "migrate", "-v0")
    manage(site_env, "backup_site", "--output", str(tmp_path / "backup"))
    result = subprocess.run(
        [sys.executable, MANAGE, "restore_site", str(tmp_path / "backup")],
        env=site_env,
        capture_output=True,
        text=True,
        input="no\n",
    )
    assert result.returncode == 1
    assert "Restore cancelled." in result.stderr


def test_backups_older_than_the_keep_period_are_deleted_and_newer_ones_kept(site_env, tmp_path):
    manage(site_env, "migrate", "-v0")
    backups = tmp_path / "backups"
    for stamp, created in (("old", "2026-01-01T03:00:00+00:00"), ("recent", None)):
        manage(site_env, "backup_site", "--output", str(backups / stamp), "--keep-days", "0")
        if created:
            manifest = json.loads((backups / stamp / "manifest.json").read_text())
            manifest["created_at"] = created
            (backups / stamp / "manifest.json").write_text(json.dumps(manifest))
    (backups / "not-a-backup").mkdir()
    manage(site_env, "backup_site", "--output", str(backups / "today"), "--keep-days", "35")
    assert sorted(path.name for path in backups.iterdir()) == ["not-a-backup", "recent", "today"]
