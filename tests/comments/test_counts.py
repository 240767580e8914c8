"""The stored comment count always equals the number of comments the public can see."""

from datetime import timedelta

import pytest
from django.test import Client

from articles.models import Article
from comments.models import Comment, ModerationReason
from comments.services.moderation import comment_approve, comment_hide, comment_unhide
from tests.comments.helpers import add_comment, html, post_comment
from tests.factories import ArticleFactory, EditorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


def stored_and_real_counts(article) -> tuple[int, int]:
    stored = Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)
    return stored, Comment.objects.visible().filter(article=article).count()


def test_counts_match_the_real_number_after_posts_hides_unhides_and_deletions(client, settings):
    settings.COMMENTS_SUSPECT_WORDS = ["casino"]
    article, other = ArticleFactory(), ArticleFactory()
    post_comment(client, other, body="On another article")

    post_comment(client, article, body="One")
    post_comment(client, article, body="Two", email="two@example.org")
    post_comment(client, article, body="Held: casino", email="three@example.org")
    assert stored_and_real_counts(article) == (2, 2)

    one, two = Comment.objects.get(body="One"), Comment.objects.get(body="Two")
    post_comment(client, article, body="A reply", in_reply_to=one.pk, email="four@example.org")
    assert stored_and_real_counts(article) == (3, 3)

    moderator = EditorFactory()
    comment_hide(comment=two, moderator=moderator, reason=ModerationReason.ABUSE)
    assert stored_and_real_counts(article) == (2, 2)
    comment_unhide(comment=two, moderator=moderator)
    assert stored_and_real_counts(article) == (3, 3)
    comment_approve(comment=Comment.objects.get(body="Held: casino"), moderator=moderator)
    assert stored_and_real_counts(article) == (4, 4)
    assert "Reader Comments (4)" in html(client.get(article.get_absolute_url()))

    Comment.objects.get(body="A reply").delete()
    assert stored_and_real_counts(article) == (3, 3)
    Comment.objects.filter(pk=two.pk).delete()
    assert stored_and_real_counts(article) == (2, 2)
    assert stored_and_real_counts(other) == (1, 1)


def test_deleting_a_hidden_comment_leaves_the_count_alone(client):
    article = ArticleFactory()
    add_comment(article=article)
    hidden = add_comment(article=article, status=Comment.Status.HIDDEN)

    hidden.delete()

    assert stored_and_real_counts(article) == (1, 1)


def test_held_comments_do_not_count_until_published(client):
    article = ArticleFactory(comments_premoderated=True)

    post_comment(client, article)

    assert stored_and_real_counts(article) == (0, 0)


def test_posting_makes_the_cached_listing_show_the_new_count_to_other_readers_within_seconds(
    client, django_capture_on_commit_callbacks, time_machine, settings
):
    article = ArticleFactory()
    other_reader = Client()
    other_reader.get("/")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)
    # Listings may lag a few seconds, so a busy thread does not re-render them per comment.
    time_machine.shift(timedelta(seconds=settings.PAGE_CACHE_LISTING_LAG_SECONDS))

    assert "Reader Comments (1)" in html(other_reader.get("/"))
