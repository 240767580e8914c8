"""A task for the worker-crash story: its first attempt hangs until the worker is killed."""

import time
from pathlib import Path

from django.tasks import task


@task()
def make_renditions_slowly(folder: str) -> str:
    attempts = Path(folder) / "attempts"
    attempts.mkdir(exist_ok=True)
    attempt = len(list(attempts.iterdir())) + 1
    (attempts / str(attempt)).touch()
    if attempt == 1:
        # The first worker dies in here (the test kills it); the limit only ends a stray run.
        time.sleep(600)
    return f"done on attempt {attempt}"
