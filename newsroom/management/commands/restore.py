from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and empty storage."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")

    def handle(self, *, folder, **options):
        try:
            restored = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{count} file(s) into {alias}" for alias, count in restored.items())
        self.stdout.write(f"Restored the database and {counts} from {folder}")
