"""Comments close by themselves after a while; editors close or reopen them per article."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, CommentReopening
from tests.comments.helpers import NOW, add_comment, html, post_comment
from tests.factories import PAST, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


# Stories below travel ten days: past the automatic close, within the editor's session.


@pytest.fixture(autouse=True)
def comments_close_after_a_week(settings, time_machine):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def reader():
    """A reader on their own browser, beside the editor's (the default client)."""
    return Client()


def close_url(article) -> str:
    return reverse("comments:article-comments-close", kwargs={"article_pk": article.pk})


def reopen_url(article) -> str:
    return reverse("comments:article-comments-reopen", kwargs={"article_pk": article.pk})


def test_editor_closes_comments_from_the_article_page_and_readers_can_no_longer_post(
    editor_client, reader
):
    article = ArticleFactory()
    add_comment(article=article, body="Said before closing")
    assert "Close comments</button>" in html(editor_client.get(article.get_absolute_url()))

    response = editor_client.post(close_url(article))

    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert Article.objects.get(pk=article.pk).comments_open is False
    page = html(reader.get(article.get_absolute_url()))
    assert "Said before closing" in page and "Comments are closed on this article." in page
    assert post_comment(reader, article).status_code == 403


def test_editor_reopens_comments_that_closed_by_themselves(editor_client, reader, time_machine):
    article = ArticleFactory()
    time_machine.move_to(PAST + timedelta(days=10), tick=False)
    assert post_comment(reader, article).status_code == 403
    assert "Reopen comments</button>" in html(editor_client.get(article.get_absolute_url()))

    editor_client.post(reopen_url(article))

    reopening = CommentReopening.objects.get(article=article)
    assert reopening.open_until == PAST + timedelta(days=17)
    assert post_comment(reader, article, body="Back again").status_code == 302
    assert Comment.objects.filter(body="Back again").exists()


def test_reopened_comments_close_again_when_the_new_week_is_over(
    editor_client, reader, time_machine
):
    article = ArticleFactory()
    time_machine.move_to(PAST + timedelta(days=10), tick=False)
    editor_client.post(reopen_url(article))

    time_machine.move_to(PAST + timedelta(days=17), tick=False)

    assert post_comment(reader, article).status_code == 403


def test_editor_reopens_comments_an_editor_closed(editor_client, reader):
    article = ArticleFactory(comments_open=False)

    editor_client.post(reopen_url(article))

    assert Article.objects.get(pk=article.pk).comments_open is True
    assert post_comment(reader, article).status_code == 302


def test_closing_withdraws_an_earlier_reopening(editor_client, reader, time_machine):
    article = ArticleFactory()
    time_machine.move_to(PAST + timedelta(days=10), tick=False)
    editor_client.post(reopen_url(article))

    editor_client.post(close_url(article))

    assert not CommentReopening.objects.exists()
    assert post_comment(reader, article).status_code == 403


def test_readers_never_see_the_close_or_reopen_buttons(client):
    article = ArticleFactory()

    assert "Close comments</button>" not in html(client.get(article.get_absolute_url()))


@pytest.mark.parametrize("url", [close_url, reopen_url], ids=["close", "reopen"])
def test_only_editors_may_close_or_reopen_comments(client, url):
    article = ArticleFactory()
    assert client.post(url(article)).status_code == 403

    client.force_login(UserFactory(is_staff=True))
    assert client.post(url(article)).status_code == 403

    assert Article.objects.get(pk=article.pk).comments_open is True
    assert not CommentReopening.objects.exists()


def test_closing_is_a_post_only_action(editor_client):
    assert editor_client.get(close_url(ArticleFactory())).status_code == 405
