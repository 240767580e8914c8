"""In a real browser: a moderator hides a comment from the article page without a reload,
and a reader loading the page next no longer sees it."""

import pytest

from comments.models import Comment, ModerationAction
from tests.comments.helpers import add_comment
from tests.factories import ArticleFactory, ModeratorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, client, user):
    """A browser tab carrying the session of `user`, as if they had logged in."""
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_moderator_hides_a_comment_in_place_and_a_reader_no_longer_sees_it(
    browser, live_server, client
):
    article = ArticleFactory(headline="Riots in the old city")
    threat = add_comment(article=article, name="Angry", body="Go and burn their shops")
    add_comment(article=article, name="Calm", body="Stay home and stay safe")
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(article.get_absolute_url())
    assert reader.get_by_text("Go and burn their shops").is_visible()

    moderator_page = signed_in_page(browser, live_server, client, ModeratorFactory())
    moderator_page.goto(article.get_absolute_url())
    # Marks this document: a full reload would lose it.
    moderator_page.evaluate("window.stillTheSamePage = true")
    controls = moderator_page.get_by_role("group", name="Moderate the comment by Angry")
    controls.get_by_label("Reason for hiding").select_option(label="Incitement to violence")
    controls.get_by_role("button", name="Hide").click()

    redrawn = moderator_page.locator(f"#{threat.anchor}")
    redrawn.get_by_role("button", name="Unhide").wait_for()
    assert "Hidden: Incitement to violence" in redrawn.inner_text()
    assert moderator_page.evaluate("window.stillTheSamePage") is True
    assert "Comment hidden." in moderator_page.locator("#moderation-status").inner_text()
    threat.refresh_from_db()
    assert threat.status == Comment.Status.HIDDEN
    assert ModerationAction.objects.get().reason == "incitement"

    reader.reload()
    assert reader.get_by_text("Go and burn their shops").count() == 0
    assert reader.get_by_text("Stay home and stay safe").is_visible()
    assert "Reader Comments (1)" in reader.content()
