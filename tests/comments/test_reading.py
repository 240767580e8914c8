"""Readers read the conversation under an article: in order, safely, in few queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services.counts import comment_count_refresh
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import PAST, ArticleFactory, CommentFactory, EditorFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


def thread_of(page: str) -> str:
    return page.split('id="comments"')[1].split("</section>")[0]


def test_comments_read_oldest_first_as_a_conversation_does(client):
    article = ArticleFactory()
    add_comment(article=article, body="Second said", posted_at=PAST + timedelta(minutes=20))
    add_comment(article=article, body="First said", posted_at=PAST + timedelta(minutes=10))

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert thread.index("First said") < thread.index("Second said")


def test_editors_pick_comes_first_with_a_badge(client):
    article = ArticleFactory()
    add_comment(article=article, body="Early and ordinary", posted_at=PAST)
    add_comment(article=article, body="Late but insightful", is_featured=True, posted_at=NOW)

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert thread.index("Late but insightful") < thread.index("Early and ordinary")
    assert thread.count("Editor's pick") == 1


def test_each_comment_has_a_permalink_anchor(client):
    article = ArticleFactory()
    comment = add_comment(article=article)

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert f'id="comment-{comment.pk}"' in thread
    assert f'href="/comments/{comment.pk}/"' in thread
    response = client.get(f"/comments/{comment.pk}/")
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_long_conversations_are_paged_with_show_more(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = ArticleFactory()
    for minute in range(5):
        add_comment(
            article=article,
            body=f"Comment number {minute}",
            posted_at=PAST + timedelta(minutes=minute),
        )

    first = thread_of(html(client.get(article.get_absolute_url())))
    third = thread_of(html(client.get(f"{article.get_absolute_url()}?comments_page=3")))

    assert "Comment number 1" in first and "Comment number 2" not in first
    assert "Show more comments" in first and "?comments_page=2#comments" in first
    assert "Comment number 4" in third and "Comment number 3" not in third
    assert "Show more comments" not in third
    assert "Reader Comments (5)" in first


def test_permalink_of_a_reply_on_a_later_page_leads_to_that_page(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = ArticleFactory()
    roots = [
        add_comment(article=article, posted_at=PAST + timedelta(minutes=minute))
        for minute in range(3)
    ]
    reply = add_comment(article=article, parent=roots[2], in_reply_to=roots[2], posted_at=NOW)

    response = client.get(reply.get_absolute_url())

    assert response["Location"] == (
        f"{article.get_absolute_url()}?comments_page=2#comment-{reply.pk}"
    )
    assert f'id="comment-{reply.pk}"' in html(client.get(response["Location"]))


def test_editors_pick_moves_the_conversations_after_it_one_place_later(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = ArticleFactory()
    first, second = (
        add_comment(article=article, posted_at=PAST + timedelta(minutes=minute))
        for minute in range(2)
    )
    pick = add_comment(article=article, is_featured=True, posted_at=NOW)

    assert client.get(pick.get_absolute_url())["Location"].endswith(f"#comment-{pick.pk}")
    assert client.get(first.get_absolute_url())["Location"].endswith(
        f"{article.get_absolute_url()}#comment-{first.pk}"
    )
    assert client.get(second.get_absolute_url())["Location"] == (
        f"{article.get_absolute_url()}?comments_page=2#comment-{second.pk}"
    )


def test_comments_posted_in_the_same_instant_keep_their_order_across_pages(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = ArticleFactory()
    together = [add_comment(article=article, posted_at=PAST) for _ in range(3)]

    pages = [
        client.get(comment.get_absolute_url())["Location"].partition("#")[0] for comment in together
    ]

    assert pages == [article.get_absolute_url()] * 2 + [
        f"{article.get_absolute_url()}?comments_page=2"
    ]
    last_page = thread_of(html(client.get(pages[2])))
    assert f'id="comment-{together[2].pk}"' in last_page


def test_permalink_of_a_hidden_comment_is_not_found(client):
    hidden = add_comment(status=Comment.Status.HIDDEN)

    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_hidden_comment_with_visible_replies_leaves_a_placeholder(client):
    article = ArticleFactory()
    hidden = add_comment(article=article, body="Something abusive", status=Comment.Status.HIDDEN)
    add_comment(article=article, parent=hidden, in_reply_to=hidden, body="Calm down, please")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "This comment was hidden by moderators." in thread
    assert "Something abusive" not in thread
    assert "Calm down, please" in thread
    assert "Reader Comments (1)" in html(client.get(article.get_absolute_url()))


def test_a_hidden_comment_without_visible_replies_is_simply_absent(client):
    article = ArticleFactory()
    hidden = add_comment(article=article, body="Something abusive", status=Comment.Status.HIDDEN)
    add_comment(article=article, parent=hidden, in_reply_to=hidden, status=Comment.Status.HIDDEN)
    add_comment(article=article, body="An ordinary comment")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "hidden by moderators" not in thread
    assert "Something abusive" not in thread
    assert thread.count('class="comment"') == 1


def test_a_comment_under_review_with_visible_replies_leaves_a_placeholder(client):
    article = ArticleFactory()
    held = add_comment(article=article, body="Reported text", status=Comment.Status.PENDING)
    add_comment(article=article, parent=held, in_reply_to=held, body="A reply to it")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "This comment is awaiting review." in thread
    assert "Reported text" not in thread
    assert "A reply to it" in thread


def test_hidden_and_pending_replies_are_not_shown(client):
    article = ArticleFactory()
    root = add_comment(article=article)
    add_comment(
        article=article, parent=root, in_reply_to=root, body="Hidden reply", status="hidden"
    )
    add_comment(article=article, parent=root, in_reply_to=root, body="Held reply", status="pending")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "Hidden reply" not in thread and "Held reply" not in thread


def test_a_closed_article_shows_its_comments_and_says_it_is_closed(client):
    article = ArticleFactory(comments_open=False)
    add_comment(article=article, body="Said while it was open")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "Said while it was open" in thread
    assert "Comments are closed on this article." in thread
    assert 'id="comment-form"' not in thread
    assert ">Reply</a>" not in thread


def test_an_article_past_its_comment_window_says_it_is_closed(client, settings, time_machine):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    article = ArticleFactory()
    time_machine.move_to(PAST + timedelta(days=8), tick=False)

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "Comments are closed on this article." in thread


def test_editor_previewing_a_draft_sees_no_comment_form(editor_client):
    article = ArticleFactory(status="draft", published_at=None)

    thread = thread_of(html(editor_client.get(article.get_absolute_url())))

    assert "Comments open when the article is published." in thread
    assert 'id="comment-form"' not in thread


# Reader text is shown as text


def test_a_script_in_name_or_body_is_shown_as_text(client):
    article = ArticleFactory()
    add_comment(
        article=article,
        name="<script>alert('name')</script>",
        body='<script>alert("body")</script><img src=x onerror=alert(1)>',
    )

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert "<script>" not in thread and "<img" not in thread
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in thread
    assert "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;&lt;img src=x" in thread


def test_links_in_a_comment_are_clickable_but_not_endorsed(client):
    article = ArticleFactory()
    add_comment(article=article, body="Source: https://example.org/report?id=1&x=2.")

    thread = thread_of(html(client.get(article.get_absolute_url())))

    assert (
        '<a href="https://example.org/report?id=1&amp;x=2" rel="nofollow ugc noopener">'
        "https://example.org/report?id=1&amp;x=2</a>." in thread
    )


def test_line_breaks_in_a_comment_are_kept(client):
    article = ArticleFactory()
    add_comment(article=article, body="First line\nSecond line")

    assert "First line<br>Second line" in html(client.get(article.get_absolute_url()))


# Counts


def test_count_shown_counts_only_comments_the_public_can_see(client):
    article = ArticleFactory()
    add_comment(article=article)
    add_comment(article=article, status=Comment.Status.HIDDEN)
    add_comment(article=article, status=Comment.Status.PENDING)

    assert "Reader Comments (1)" in html(client.get(article.get_absolute_url()))


@pytest.mark.parametrize("articles", [2, 12])
def test_listings_show_comment_counts_without_a_query_per_article(
    client, articles, django_assert_max_num_queries
):
    section = SectionFactory()
    for n in range(articles):
        article = ArticleFactory(section=section)
        for _ in range(n % 3 + 1):
            add_comment(article=article)
        add_comment(article=article, status=Comment.Status.HIDDEN)

    with django_assert_max_num_queries(7):
        page = html(client.get(section.get_absolute_url()))
    with django_assert_max_num_queries(6):
        front = html(client.get("/"))

    assert "Reader Comments (1)" in page and "Reader Comments (2)" in page
    assert "Reader Comments (2)" in front


# Query counts: constant whatever the size of the conversation


def bulk_conversation(article, size: int) -> None:
    """size comments: half of them top-level, each followed by a reply to it."""
    roots = Comment.objects.bulk_create(
        CommentFactory.build(article=article, posted_at=PAST + timedelta(seconds=n))
        for n in range(size // 2)
    )
    Comment.objects.bulk_create(
        CommentFactory.build(
            article=article,
            parent=root,
            in_reply_to=root,
            posted_at=root.posted_at + timedelta(minutes=1),
        )
        for root in roots
    )
    comment_count_refresh(article_id=article.pk)


@pytest.mark.parametrize("size", [2, 500])
def test_article_page_queries_do_not_grow_with_comments(
    client, size, django_assert_max_num_queries
):
    article = ArticleFactory()
    bulk_conversation(article, size)

    # The article page's own seven, plus one for a page of the thread with its replies.
    with django_assert_max_num_queries(8):
        page = html(client.get(article.get_absolute_url()))

    assert f"Reader Comments ({size})" in page


@pytest.mark.parametrize("size", [2, 500])
def test_staff_article_page_queries_do_not_grow_with_comments(
    size, client, django_assert_max_num_queries
):
    client.force_login(EditorFactory())
    article = ArticleFactory()
    bulk_conversation(article, size)

    # One of them reads the breaking-news banner, the same on every page.
    with django_assert_max_num_queries(14):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_reply_page_shows_only_what_readers_may_see(client):
    comment = add_comment(email="secret@example.org", name="Bilal")

    page = html(client.get(reverse("comments:comment-reply", kwargs={"pk": comment.pk})))

    assert "Bilal" in page
    assert "secret@example.org" not in page


def test_the_article_page_links_from_its_top_to_the_comments(client):
    article = ArticleFactory()
    add_comment(article=article)

    page = html(client.get(article.get_absolute_url()))

    header = page.split("</header>", 2)[1]  # The article's own header, after the site's.
    assert '<a class="comments-skip" href="#comments">Comments (1)</a>' in header
    assert '<a class="comments-jump" href="#comment-form">Leave a comment</a>' in page


def test_the_reply_page_remembers_the_reader_too(client):
    comment = add_comment(article=ArticleFactory())

    page = html(client.get(reverse("comments:comment-reply", kwargs={"pk": comment.pk})))

    assert 'src="/static/comments/thread.js"' in page
