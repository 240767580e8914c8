"""Shared steps of the reader-comment stories: a fixed "now" and a form as a browser posts it."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from comments.forms.reader import RENDERED_AT_SALT
from comments.services.counts import comment_count_refresh
from tests.factories import PAST, CommentFactory

# An hour after the factories' articles go out: comments are open, nothing reads the clock.
NOW = PAST + timedelta(hours=1)


def rendered_token(*, article, at) -> str:
    """The hidden field of the article's form, shown to the reader at `at`."""
    return signing.dumps([article.pk, at.timestamp()], salt=RENDERED_AT_SALT)


def comment_data(article, **overrides) -> dict:
    data = {
        "name": "Ayesha Khan",
        "email": "ayesha@example.org",
        "body": "A thoughtful point about the budget.",
        "in_reply_to": "",
        # The reader read the article for a minute before posting (at the frozen clock's time).
        "rendered_at": rendered_token(article=article, at=timezone.now() - timedelta(minutes=1)),
        "website": "",
    }
    data.update(overrides)
    return data


def post_url(article) -> str:
    return reverse("comments:comment-post", kwargs={"article_pk": article.pk})


def post_comment(client, article, *, ip="203.0.113.7", follow=False, headers=None, **overrides):
    return client.post(
        post_url(article),
        comment_data(article, **overrides),
        REMOTE_ADDR=ip,
        follow=follow,
        headers=headers,
    )


def html(response) -> str:
    return response.content.decode()


def add_comment(**fields):
    """A comment made the way the services make one: the article's count kept exact."""
    comment = CommentFactory(**fields)
    comment_count_refresh(article_id=comment.article_id)
    return comment
