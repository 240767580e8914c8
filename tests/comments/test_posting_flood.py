"""Many readers posting at once on several stories, through the public form.

Every comment whose poster was thanked is stored exactly once, nobody gets a server error,
and each reader's address limit holds even when their posts race each other.
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from articles.models import Article
from comments.models import Comment
from tests.comments.helpers import NOW, post_comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 8
POSTS_PER_READER = 6
LIMIT_PER_ADDRESS = 4


@pytest.fixture(autouse=True)
def a_busy_evening(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.COMMENTS_RATE_LIMIT_PER_IP = LIMIT_PER_ADDRESS
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 100
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0


def test_a_flood_of_readers_on_several_stories_loses_nothing_and_keeps_each_limit():
    stories = [ArticleFactory(headline=f"Story {n}") for n in range(3)]
    start = threading.Barrier(READERS)
    outcomes = []  # (reader, story, body, status)

    def reader(number: int):
        client = Client()
        try:
            start.wait()
            for post in range(POSTS_PER_READER):
                story = stories[(number + post) % len(stories)]
                body = f"Reader {number}, thought {post}"
                response = post_comment(
                    client,
                    story,
                    ip=f"198.51.100.{number + 1}",
                    name=f"Reader {number}",
                    email=f"reader{number}-{post}@example.org",
                    body=body,
                )
                outcomes.append((number, story.pk, body, response.status_code))
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == READERS * POSTS_PER_READER
    assert all(status < 500 for *_, status in outcomes)
    thanked = [(story, body) for _, story, body, status in outcomes if status == 302]
    stored = Counter(Comment.objects.values_list("article_id", "body"))
    assert set(stored) == set(thanked)
    assert all(count == 1 for count in stored.values())
    per_reader = Counter(number for number, *_, status in outcomes if status == 302)
    assert all(count == LIMIT_PER_ADDRESS for count in per_reader.values()), per_reader
    assert all(status == 429 for number, *_, status in outcomes if status != 302), (
        "a refused post is the rate limit's, nothing else"
    )
    for story in Article.objects.filter(pk__in=[s.pk for s in stories]):
        assert story.comment_count == Comment.objects.filter(article=story).count()
