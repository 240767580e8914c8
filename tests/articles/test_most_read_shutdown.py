"""A worker that stops for a deploy writes the reads it was still holding."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import DailyReadCount
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, for a server running in another process."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn():
    port = spare_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": "a-key-for-this-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Only a stopping worker may write: the periodic write must not come first.
        "READS_FLUSH_SECONDS": "3600",
        "CACHE_URL": "locmem://",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise AssertionError(server.stderr.read().decode()[-2000:]) from None
            time.sleep(0.1)
    yield server, base
    if server.poll() is None:
        server.kill()
        server.wait()


def send_beacon(base: str, article_id: int) -> int:
    request = urllib.request.Request(
        base + reverse("articles:article-read", args=[article_id]),
        method="POST",
        headers={"User-Agent": BROWSER, "Sec-Fetch-Site": "same-origin"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@pytest.mark.django_db(transaction=True)
def test_a_worker_stopped_for_a_deploy_writes_the_reads_it_still_held(gunicorn):
    server, base = gunicorn
    story, other_story = ArticleFactory(), ArticleFactory()

    assert send_beacon(base, story.pk) == 204
    assert send_beacon(base, other_story.pk) == 204
    # Counted in the worker's memory, not yet written.
    assert not DailyReadCount.objects.exists()

    server.send_signal(signal.SIGTERM)  # what a deploy or `systemctl restart` does
    assert server.wait(timeout=60) == 0

    reads = dict(DailyReadCount.objects.values_list("article_id", "reads"))
    assert reads == {story.pk: 1, other_story.pk: 1}
