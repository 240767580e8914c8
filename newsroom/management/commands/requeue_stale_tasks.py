"""Put tasks whose worker died back in the queue.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again
(its issue #46): if that worker is killed (a deploy, the OOM killer, a lost machine), the
task would stay RUNNING for good. Run this every minute or so (cron, a systemd timer, or
`--every 60` as a process of its own next to the workers): a task RUNNING for longer than
TASKS_STALE_AFTER_SECONDS goes back to READY and the next free worker runs it again.

So every task must be safe to run twice (the rendition task is: it makes what is missing
under a lock), and the limit must be longer than the longest task ever takes.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def requeue_stale_tasks(*, older_than: timedelta) -> list[str]:
    """Return the ids of the RUNNING tasks started before `older_than` ago, now READY again."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        DBTaskResult.objects.filter(pk__in=stale, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return [str(pk) for pk in stale]


class Command(BaseCommand):
    help = "Put tasks whose worker died (RUNNING for too long) back in the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.TASKS_STALE_AFTER_SECONDS,
            help="Seconds a task may run before it counts as lost (default: %(default)s).",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Keep running, checking this often in seconds (default: once, then exit).",
        )

    def handle(self, *, older_than, every, verbosity, **options):
        if older_than <= 0:
            raise CommandError("--older-than must be a positive number of seconds.")
        while True:
            requeued = requeue_stale_tasks(older_than=timedelta(seconds=older_than))
            if requeued or verbosity > 1:
                self.stdout.write(
                    f"Requeued {len(requeued)} task(s) running for over {older_than} s: "
                    + (", ".join(requeued) or "none")
                )
            if not every:
                return
            time.sleep(every)
