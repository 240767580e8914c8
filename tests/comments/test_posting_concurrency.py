"""Posts arriving at the same moment: one comment per double click, and an exact count."""

import threading

import pytest
from django.db import connection

from articles.models import Article
from comments.models import Comment
from comments.services.posting import comment_post
from comments.services.refusals import CommentRefused, DuplicateComment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def post_all_at_once(posts: list[dict]) -> list:
    """Run comment_post for each set of arguments in its own thread, released together."""
    start = threading.Barrier(len(posts))
    outcomes = []

    def post(arguments):
        try:
            start.wait()
            outcomes.append(comment_post(**arguments))
        except CommentRefused as refusal:
            outcomes.append(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(arguments,)) for arguments in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture(autouse=True)
def comments_always_open(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0


def test_a_double_click_arriving_twice_at_once_stores_one_comment():
    article = ArticleFactory()
    click = {"article": article, "name": "Ayesha", "email": "a@example.org", "body": "Once"}

    outcomes = post_all_at_once([click, click])

    assert Comment.objects.count() == 1
    assert sum(isinstance(outcome, DuplicateComment) for outcome in outcomes) == 1


def test_the_count_is_exact_when_readers_post_at_the_same_moment():
    article = ArticleFactory()
    posts = [
        {"article": article, "name": f"Reader {n}", "email": f"{n}@example.org", "body": "Hi"}
        for n in range(6)
    ]

    post_all_at_once(posts)

    assert Article.objects.get(pk=article.pk).comment_count == Comment.objects.count() == 6
