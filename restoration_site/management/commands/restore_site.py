from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from restoration_site.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_site: replaces the database's contents with the "
        "backup's, puts back uploads that are missing, and checks every table has the rows "
        "the backup's manifest lists."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder to restore.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, folder: Path, noinput: bool, **options) -> None:
        try:
            manifest = read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = settings.DATABASES["default"]["NAME"]
        if not noinput:
            answer = input(
                f"This replaces everything in the database {database} with the backup of "
                f"{manifest['created_at']}. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled.")
        try:
            result = restore_backup(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{label} {n}" for label, n in result["counts"].items())
        files = ", ".join(f"{name} {n}" for name, n in result["files_restored"].items())
        self.stdout.write(f"Restored {folder} into {database}.")
        self.stdout.write(f"Rows (all match the backup's manifest): {rows}")
        self.stdout.write(f"Files put back: {files}")
