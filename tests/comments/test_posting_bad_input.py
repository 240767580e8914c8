"""What readers get for bad input: a clear error, their text kept, nothing stored."""

from datetime import timedelta

import pytest

from articles.models import Article
from comments.forms import reader as forms
from comments.models import Comment
from tests.comments.helpers import NOW, add_comment, html, post_comment, post_url
from tests.factories import ArticleFactory, CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("body", "", "Please write a comment before posting."),
        ("body", "   \n\t  ", "Please write a comment before posting."),
        ("body", "\u200b\u00a0\u3000", "Please write a comment before posting."),
        ("name", "", "Please give a name to show with your comment."),
        ("name", "   ", "Please give a name to show with your comment."),
        ("email", "", "Please give your email address; it is never shown publicly."),
        ("email", "ayesha@", "That does not look like an email address; please check it."),
        ("email", "not an email", "That does not look like an email address; please check it."),
        ("body", "x" * 5001, "Comments are limited to 5,000 characters; yours has 5,001."),
        ("body", "Null\x00byte", "Null characters are not allowed."),
        ("body", "Bell\x07ringing", "Your comment contains invisible control characters"),
        ("body", "Escape \x1b[31m red", "Your comment contains invisible control characters"),
        ("body", "C1 \x85 control", "Your comment contains invisible control characters"),
        ("name", "Ayesha\x00", "Null characters are not allowed."),
        ("name", "Ayesha\nKhan", "A name cannot contain line breaks or control characters."),
        ("name", "Ayesha\x7f", "A name cannot contain line breaks or control characters."),
        ("name", "A" * 101, "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_bad_input_shows_a_clear_error_keeps_the_text_and_stores_nothing(
    client, field, value, error
):
    article = ArticleFactory()
    typed = {"name": "Ayesha Khan", "body": "What I wanted to say, kept safe."}

    response = post_comment(client, article, **{**typed, field: value})

    page = html(response)
    assert response.status_code == 200
    assert error in page
    assert not Comment.objects.exists()
    for kept_field, kept_value in typed.items():
        if kept_field != field:
            assert kept_value in page


def test_a_comment_of_exactly_the_maximum_length_is_accepted(client):
    article = ArticleFactory()

    post_comment(client, article, body="x" * 5000)

    assert len(Comment.objects.get().body) == 5000


def test_the_maximum_length_is_a_setting(client, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    article = ArticleFactory()

    response = post_comment(client, article, body="y" * 21)

    assert "Comments are limited to 20 characters; yours has 21." in html(response)


def test_the_corrected_form_can_simply_be_posted_again(client, time_machine):
    article = ArticleFactory()
    page = html(post_comment(client, article, email="oops"))
    token = page.split('name="rendered_at" value="')[1].split('"')[0]
    time_machine.move_to(NOW + timedelta(seconds=30), tick=False)

    response = post_comment(client, article, rendered_at=token)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_comment_text_with_tabs_and_blank_lines_is_kept_as_typed(client):
    article = ArticleFactory()
    body = "\tIndented start\n\n\nthree blank lines above, trailing space "

    post_comment(client, article, body=body)

    assert Comment.objects.get().body == body


# Refused: the article or the comment answered is not there to comment on


@pytest.mark.parametrize(
    "article_state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_comment_on_an_article_readers_cannot_see_is_refused_with_404(client, article_state):
    article = ArticleFactory(headline="Secret scoop", **article_state)

    response = post_comment(client, article)

    assert response.status_code == 404
    assert "This article is not open for comments." in html(response)
    assert "Secret scoop" not in html(response)
    assert not Comment.objects.exists()


def test_comment_on_an_article_that_does_not_exist_is_refused_with_404(client):
    response = client.post(post_url(Article(pk=999_999)), {"body": "Hello"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_reader_posting_to_a_closed_article_is_refused_and_nothing_is_stored(client):
    article = ArticleFactory(comments_open=False)

    response = post_comment(client, article, body="Let me in")

    assert response.status_code == 403
    assert "Comments are closed on this article." in html(response)
    assert "Let me in" in html(response)  # Their text, to copy elsewhere.
    assert not Comment.objects.exists()


def test_comments_close_by_themselves_the_set_number_of_days_after_publication(
    client, settings, time_machine
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 3
    article = ArticleFactory()
    time_machine.move_to(article.published_at + timedelta(days=3, seconds=-1), tick=False)
    assert post_comment(client, article, body="Just in time").status_code == 302

    time_machine.move_to(article.published_at + timedelta(days=3), tick=False)
    response = post_comment(client, article, body="Too late")

    assert response.status_code == 403
    assert list(Comment.objects.values_list("body", flat=True)) == ["Just in time"]


def test_comments_never_close_by_themselves_when_the_setting_is_zero(
    client, settings, time_machine
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    article = ArticleFactory()
    time_machine.move_to(article.published_at + timedelta(days=3650), tick=False)

    assert post_comment(client, article).status_code == 302


def test_editor_reopening_comments_lets_readers_post_again(client):
    article = ArticleFactory(comments_open=False)
    assert post_comment(client, article).status_code == 403

    Article.objects.filter(pk=article.pk).update(comments_open=True)

    assert post_comment(client, article).status_code == 302


def test_reply_to_a_comment_on_another_article_is_refused_and_nothing_is_stored(client):
    article = ArticleFactory()
    elsewhere = CommentFactory(article=ArticleFactory())

    response = post_comment(client, article, in_reply_to=elsewhere.pk)

    assert response.status_code == 404
    assert "The comment you are replying to is not available any more." in html(response)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.PENDING])
def test_reply_to_a_comment_readers_cannot_see_is_refused(client, status):
    article = ArticleFactory()
    unseen = CommentFactory(article=article, status=status)

    response = post_comment(client, article, in_reply_to=unseen.pk)

    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_reply_to_a_comment_that_does_not_exist_is_refused(client):
    article = ArticleFactory()

    response = post_comment(client, article, in_reply_to=987_654)

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_reply_page_of_a_hidden_comment_is_not_found(client):
    hidden = CommentFactory(status=Comment.Status.HIDDEN)

    assert client.get(f"/comments/{hidden.pk}/reply/").status_code == 404


def test_reply_page_on_a_closed_article_says_comments_are_closed(client):
    comment = add_comment(article=ArticleFactory(comments_open=False))

    response = client.get(f"/comments/{comment.pk}/reply/")

    assert response.status_code == 403
    assert "Comments are closed on this article." in html(response)
    assert 'id="comment-form"' not in html(response)


# Far too long: refused before any work on the text, and never sent back


def short_texts_only(check):
    def guarded(text, **kwargs):
        assert len(text) < 100_000, f"{check.__name__} read a text known to be too long"
        return check(text, **kwargs)

    return guarded


def test_a_huge_comment_is_refused_by_its_length_and_not_sent_back(client, monkeypatch):
    article = ArticleFactory()
    huge = "word " * 480_000  # 2.4 MB, as a script posts it.
    # Nothing may look at each character of a text already known to be too long.
    for check in ("control_characters", "is_blank", "normalize_newlines"):
        monkeypatch.setattr(
            f"comments.forms.reader.{check}", short_texts_only(getattr(forms, check))
        )

    response = post_comment(client, article, name="Ayesha Khan", body=huge)

    page = html(response)
    assert response.status_code == 200
    assert "Comments are limited to 5,000 characters; yours has 2,400,000." in page
    assert "word word" not in page
    # The page, its stylesheets inline, is under 100 KB; the comment alone was 2.4 MB.
    assert len(page) < 150_000
    assert "Ayesha Khan" in page  # The rest of what was typed is kept.
    assert not Comment.objects.exists()


def test_a_comment_a_little_over_the_limit_comes_back_to_be_shortened(client):
    article = ArticleFactory()
    body = "A long reply. " * 400  # 5,600 characters.

    response = post_comment(client, article, body=body)

    assert "Comments are limited to 5,000 characters; yours has 5,600." in html(response)
    assert body.strip() in html(response)


def test_windows_line_breaks_count_once_towards_the_limit(client, settings):
    settings.COMMENTS_MAX_LENGTH = 10
    article = ArticleFactory()

    post_comment(client, article, body="one\r\ntwo\r\n3")

    assert Comment.objects.get().body == "one\ntwo\n3"
