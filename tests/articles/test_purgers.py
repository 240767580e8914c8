"""Caches in front of the site (Fastly, Varnish) are told exactly which pages changed.

Each test starts a small HTTP server of its own on a loopback port to play the CDN's API
or Varnish, and records what the site sent it; nothing leaves this machine.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from articles.cache import article_pages_purge, comment_pages_purge
from articles.purgers import deferred_purges, purge_batch
from comments.models import Comment
from tests.comments.helpers import NOW, add_comment
from tests.factories import ArticleFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

TOKEN = "test-token-not-secret"
ROOT = Path(__file__).resolve().parents[2]


class RecordingCache(ThreadingHTTPServer):
    """Answers every request with `status` and keeps (method, path, headers, body)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.calls: list[dict] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fastly_keys(self) -> list[list[str]]:
        return [json.loads(call["body"])["surrogate_keys"] for call in self.calls]


class RecordingHandler(BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.calls.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": self.headers,  # looked up without regard to case
                "body": self.rfile.read(length).decode(),
            }
        )
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    do_POST = do_PURGE = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_cache():
    server = RecordingCache()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_purges_left_waiting():
    yield
    deferred_purges().clear()


@pytest.fixture
def fastly(settings, recording_cache):
    settings.PAGE_CACHE_PURGERS = ["articles.purgers.LocalPurger", "articles.purgers.FastlyPurger"]
    settings.FASTLY_API_URL = recording_cache.url
    settings.FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.FASTLY_API_TOKEN = TOKEN
    settings.PAGE_CACHE_PURGE_TIMEOUT_SECONDS = 1
    return recording_cache


@pytest.fixture
def varnish(settings, recording_cache):
    settings.PAGE_CACHE_PURGERS = ["articles.purgers.LocalPurger", "articles.purgers.VarnishPurger"]
    settings.VARNISH_PURGE_URLS = [recording_cache.url + "/"]
    settings.PAGE_CACHE_PURGE_TIMEOUT_SECONDS = 1
    return recording_cache


def article_keys(article) -> set[str]:
    authors = article.bylines.values_list("author_id", flat=True)
    return {
        f"article-{article.pk}",
        f"story-{article.pk}",
        f"teaser-{article.pk}",
        f"link-{article.pk}",
        f"section-{article.section_id}",
        "front",
        "feeds",
        "sitemap",
        *(f"author-{pk}" for pk in authors),
    }


def test_publishing_tells_fastly_every_page_showing_the_story_with_the_token(fastly):
    article = ArticleFactory()

    article_pages_purge(article_id=article.pk)

    [call] = fastly.calls
    assert call["method"] == "POST"
    assert call["path"] == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
    assert call["headers"]["Fastly-Key"] == TOKEN
    assert call["headers"]["Fastly-Soft-Purge"] is None
    assert set(json.loads(call["body"])["surrogate_keys"]) == article_keys(article)


def test_everything_one_request_changes_reaches_fastly_in_one_call(fastly):
    first, second = ArticleFactory(), ArticleFactory()

    with purge_batch():
        article_pages_purge(article_id=first.pk)
        comment_pages_purge(article_ids=[second.pk])
        assert fastly.calls == []  # nothing leaves before the request is done

    [keys] = fastly.fastly_keys()
    assert set(keys) == article_keys(first) | {f"article-{second.pk}"}


def test_more_keys_than_fastly_takes_at_once_go_in_as_few_calls_as_it_allows(fastly):
    comment_pages_purge(article_ids=range(1, 601))

    sizes = [len(keys) for keys in fastly.fastly_keys()]
    assert sizes == [256, 256, 88]


@pytest.mark.django_db(transaction=True)
def test_a_moderators_bulk_hide_across_articles_is_one_purge_after_the_commit(
    fastly, client, time_machine
):
    time_machine.move_to(NOW, tick=False)
    articles = [ArticleFactory() for _ in range(3)]
    comments = [add_comment(article=article) for article in articles]
    client.force_login(ModeratorFactory())

    response = client.post(
        reverse("comments:moderation-bulk"),
        {
            "action": "hide",
            "reason": "spam",
            "note": "",
            "comments": [c.pk for c in comments],
            "next": reverse("comments:moderation-queue"),
        },
    )

    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"hidden"}
    [keys] = fastly.fastly_keys()
    assert set(keys) == {f"article-{a.pk}" for a in articles}


def test_comment_counts_on_listings_are_purged_softly_once_the_lag_has_passed(fastly, settings):
    settings.PAGE_CACHE_LISTING_LAG_SECONDS = 10
    article = ArticleFactory()

    comment_pages_purge(article_ids=[article.pk])

    assert fastly.fastly_keys() == [[f"article-{article.pk}"]]
    assert deferred_purges().waiting() == {f"teaser-{article.pk}"}

    deferred_purges().send_due(now=float("inf"))

    assert fastly.fastly_keys()[1] == [f"teaser-{article.pk}"]
    assert fastly.calls[1]["headers"]["Fastly-Soft-Purge"] == "1"
    assert deferred_purges().waiting() == set()


def test_a_burst_of_comments_purges_the_listings_once(fastly):
    article = ArticleFactory()

    for _ in range(5):
        comment_pages_purge(article_ids=[article.pk])
    deferred_purges().send_due(now=float("inf"))

    assert fastly.fastly_keys().count([f"teaser-{article.pk}"]) == 1


def test_a_cdn_that_refuses_is_logged_and_the_moderators_hide_still_happens(
    fastly, client, caplog, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    fastly.status = 503
    comment = add_comment(article=ArticleFactory(), body="Rude words")
    client.force_login(ModeratorFactory())

    with (
        caplog.at_level(logging.WARNING, logger="articles.purgers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("comments:comment-hide", args=[comment.pk]), {"reason": "abuse"}
        )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "hidden"
    assert "FastlyPurger could not purge" in caplog.text
    assert "503" in caplog.text


def test_a_cdn_that_never_answers_costs_the_save_only_the_timeout(fastly, settings, caplog):
    # Accepts the connection and then says nothing, as a hung API would.
    silent = socket.create_server(("127.0.0.1", 0))
    settings.FASTLY_API_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
    settings.PAGE_CACHE_PURGE_TIMEOUT_SECONDS = 0.2
    article = ArticleFactory()

    with caplog.at_level(logging.WARNING, logger="articles.purgers"), silent:
        article_pages_purge(article_id=article.pk)

    assert "timed out" in caplog.text


def test_varnish_is_sent_one_xkey_purge_for_a_hidden_comment(varnish):
    article = ArticleFactory()

    comment_pages_purge(article_ids=[article.pk])

    [call] = varnish.calls
    assert call["method"] == "PURGE"
    assert call["headers"]["xkey"] == f"article-{article.pk}"

    deferred_purges().send_due(now=float("inf"))

    assert varnish.calls[1]["headers"]["xkey-softpurge"] == f"teaser-{article.pk}"


def test_every_varnish_is_told_even_when_one_is_down(varnish, settings, caplog):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        down = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    settings.VARNISH_PURGE_URLS = [down, varnish.url + "/"]

    with caplog.at_level(logging.WARNING, logger="articles.purgers"):
        comment_pages_purge(article_ids=[42])

    assert [call["headers"]["xkey"] for call in varnish.calls] == ["article-42"]
    assert down in caplog.text


def test_without_remote_caches_nothing_is_sent_anywhere(recording_cache):
    article = ArticleFactory()

    with purge_batch():
        article_pages_purge(article_id=article.pk)
    Client().get(article.get_absolute_url())

    assert recording_cache.calls == []


def settings_in_a_new_process(**env) -> subprocess.CompletedProcess:
    script = "from django.conf import settings; print(' '.join(settings.PAGE_CACHE_PURGERS))"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_operator_turns_on_varnish_and_fastly_from_the_environment():
    result = settings_in_a_new_process(
        VARNISH_PURGE_URLS="http://10.0.0.5:6081/, http://10.0.0.6:6081/",
        FASTLY_SERVICE_ID="SU1Z0isxPaozGVKXdv0eY",
        FASTLY_API_TOKEN=TOKEN,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "articles.purgers.LocalPurger",
        "articles.purgers.VarnishPurger",
        "articles.purgers.FastlyPurger",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FASTLY_SERVICE_ID": "SU1Z0isxPaozGVKXdv0eY"}, "FASTLY_API_TOKEN must be set"),
        ({"VARNISH_PURGE_URLS": "10.0.0.5:6081"}, "VARNISH_PURGE_URLS must be http(s)://"),
    ],
)
def test_a_half_configured_cache_stops_the_site_from_starting(env, message):
    result = settings_in_a_new_process(FASTLY_API_TOKEN="", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_a_purge_of_many_articles_reaches_varnish_in_headers_it_accepts(varnish):
    comment_pages_purge(article_ids=range(1, 1001))

    headers = [call["headers"]["xkey"] for call in varnish.calls]
    assert all(len(header) <= 4000 for header in headers)
    assert len(headers) > 1
    purged = {key for header in headers for key in header.split()}
    assert purged == {f"article-{pk}" for pk in range(1, 1001)}
