from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a backup (pg_dump of the database, and every stored file) into a new folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--into",
            type=Path,
            default=settings.BACKUP_ROOT,
            help="Where the timestamped backup folder is made (default: %(default)s).",
        )

    def handle(self, *, into, **options):
        try:
            folder = backup_create(root=into)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {folder}")
