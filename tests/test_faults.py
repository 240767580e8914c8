"""Faults the site meets in production, made small enough to run in the suite.

The make target `faults` (scripts/faults.py) does the real thing against gunicorn: it
restarts this machine's PostgreSQL and stops a Redis of its own during load.
"""

import errno
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

import articles.storage
from articles.models import Image, Rendition
from articles.rendition_store import ensure_renditions
from comments.models import Comment
from tests.comments.helpers import NOW, comment_data, post_url
from tests.factories import ArticleFactory, photo_bytes


def serve(method: str, path: str, data=None) -> tuple[str, dict, str]:
    """Run one request through the real WSGI handler, as gunicorn would."""
    factory = RequestFactory()
    request = factory.post(path, data or {}) if method == "POST" else factory.get(path)
    status, headers = [], {}

    def start_response(line, header_list):
        status.append(line)
        headers.update(header_list)

    body = b"".join(WSGIHandler()(request.environ, start_response))
    return status[0], headers, body.decode()


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# PostgreSQL away


@pytest.mark.django_db(transaction=True)
def test_while_the_database_is_away_readers_get_a_friendly_503_then_pages_again(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request must reach the database
    article = ArticleFactory(headline="Still here after the restart")
    real_port = connection.settings_dict["PORT"]
    # What a restart looks like from here: the open connection dies, new ones are refused.
    connection.settings_dict["PORT"] = str(spare_port())
    connection.close()
    try:
        status, headers, page = serve("GET", article.get_absolute_url())
        posted = serve(
            "POST", post_url(article), comment_data(article, body="Sent during the restart")
        )
    finally:
        connection.settings_dict["PORT"] = real_port

    assert status.startswith("503")
    assert headers["Retry-After"] == "5"
    assert "Back in a moment" in page and "Traceback" not in page
    assert posted[0].startswith("503")

    # Back: the very next request is served, with no restart of anything.
    status, _, page = serve("GET", article.get_absolute_url())
    assert status == "200 OK"
    assert "Still here after the restart" in page
    assert not Comment.objects.exists()  # the refused post was not half-accepted


# Redis away


def forgiving_redis(port: int) -> dict:
    """The caches as CACHE_URL=redis://... configures them: limits and pages in Redis."""
    backend = {
        "BACKEND": "newsroom.cache.ForgivingRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    return {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}


@pytest.fixture
def own_redis():
    """A redis-server of the test's own on a spare port, never the machine's."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = spare_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port, server
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_when_redis_stops_pages_and_comments_keep_working(settings, own_redis, time_machine):
    time_machine.move_to(NOW, tick=False)  # an hour after publication: comments are open
    port, server = own_redis
    settings.CACHES = forgiving_redis(port)
    settings.COMMENTS_RATE_LIMIT_PER_IP = 1
    article = ArticleFactory(headline="Served without Redis")
    caches["default"].clear()
    assert serve("GET", article.get_absolute_url())[0] == "200 OK"
    assert serve("POST", post_url(article), comment_data(article, email="a@example.org"))[
        0
    ].startswith("302")

    server.terminate()
    server.wait(timeout=10)

    for _ in range(3):
        status, _, page = serve("GET", article.get_absolute_url())
        assert status == "200 OK"
        assert "Served without Redis" in page
    # The documented degradation: without Redis the per-address limit is not counted.
    status, _, _ = serve("POST", post_url(article), comment_data(article, email="b@example.org"))
    assert status.startswith("302")
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_redis_that_never_answers_costs_one_short_timeout_not_one_per_call(settings):
    settings.CACHES = forgiving_redis(spare_port())
    cache = caches["default"]

    started = time.monotonic()
    for _ in range(50):
        assert cache.get("anything") is None
        cache.set("anything", 1)
    assert cache.incr("counter") == 1
    assert time.monotonic() - started < 2


# Media storage full or read-only


def upload(editor_client):
    return editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("flood.jpg", photo_bytes((800, 600))),
            "caption": "Flooded street",
            "credit": "Newsroom photo",
            "alt_text": "A street under water",
            "focal_x": "50",
            "focal_y": "50",
        },
        follow=True,
    )


def files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def read_only_originals(settings, monkeypatch):
    root = settings.ORIGINALS_ROOT
    root.mkdir(parents=True)
    root.chmod(0o555)
    if os.geteuid() == 0:
        # Root writes through permission bits; refuse as the kernel does for everyone else.
        real_mkstemp = articles.storage.tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):
            if str(dir).startswith(str(root)):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_mkstemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(articles.storage.tempfile, "mkstemp", mkstemp)
        real_makedirs = articles.storage.os.makedirs

        def makedirs(path, *args, **kwargs):
            if str(path).startswith(str(root)) and not os.path.isdir(path):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_makedirs(path, *args, **kwargs)

        monkeypatch.setattr(articles.storage.os, "makedirs", makedirs)
    yield root
    root.chmod(0o755)


@pytest.mark.django_db
def test_a_read_only_storage_refuses_the_upload_with_a_clear_message(
    editor_client, read_only_originals
):
    response = upload(editor_client)

    page = response.content.decode()
    assert "The photo could not be stored: the media storage is read-only." in page
    assert not Image.objects.exists()
    assert files_under(read_only_originals) == []


@pytest.mark.django_db
def test_a_full_disk_leaves_no_half_written_file_and_no_row(editor_client, settings, monkeypatch):
    real_fdopen = articles.storage.os.fdopen

    class FillsUp:
        """A file that takes a few bytes, then finds the disk full."""

        def __init__(self, handle):
            self.file = real_fdopen(handle, "wb")

        def write(self, chunk):
            self.file.write(chunk[:100])
            self.file.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    monkeypatch.setattr(articles.storage.os, "fdopen", lambda handle, mode: FillsUp(handle))

    response = upload(editor_client)

    assert "The photo could not be stored: the media storage is full." in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(settings.ORIGINALS_ROOT) == []
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
def test_renditions_on_a_full_disk_leave_no_rows_and_no_files(settings, monkeypatch):
    image = Image(caption="A", credit="B", alt_text="C")
    from django.core.files.base import ContentFile

    image.file = ContentFile(photo_bytes((800, 600)), name="full.jpg")
    image.save()
    storage = articles.storage.MediaStorage()
    saves = []
    real_save = articles.storage.WholeFilesStorage._save

    def save_until_full(self, name, content):
        if self is not storage and len(saves) >= 3:
            raise articles.storage.StorageRefused(errno.ENOSPC, "No space left on device")
        saves.append(name)
        return real_save(self, name, content)

    monkeypatch.setattr(articles.storage.WholeFilesStorage, "_save", save_until_full)

    with pytest.raises(articles.storage.StorageRefused):
        ensure_renditions(image.pk)

    assert not Rendition.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []
