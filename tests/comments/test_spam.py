"""Spam defences a reader never notices, and the limits a lively thread never reaches."""

import re
from datetime import timedelta

import pytest
from django.core import signing

from comments.forms.reader import RENDERED_AT_SALT
from comments.models import Comment
from tests.comments.helpers import (
    NOW,
    add_comment,
    comment_data,
    html,
    post_comment,
    post_url,
    rendered_token,
)
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


def test_form_robot_filling_the_hidden_field_is_refused_and_nothing_is_stored(client):
    article = ArticleFactory()

    response = post_comment(client, article, website="http://cheap-pills.example")

    assert response.status_code == 200
    assert "Your comment could not be posted." in html(response)
    assert not Comment.objects.exists()


def test_the_hidden_field_is_hidden_from_people_and_screen_readers(client):
    page = html(client.get(ArticleFactory().get_absolute_url()))

    honeypot = page.split('name="website"')[0].rsplit("<div", 2)[1]
    assert 'class="d-none"' in honeypot
    assert 'aria-hidden="true"' in honeypot


def test_a_form_posted_faster_than_a_person_can_type_is_refused_but_kept(client):
    article = ArticleFactory()

    response = post_comment(
        client, article, rendered_at=rendered_token(article=article, at=NOW - timedelta(seconds=1))
    )

    assert "That was quick!" in html(response)
    assert "A thoughtful point about the budget." in html(response)
    assert not Comment.objects.exists()


def test_the_minimum_time_to_post_is_a_setting(client, settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    article = ArticleFactory()

    response = post_comment(client, article, rendered_at=rendered_token(article=article, at=NOW))

    assert response.status_code == 302


@pytest.mark.parametrize(
    "token", ["", "1416503280.0", "forged:token:value", "signed time without the article"]
)
def test_a_form_without_a_genuine_render_time_is_refused(client, token):
    article = ArticleFactory()
    if token == "signed time without the article":
        token = signing.dumps(NOW.timestamp(), salt=RENDERED_AT_SALT)

    response = post_comment(client, article, rendered_at=token)

    assert "The form was incomplete." in html(response)
    assert not Comment.objects.exists()


def test_a_form_shown_hours_ago_still_posts(client):
    article = ArticleFactory()

    response = post_comment(
        client, article, rendered_at=rendered_token(article=article, at=NOW - timedelta(hours=3))
    )

    assert response.status_code == 302


def test_a_form_left_open_too_long_has_expired_but_keeps_the_text(client, time_machine):
    article = ArticleFactory()

    response = post_comment(
        client,
        article,
        body="Written after lunch",
        rendered_at=rendered_token(article=article, at=NOW - timedelta(hours=4, seconds=1)),
    )

    page = html(response)
    assert response.status_code == 200
    assert "This form has expired (it was opened more than 4 hours ago)." in page
    assert "Written after lunch" in page
    assert not Comment.objects.exists()
    # The form shown again is a fresh one: posting it in a moment works.
    token = page.split('name="rendered_at" value="')[1].split('"')[0]
    time_machine.move_to(NOW + timedelta(seconds=30), tick=False)
    assert post_comment(client, article, rendered_at=token).status_code == 302


def test_how_long_a_form_lasts_is_a_setting(client, settings):
    settings.COMMENTS_FORM_MAX_AGE_SECONDS = 30 * 60
    article = ArticleFactory()

    response = post_comment(
        client, article, rendered_at=rendered_token(article=article, at=NOW - timedelta(hours=1))
    )

    assert "This form has expired (it was opened more than 30 minutes ago)." in html(response)


def test_a_form_of_another_article_is_refused_but_kept(client):
    article, other = ArticleFactory(), ArticleFactory()

    response = post_comment(
        client,
        article,
        body="Meant for this one",
        rendered_at=rendered_token(article=other, at=NOW - timedelta(minutes=1)),
    )

    assert "The form was incomplete." in html(response)
    assert "Meant for this one" in html(response)
    assert not Comment.objects.exists()


def test_reader_answering_three_people_in_five_minutes_is_never_refused(client, time_machine):
    article = ArticleFactory()
    people = [add_comment(article=article, name=name) for name in ("Bilal", "Sana", "Omar")]

    for minute, person in enumerate(people):
        time_machine.move_to(NOW + timedelta(minutes=2 * minute), tick=False)
        response = post_comment(client, article, in_reply_to=person.pk, body=f"@{person.name}")
        assert response.status_code == 302

    assert Comment.objects.filter(email="ayesha@example.org").count() == 3


def test_one_email_posting_too_often_is_refused_with_its_text_kept(client, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 5
    article = ArticleFactory()
    for n in range(5):
        assert post_comment(client, article, body=f"Comment {n}").status_code == 302

    response = post_comment(client, article, body="One too many")

    assert response.status_code == 429
    assert "You are posting faster than we can read." in html(response)
    assert "One too many" in html(response)
    assert Comment.objects.count() == 5


def test_the_email_limit_applies_whatever_the_ip_address(client, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 2
    article = ArticleFactory()
    for n in range(2):
        post_comment(client, article, body=f"Comment {n}", ip=f"192.0.2.{n}")

    response = post_comment(client, article, body="From a third address", ip="192.0.2.99")

    assert response.status_code == 429


def test_one_ip_address_posting_too_often_is_refused_whatever_the_email(client, settings):
    settings.COMMENTS_RATE_LIMIT_PER_IP = 3
    article = ArticleFactory()
    for n in range(3):
        post_comment(client, article, email=f"person{n}@example.org", body=f"Comment {n}")

    response = post_comment(client, article, email="another@example.org", body="Fourth")

    assert response.status_code == 429
    assert Comment.objects.count() == 3


def test_readers_may_post_again_once_the_window_has_passed(client, settings, time_machine):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 2
    article = ArticleFactory()
    for n in range(2):
        post_comment(client, article, body=f"Comment {n}")
    assert post_comment(client, article, body="Too soon").status_code == 429

    time_machine.move_to(NOW + timedelta(seconds=301), tick=False)

    assert post_comment(client, article, body="After a pause").status_code == 302


def test_refused_attempts_do_not_use_up_the_readers_allowance(client, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 2
    article = ArticleFactory()
    closed = ArticleFactory(comments_open=False)
    for _ in range(3):
        post_comment(client, closed)

    assert post_comment(client, article, body="One").status_code == 302
    assert post_comment(client, article, body="Two").status_code == 302


def page_messages(response) -> list[str]:
    """The messages a reader sees at the top of the page."""
    # The alerts only: other status lines on the page (the share links' one) are not messages.
    return re.findall(r'<div class="alert[^"]*" role="status">(.*?)</div>', html(response), re.S)


def test_an_exact_duplicate_posted_twice_is_stored_once(client):
    article = ArticleFactory()

    first = post_comment(client, article, body="Double click")
    second = post_comment(client, article, body="Double click")

    comment = Comment.objects.get()
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")


def test_a_double_click_shows_one_message_the_true_one(client):
    article = ArticleFactory()

    # The browser leaves the first post's page unread and follows the second.
    post_comment(client, article, body="Double click")
    response = post_comment(client, article, body="Double click", follow=True)

    assert page_messages(response) == ["Thank you, your comment is published."]
    assert Comment.objects.count() == 1


def test_a_double_click_on_a_held_comment_shows_one_message_the_true_one(client):
    article = ArticleFactory(comments_premoderated=True)

    post_comment(client, article, body="Double click")
    response = post_comment(client, article, body="Double click", follow=True)

    assert len(page_messages(response)) == 1
    assert page_messages(response)[0].startswith("Thank you. Your comment is awaiting review")


def test_posting_the_same_comment_again_later_says_it_is_published(client):
    article = ArticleFactory()
    post_comment(client, article, body="Said once", follow=True)

    response = post_comment(client, article, body="Said once", follow=True)

    assert page_messages(response) == ["Thank you, your comment is published."]
    assert Comment.objects.count() == 1


def test_posting_again_a_comment_moderators_hid_says_only_that_it_was_posted(client):
    article = ArticleFactory()
    add_comment(
        article=article, email="ayesha@example.org", body="Said once", status=Comment.Status.HIDDEN
    )

    response = post_comment(client, article, body="Said once", follow=True)

    assert page_messages(response) == ["You have already posted this comment."]


def test_the_same_words_in_answer_to_someone_else_are_not_a_duplicate(client):
    article = ArticleFactory()
    bilal, sana = add_comment(article=article), add_comment(article=article)

    post_comment(client, article, in_reply_to=bilal.pk, body="Thank you!")
    post_comment(client, article, in_reply_to=sana.pk, body="Thank you!")

    assert Comment.objects.filter(body="Thank you!").count() == 2


def test_a_comment_with_too_many_links_waits_for_review(client):
    article = ArticleFactory()
    body = "See https://a.example, https://b.example and www.c.example"

    response = post_comment(client, article, body=body)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.review_reason == "Contains 3 links."
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert page_messages(client.get(response["Location"])) == [
        "Thank you. Your comment is held because it has more than 2 links; "
        "a moderator will review it before it appears."
    ]


def test_a_comment_with_a_few_links_is_published(client):
    article = ArticleFactory()

    post_comment(client, article, body="Source: https://a.example and https://b.example")

    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_a_comment_with_a_suspect_word_waits_for_review(client, settings):
    settings.COMMENTS_SUSPECT_WORDS = ["casino"]
    article = ArticleFactory()

    post_comment(client, article, body="Best CASINO bonuses here")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.review_reason == 'Contains a suspect word: "casino".'


def test_behind_a_proxy_each_reader_is_limited_by_their_own_address(client, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.COMMENTS_RATE_LIMIT_PER_IP = 1
    article = ArticleFactory()

    def post_via_proxy(email, forwarded_for):
        return client.post(
            post_url(article),
            comment_data(article, email=email, body=f"From {email}"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    assert post_via_proxy("one@example.org", "198.51.100.1").status_code == 302
    assert post_via_proxy("two@example.org", "198.51.100.2").status_code == 302
    # Only the entry the proxy added counts; a reader cannot dodge the limit by adding one.
    assert post_via_proxy("three@example.org", "203.0.113.9, 198.51.100.2").status_code == 429
