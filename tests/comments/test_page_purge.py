"""Comments refresh only the pages that show them: their article at once, listings soon."""

import pytest
from django.test import Client

from articles.models import Article
from comments.services import moderation
from tests.comments.helpers import add_comment, html, post_comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


def cached_then_changed_quietly(article) -> None:
    """Fill the cache with the page, then change the story behind the cache's back."""
    Client().get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(headline="Changed quietly")


def test_a_comment_on_one_article_leaves_other_cached_pages_in_place(
    django_capture_on_commit_callbacks,
):
    commented, untouched = ArticleFactory(), ArticleFactory(headline="Untouched story")
    cached_then_changed_quietly(untouched)
    Client().get(commented.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(Client(), commented, body="Fresh thoughts on the budget")

    assert response.status_code == 302
    assert "Fresh thoughts on the budget" in html(Client().get(commented.get_absolute_url()))
    assert "Untouched story" in html(Client().get(untouched.get_absolute_url()))


def test_a_hide_on_one_article_refreshes_it_and_leaves_the_others(
    django_capture_on_commit_callbacks,
):
    article, other = ArticleFactory(), ArticleFactory(headline="Other story")
    comment = add_comment(article=article, body="Something nasty")
    assert "Something nasty" in html(Client().get(article.get_absolute_url()))
    cached_then_changed_quietly(other)

    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_hide(comment=comment, moderator=None, reason="abuse")

    assert "Something nasty" not in html(Client().get(article.get_absolute_url()))
    assert "Other story" in html(Client().get(other.get_absolute_url()))
