import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from restoration_site.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every uploaded file, "
        "public and private, into one folder with a manifest of row counts; then delete "
        "backups older than BACKUP_KEEP_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Folder to write (default: a new time-stamped folder under BACKUP_DIR).",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=settings.BACKUP_KEEP_DAYS,
            help="Delete sibling backups older than this many days (0 keeps them all).",
        )

    def handle(self, *args, output: Path | None, keep_days: int, **options) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = output or Path(settings.BACKUP_DIR) / stamp
        try:
            report = create_backup(folder=folder, keep_days=keep_days)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{label} {n}" for label, n in report.counts.items())
        files = ", ".join(f"{name} {n}" for name, n in report.files.items())
        self.stdout.write(f"Backup written to {report.folder}")
        self.stdout.write(f"Rows: {rows}")
        self.stdout.write(f"Files: {files} ({report.bytes / 1_048_576:.1f} MiB)")
        for old in report.pruned:
            self.stdout.write(f"Deleted old backup {old}")
