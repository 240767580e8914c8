"""The thread under an article is cheap to draw: each comment is rendered once and reused
until what it shows changes, and the whole conversation costs a fixed number of queries.

The page cache is off in these stories, so every page view draws the thread again and
only the comment fragments can be reused.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.safestring import mark_safe

from comments.models import Comment
from comments.services import moderation, privacy
from comments.threads import reader_fragments
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ModeratorFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    reader_fragments.clear()
    yield
    reader_fragments.clear()


@pytest.fixture
def moderator():
    return ModeratorFactory(username="moderator")


def thread_of(page: str) -> str:
    return page.split('id="comments"')[1].split("</section>")[0]


def read(client, article) -> str:
    return thread_of(html(client.get(article.get_absolute_url())))


def test_unchanged_comments_come_from_the_fragments_drawn_before(client):
    article = ArticleFactory()
    add_comment(article=article, body="Drawn once")
    assert "Drawn once" in read(client, article)

    # Whatever the fragment cache holds is what the next reader gets.
    for key in list(reader_fragments._entries):
        reader_fragments.set(key, mark_safe("<p>kept from the first drawing</p>"))

    thread = read(client, article)
    assert "kept from the first drawing" in thread
    assert "Drawn once" not in thread


def test_a_hidden_comment_never_shows_from_a_stale_fragment(client, moderator):
    article = ArticleFactory()
    nasty = add_comment(article=article, body="Go and burn their houses down")
    add_comment(article=article, body="A calm point")
    assert "burn their houses" in read(client, article)

    client.force_login(moderator)
    response = client.post(
        reverse("comments:comment-hide", kwargs={"pk": nasty.pk}), {"reason": "incitement"}
    )
    assert response.status_code == 302
    client.logout()

    thread = read(client, article)
    assert "burn their houses" not in thread
    assert "A calm point" in thread


def test_a_hidden_comment_with_replies_turns_into_its_placeholder(client, moderator):
    article = ArticleFactory()
    root = add_comment(article=article, body="Something nasty")
    add_comment(article=article, parent=root, in_reply_to=root, body="Calm down, please")
    assert "Something nasty" in read(client, article)

    moderation.comment_hide(comment=root, moderator=moderator, reason="abuse")

    thread = read(client, article)
    assert "Something nasty" not in thread
    assert "This comment was hidden by moderators." in thread
    assert "Calm down, please" in thread


def test_an_unhidden_comment_comes_back(client, moderator):
    article = ArticleFactory()
    comment = add_comment(article=article, body="Fair criticism")
    moderation.comment_hide(comment=comment, moderator=moderator, reason="spam")
    assert "Fair criticism" not in read(client, article)

    moderation.comment_unhide(comment=comment, moderator=moderator)

    assert "Fair criticism" in read(client, article)


def test_an_approved_comment_shows_in_full_instead_of_awaiting_review(client, moderator):
    article = ArticleFactory()
    held = add_comment(article=article, body="Held for its link", status=Comment.Status.PENDING)
    add_comment(article=article, parent=held, in_reply_to=held, body="A reply to it")
    thread = read(client, article)
    assert "This comment is awaiting review." in thread
    assert "Held for its link" not in thread

    moderation.comment_approve(comment=held, moderator=moderator)

    thread = read(client, article)
    assert "Held for its link" in thread
    assert "awaiting review" not in thread


def test_a_featured_comment_gets_its_badge_and_loses_it_when_unfeatured(client, moderator):
    article = ArticleFactory()
    comment = add_comment(article=article, body="Insightful")
    assert "Editor's pick" not in read(client, article)

    moderation.comment_feature(comment=comment, moderator=moderator, is_featured=True)
    assert "Editor's pick" in read(client, article)

    moderation.comment_feature(comment=comment, moderator=moderator, is_featured=False)
    assert "Editor's pick" not in read(client, article)


def test_erasing_a_readers_data_takes_their_name_off_drawn_comments(client, moderator):
    article = ArticleFactory()
    add_comment(article=article, name="Zara Jamil", email="zara@example.org", body="Mine")
    assert "Zara Jamil" in read(client, article)

    privacy.privacy_erase(email="zara@example.org", moderator=moderator)

    thread = read(client, article)
    assert "Zara Jamil" not in thread
    assert "Mine" in thread


def test_closing_comments_takes_the_reply_links_off_drawn_comments(client, editor):
    article = ArticleFactory()
    add_comment(article=article, body="Reply to me")
    assert "Reply</a>" in read(client, article)

    client.force_login(editor)
    client.post(reverse("comments:article-comments-close", kwargs={"article_pk": article.pk}))
    client.logout()

    assert "Reply</a>" not in read(client, article)


def test_readers_never_get_a_moderators_drawing_nor_the_other_way_round(client, moderator):
    article = ArticleFactory()
    add_comment(article=article, body="Seen by both")

    client.force_login(moderator)
    assert "moderation-controls" in read(client, article)
    client.logout()
    reader_thread = read(client, article)
    client.force_login(moderator)
    moderator_thread = read(client, article)

    assert "Seen by both" in reader_thread
    assert "moderation-controls" not in reader_thread
    assert "moderation-controls" in moderator_thread


def test_comment_links_are_the_reversed_addresses(client):
    article = ArticleFactory()
    comment = add_comment(article=article)

    thread = read(client, article)

    for name in ("comment-permalink", "comment-reply", "comment-report"):
        assert f'href="{reverse(f"comments:{name}", kwargs={"pk": comment.pk})}' in thread


def test_a_page_number_that_is_not_one_shows_the_first_page(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = ArticleFactory()
    for minute in range(3):
        add_comment(
            article=article, body=f"Number {minute}", posted_at=PAST + timedelta(minutes=minute)
        )

    for junk in ("abc", "0", "-3", "1e9"):
        response = client.get(f"{article.get_absolute_url()}?comments_page={junk}")
        assert response.status_code == 200
        assert "Number 0" in thread_of(html(response))
    beyond = thread_of(html(client.get(f"{article.get_absolute_url()}?comments_page=9")))
    assert "Number" not in beyond
    assert "Earlier comments" in beyond


# Queries: the thread costs the same however long it is


def busy_thread(article, count: int) -> None:
    staff = UserFactory(is_staff=True)
    AuthorFactory(user=staff, name="Sana Mirza")
    for number in range(count):
        root = add_comment(
            article=article, body=f"Root {number}", posted_at=PAST + timedelta(minutes=number)
        )
        add_comment(
            article=article,
            parent=root,
            in_reply_to=root,
            user=staff if number % 2 else None,
            body=f"Reply {number}",
            posted_at=NOW - timedelta(minutes=5),
        )


@pytest.mark.parametrize("count", [3, 30])
def test_article_page_with_its_comments_costs_at_most_eight_queries(
    client, count, django_assert_max_num_queries
):
    section = SectionFactory()
    article = ArticleFactory(section=section, bylines=[AuthorFactory(), AuthorFactory()])
    ArticleFactory(section=section)
    busy_thread(article, count)

    with django_assert_max_num_queries(8):
        page = html(client.get(article.get_absolute_url()))
    assert f"Reply {count - 1}" in page
    assert "Staff" in page


def test_an_article_past_its_comment_window_costs_no_more(
    client, settings, time_machine, django_assert_max_num_queries
):
    # Past the automatic close, the page asks whether an editor reopened comments.
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    time_machine.move_to(PAST + timedelta(days=3), tick=False)
    article = ArticleFactory()
    busy_thread(article, 5)

    with django_assert_max_num_queries(8):
        page = html(client.get(article.get_absolute_url()))
    assert "Comments are closed on this article." in page


def test_a_moderators_controls_carry_their_csrf_token(client, moderator):
    article = ArticleFactory()
    add_comment(article=article, body="Needs a look")
    client.force_login(moderator)

    thread = read(client, article)

    assert thread.count('name="csrfmiddlewaretoken"') >= 2  # Hide and Feature at least.
