"""With JavaScript, "Reply" opens the form in place; the page works the same without it."""

import pytest

from comments.models import Comment
from tests.comments.helpers import add_comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    return browser.new_page(base_url=live_server.url)


def test_reader_replies_in_place_and_sees_the_reply_under_the_comment(page):
    article = ArticleFactory()
    question = add_comment(article=article, name="Bilal", body="Which budget year?")
    page.goto(article.get_absolute_url())

    page.get_by_role("link", name="Reply to Bilal").click()
    form = page.locator(f"#{question.anchor} + #comment-form")
    assert form.locator(".comment-form-heading").inner_text() == "Reply to Bilal"
    form.get_by_label("Name").fill("Ayesha")
    form.get_by_label("Email").fill("ayesha@example.org")
    form.get_by_label("Comment").fill("The 2015 one.")
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#comment-*")

    reply = Comment.objects.get(body="The 2015 one.")
    assert reply.in_reply_to == question
    assert page.locator(f".comment-replies #{reply.anchor}").is_visible()
    assert "Thank you, your comment is published." in page.content()
