"""A read replica for public pages: readers and editors always see what they just did.

The "replica" here is a second connection to the test database (Django's TEST MIRROR). To
make it lag as a real one can, it is held inside a repeatable-read transaction opened
before the change: it keeps answering from that moment's snapshot.
"""

import socket
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import newsroom.replica
from comments.models import Comment
from newsroom.replica import (
    PIN_COOKIE,
    REPLICA,
)
from tests.comments.helpers import NOW, add_comment, post_comment
from tests.factories import ArticleFactory, EditorFactory, ModeratorFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(replica_alias, replica_settings):
    return connections[REPLICA]


@contextmanager
def lagging(replica):
    """The replica stops replaying changes until the block ends."""
    with replica.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM comments_comment")
    try:
        yield
    finally:
        with replica.cursor() as cursor:
            cursor.execute("ROLLBACK")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replica_queries(replica):
    return CaptureQueriesContext(replica)


def test_a_reader_sees_her_comment_at_once_though_the_replica_lags(
    client, replica, settings, time_machine
):
    settings.PAGE_CACHE_SECONDS = 0  # every page read reaches the database
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory(headline="Budget day")
    with lagging(replica):
        post_comment(client, article, body="Where does the fuel levy go?")
        her_page = client.get(article.get_absolute_url()).content.decode()

        time_machine.shift(timedelta(seconds=settings.DATABASE_REPLICA_PIN_SECONDS + 1))
        with replica_queries(replica) as seen_on_replica:
            strangers_page = Client().get(article.get_absolute_url()).content.decode()

    assert "Where does the fuel levy go?" in her_page
    # Once the pin and the fresh-pages window are over, a reader who wrote nothing reads the
    # replica: it still lags here, so the comment is not there yet (it would be moments later).
    assert seen_on_replica.captured_queries
    assert "Where does the fuel levy go?" not in strangers_page


def test_after_her_pin_expires_the_reader_reads_the_replica_again(
    client, replica, settings, time_machine
):
    settings.PAGE_CACHE_SECONDS = 0
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory()
    post_comment(client, article)
    assert PIN_COOKIE in client.cookies

    with replica_queries(replica) as pinned:
        client.get(article.get_absolute_url())
    time_machine.shift(timedelta(seconds=settings.DATABASE_REPLICA_PIN_SECONDS + 1))
    with replica_queries(replica) as unpinned:
        client.get(article.get_absolute_url())

    assert not pinned.captured_queries
    assert unpinned.captured_queries


def test_a_page_cached_right_after_a_hide_never_shows_the_hidden_comment(
    client, replica, settings, time_machine
):
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory()
    comment = add_comment(article=article, body="A slur that must go")
    reader = Client()
    assert "A slur that must go" in reader.get(article.get_absolute_url()).content.decode()

    moderator = Client()
    moderator.force_login(ModeratorFactory())
    with lagging(replica):
        moderator.post(
            reverse("comments:comment-hide", kwargs={"pk": comment.pk}), {"reason": "abuse"}
        )
        # The first reader after the purge fills the page cache (and a CDN) for everyone.
        refilled = reader.get(article.get_absolute_url())

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.HIDDEN
    assert refilled["X-Page-Cache"] == "miss"
    assert "A slur that must go" not in refilled.content.decode()


def test_the_admin_and_signed_in_staff_always_read_the_primary(client, replica, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    client.force_login(EditorFactory())

    with replica_queries(replica) as seen:
        assert (
            client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code
            == 200
        )
        assert client.get(article.get_absolute_url()).status_code == 200

    assert not seen.captured_queries


def test_an_editors_save_pins_her_to_the_primary(client, replica, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(EditorFactory())

    response = client.post(reverse("admin:logout"))

    assert PIN_COOKIE in response.cookies


def test_while_the_replica_is_down_readers_are_served_from_the_primary(
    client, replica, settings, caplog
):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory(headline="Served all the same")
    real_port = replica.settings_dict["PORT"]
    replica.close()
    replica.settings_dict = {**replica.settings_dict, "PORT": str(spare_port())}
    try:
        first = client.get(article.get_absolute_url())
        second = client.get(article.get_absolute_url())
        ready = client.get("/readyz")
    finally:
        replica.close()
        replica.settings_dict = {**replica.settings_dict, "PORT": real_port}
        newsroom.replica._down_until = 0.0

    assert first.status_code == second.status_code == 200
    assert "Served all the same" in second.content.decode()
    # One attempt, then the replica is left alone for a few seconds.
    assert caplog.text.count("Replica unavailable") == 1
    assert ready.status_code == 200  # this server still serves: no reason to drop it
