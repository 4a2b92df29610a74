"""Backups of the whole site: the database and every uploaded file, public and private.

A backup is one folder: `database.dump` (PostgreSQL's custom format) or `database.sqlite3`, the
uploads under `media/public/` and `media/private/`, and `manifest.json` with the row counts the
dump holds, so a restore can prove it brought everything back. Enquiry photos are health data:
the folder and its files are readable by the backup's owner only.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections, transaction

from bookings.models import private_photo_storage

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
# What a restore must bring back, by model; the manifest records how many rows each had.
COUNTED_MODELS = [
    "bookings.ConsultationRequest",
    "bookings.EnquiryNote",
    "bookings.EnquiryPhoto",
    "bookings.EnquiryEvent",
    "bookings.Notification",
    "blog.Article",
    "portfolio.BeforeAfterCase",
    "auth.User",
]


class BackupError(Exception):
    """A backup or restore that could not be completed; the message says why."""


@dataclass
class BackupReport:
    folder: Path
    counts: dict[str, int]
    files: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    pruned: list[Path] = field(default_factory=list)


def media_storages() -> dict[str, Storage]:
    """Every storage holding uploads, by the name of its folder in a backup."""
    return {"public": default_storage, "private": private_photo_storage}


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage (local folder or object store alike)."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _libpq_environment() -> dict[str, str]:
    """pg_dump and pg_restore read the connection from libpq's variables: no password on a
    command line, no URL to escape."""
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) in the version of the server."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _count_rows(cursor) -> dict[str, int]:
    counts = {}
    for label in COUNTED_MODELS:
        table = connection.ops.quote_name(apps.get_model(label)._meta.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # table names come from the models
        counts[label] = cursor.fetchone()[0]
    return counts


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump from an exported snapshot, with the rows counted in that same snapshot, so the
    manifest describes exactly what the dump holds even while the site takes enquiries."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count_rows(cursor)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _libpq_environment(),
        )
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup: a consistent copy even while other processes write."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        counts = {}
        for label in COUNTED_MODELS:
            table = apps.get_model(label)._meta.db_table
            counts[label] = copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        copy.close()
        source.close()
    return counts


def _copy_media(folder: Path, report: BackupReport) -> None:
    """Copy every upload into the backup. Stored names are random and never rewritten, so a
    file already in the folder with the same size is the same file and is skipped: pointing
    several backups at one media folder makes each run a sync."""
    for name, storage in media_storages().items():
        root = folder / "media" / name
        report.files[name] = 0
        for path in _walk(storage):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            size = storage.size(path)
            if not (target.exists() and target.stat().st_size == size):
                with storage.open(path, "rb") as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out, length=1024 * 1024)
            report.files[name] += 1
            report.bytes += size


def prune_backups(*, parent: Path, keep_days: int, now: datetime.datetime) -> list[Path]:
    """Delete backups older than `keep_days`: deleted enquiries must not live on in old
    backups for longer than the privacy policy says."""
    cutoff = now - datetime.timedelta(days=keep_days)
    pruned = []
    for candidate in sorted(parent.iterdir()) if parent.exists() else []:
        manifest = candidate / MANIFEST
        if not manifest.is_file():
            continue  # never delete a folder this code did not write
        created = datetime.datetime.fromisoformat(json.loads(manifest.read_text())["created_at"])
        if created < cutoff:
            shutil.rmtree(candidate)
            pruned.append(candidate)
    return pruned


def create_backup(*, folder: Path, keep_days: int = 0) -> BackupReport:
    """Dump the database and copy every upload into `folder`, then write the manifest; with
    `keep_days`, delete this folder's older siblings past that age."""
    now = datetime.datetime.now(datetime.UTC)
    previous_umask = os.umask(0o077)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _is_postgresql():
            database_file = PG_DUMP
            counts = _dump_postgresql(folder / PG_DUMP)
        else:
            database_file = SQLITE_COPY
            counts = _dump_sqlite(folder / SQLITE_COPY)
        report = BackupReport(folder=folder, counts=counts)
        _copy_media(folder, report)
        manifest = {
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": database_file},
            "counts": counts,
            "media_files": report.files,
            "media_bytes": report.bytes,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    finally:
        os.umask(previous_umask)
    if keep_days:
        report.pruned = prune_backups(parent=folder.parent, keep_days=keep_days, now=now)
    return report


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None


def _restore_postgresql(dump: Path) -> None:
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(dump),
        ],
        _libpq_environment(),
    )


def _restore_sqlite(copy: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_media(folder: Path) -> dict[str, int]:
    restored = {}
    for name, storage in media_storages().items():
        root = folder / "media" / name
        restored[name] = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            stored_name = path.relative_to(root).as_posix()
            if storage.exists(stored_name):
                continue
            with open(path, "rb") as source:
                saved = storage.save(stored_name, File(source))
            if saved != stored_name:
                raise BackupError(f"{stored_name} was stored as {saved}; restore stopped.")
            restored[name] += 1
    return restored


def restore_backup(*, folder: Path) -> dict:
    """Put the database and the uploads of a backup back, then check every counted table has
    exactly the rows the manifest says. Returns the manifest and the files restored."""
    manifest = read_manifest(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; "
            f"the site is configured for {connection.vendor}."
        )
    dump = folder / manifest["database"]["file"]
    if vendor == "postgresql":
        _restore_postgresql(dump)
    else:
        _restore_sqlite(dump)
    files = _restore_media(folder)
    with connection.cursor() as cursor:
        counts = _count_rows(cursor)
    missing = {
        label: (expected, counts.get(label))
        for label, expected in manifest["counts"].items()
        if counts.get(label) != expected
    }
    if missing:
        details = ", ".join(f"{label}: {got} of {want}" for label, (want, got) in missing.items())
        raise BackupError(f"The restored database does not match the backup: {details}.")
    return {"manifest": manifest, "files_restored": files, "counts": counts}
