"""A worker that dies mid-task loses nothing: the task goes back in the queue and runs."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from time_machine import travel

from tests.operations.worker_tasks import make_renditions_slowly

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_STALE_AFTER_SECONDS = 600


def database_url_of_the_tests() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url_of_the_tests()}
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def status_of(result) -> str:
    return DBTaskResult.objects.get(pk=result.id).status


def test_a_task_whose_worker_was_killed_runs_again_on_another_worker(queue, tmp_path):
    result = make_renditions_slowly.enqueue(folder=str(tmp_path))
    first = start_worker()
    try:
        wait_for(lambda: status_of(result) == TaskResultStatus.RUNNING, seconds=120, what="a claim")
        wait_for(lambda: (tmp_path / "attempts" / "1").exists(), seconds=60, what="the start")
    finally:
        first.send_signal(signal.SIGKILL)  # the OOM killer, a lost machine
        first.wait(timeout=30)
    assert status_of(result) == TaskResultStatus.RUNNING  # and so it would stay

    call_command("requeue_stale_tasks")  # too soon: the task may still be running
    assert status_of(result) == TaskResultStatus.RUNNING
    started_at = DBTaskResult.objects.get(pk=result.id).started_at
    with travel(started_at + timedelta(seconds=601), tick=False):
        call_command("requeue_stale_tasks")
    assert status_of(result) == TaskResultStatus.READY

    second = start_worker()
    try:
        wait_for(
            lambda: status_of(result) == TaskResultStatus.SUCCESSFUL, seconds=120, what="the rerun"
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert DBTaskResult.objects.get(pk=result.id).return_value == "done on attempt 2"


def test_finished_and_waiting_tasks_are_left_alone(queue, tmp_path):
    waiting = make_renditions_slowly.enqueue(folder=str(tmp_path))
    finished = make_renditions_slowly.enqueue(folder=str(tmp_path))
    DBTaskResult.objects.filter(pk=finished.id).update(status=TaskResultStatus.SUCCESSFUL)
    with travel(timedelta(days=1), tick=False):
        call_command("requeue_stale_tasks")

    assert status_of(waiting) == TaskResultStatus.READY
    assert status_of(finished) == TaskResultStatus.SUCCESSFUL


def test_a_limit_of_no_time_is_refused():
    with pytest.raises(CommandError, match="--older-than must be a positive number"):
        call_command("requeue_stale_tasks", older_than=0)
