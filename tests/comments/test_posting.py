"""Readers post comments and replies under articles, with no account."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import NOW, add_comment, html, post_comment, post_url
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_reader_posts_a_comment_and_is_taken_back_to_it(client):
    article = ArticleFactory()

    response = post_comment(client, article, body="Well reported.\r\nThank you.")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.name, comment.email, comment.body) == (
        "Ayesha Khan",
        "ayesha@example.org",
        "Well reported.\nThank you.",
    )
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.posted_at == NOW
    assert messages_of(response) == ["Thank you, your comment is published."]


def test_reader_sees_their_comment_and_the_new_count_right_after_posting(client):
    article = ArticleFactory()

    response = post_comment(client, article, body="First!")
    page = html(client.get(response["Location"]))

    assert "Reader Comments (1)" in page
    assert "First!" in page
    assert "Thank you, your comment is published." in page


def test_anonymous_post_from_a_cached_page_works_and_the_cache_shows_the_new_comment(
    time_machine, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    # Two readers: the first page view fills the cache the second reader is served from.
    neighbour, reader = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    neighbour.get(article.get_absolute_url())
    with django_assert_max_num_queries(0):
        cached_page = html(reader.get(article.get_absolute_url()))
    assert "csrfmiddlewaretoken" not in cached_page
    token = cached_page.split('name="rendered_at" value="')[1].split('"')[0]
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(reader, article, rendered_at=token, body="From a cached page")

    assert response.status_code == 302
    assert "From a cached page" in html(neighbour.get(article.get_absolute_url()))


def test_anonymous_page_sets_no_cookie_so_it_can_be_cached():
    article = ArticleFactory()

    response = Client().get(article.get_absolute_url())

    assert not response.cookies
    assert 'id="comment-form"' in html(response)


def test_reader_replies_to_a_comment_and_the_reply_shows_under_it(client):
    article = ArticleFactory()
    question = CommentFactory(article=article, name="Bilal", body="Which budget year?")

    post_comment(client, article, in_reply_to=question.pk, body="The 2015 one.")

    reply = Comment.objects.get(body="The 2015 one.")
    assert (reply.parent, reply.in_reply_to) == (question, question)
    page = html(client.get(article.get_absolute_url()))
    replies_block = page.split('class="comment-replies')[1]
    assert f'id="comment-{reply.pk}"' in replies_block
    # A direct answer needs no @name: it sits right under the comment it answers.
    assert "@Bilal" not in page


def test_reply_to_a_reply_joins_the_thread_and_names_whom_it_answers(client):
    article = ArticleFactory()
    root = CommentFactory(article=article, name="Bilal")
    answer = CommentFactory(article=article, parent=root, in_reply_to=root, name="Sana")

    post_comment(client, article, in_reply_to=answer.pk, body="I agree with Sana.")

    deeper = Comment.objects.get(body="I agree with Sana.")
    assert (deeper.parent, deeper.in_reply_to) == (root, answer)
    assert "@Sana" in html(client.get(article.get_absolute_url()))


def test_reply_link_opens_a_page_with_the_comment_and_a_form_that_works_without_javascript(
    client,
):
    article = ArticleFactory()
    question = add_comment(article=article, name="Bilal", body="Which budget year?")
    article_page = html(client.get(article.get_absolute_url()))
    reply_url = reverse("comments:comment-reply", kwargs={"pk": question.pk})
    assert f'href="{reply_url}#comment-form"' in article_page

    page = html(client.get(reply_url))

    assert "Reply to Bilal" in page
    assert "Which budget year?" in page
    assert f'name="in_reply_to" value="{question.pk}"' in page
    assert f'action="{post_url(article)}"' in page


def test_reader_text_in_any_script_is_stored_and_shown_exactly(client):
    article = ArticleFactory()
    name = "ماہ نور ✨"
    body = "یہ بہت اچھی خبر ہے 👍🏽 — it’s “great”, isn't it?\n\n‘Quoted’ 👨‍👩‍👧"

    post_comment(client, article, name=name, body=body)

    comment = Comment.objects.get()
    assert (comment.name, comment.body) == (name, body)
    page = html(client.get(article.get_absolute_url()))
    assert name in page
    assert "یہ بہت اچھی خبر ہے 👍🏽 — it’s “great”, isn&#x27;t it?<br><br>‘Quoted’ 👨‍👩‍👧" in page


def test_comment_shows_name_date_and_time_as_a_newspaper_does(client):
    article = ArticleFactory()

    post_comment(client, article)

    # 17:08 UTC is 10:08 in the evening in Karachi, the site's time zone.
    assert "Nov 20, 2014 - 10:08PM" in html(client.get(article.get_absolute_url()))


def test_email_and_ip_address_never_appear_on_the_page(client):
    article = ArticleFactory()
    post_comment(client, article, email="private.person@example.org", ip="198.51.100.23")

    comment = Comment.objects.get()
    page = html(client.get(article.get_absolute_url()))

    assert "private.person" not in page
    assert "198.51.100.23" not in page
    assert comment.ip_hash and "198.51.100.23" not in comment.ip_hash
    assert comment.ip_hash not in page


def test_staff_member_with_a_byline_gets_the_staff_badge_and_a_link_to_their_page(client):
    editor = EditorFactory()
    author = AuthorFactory(name="Amina Qureshi", user=editor)
    article = ArticleFactory()
    client.force_login(editor)

    post_comment(client, article, name="Someone Else", body="Reporter here: we updated this.")

    comment = Comment.objects.get()
    assert (comment.user, comment.name) == (editor, "Amina Qureshi")
    comment_html = html(client.get(article.get_absolute_url())).split(f'id="{comment.anchor}"')[1]
    assert "Staff</span>" in comment_html.split("</article>")[0]
    assert f'href="{author.get_absolute_url()}"' in comment_html


def test_reader_choosing_a_staff_members_name_gets_no_badge(client):
    AuthorFactory(name="Amina Qureshi", user=EditorFactory())
    article = ArticleFactory()

    post_comment(client, article, name="Amina Qureshi")

    assert Comment.objects.get().user is None
    assert "Staff</span>" not in html(client.get(article.get_absolute_url()))


def test_signed_in_reader_who_is_not_staff_is_stored_as_a_reader(client):
    reader = UserFactory()
    article = ArticleFactory()
    client.force_login(reader)

    post_comment(client, article)

    assert Comment.objects.get().user is None


def test_signed_in_staff_post_without_a_csrf_token_is_forbidden_and_nothing_stored():
    editor = EditorFactory()
    AuthorFactory(user=editor)
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = post_comment(client, article)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_signed_in_staff_post_from_the_page_with_its_csrf_token_is_accepted():
    editor = EditorFactory()
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = html(client.get(article.get_absolute_url()))
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = post_comment(client, article, csrfmiddlewaretoken=token)

    assert response.status_code == 302
    assert Comment.objects.get().user == editor


def test_comment_on_a_premoderated_article_waits_for_approval_and_the_reader_is_told(client):
    article = ArticleFactory(comments_premoderated=True)

    response = post_comment(client, article, body="Held until approved")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.review_reason == "Comments on this article are held for approval."
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    page = html(client.get(response["Location"]))
    assert "Your comment is awaiting review" in page
    assert "Held until approved" not in page
    assert "Reader Comments (0)" in page


def test_comment_in_a_premoderated_section_waits_for_approval(client):
    article = ArticleFactory(section=SectionFactory(name="Opinion", comments_premoderated=True))

    post_comment(client, article)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.review_reason == "Comments in Opinion are held for approval."


def test_staff_comments_are_published_even_on_a_premoderated_article(client):
    article = ArticleFactory(comments_premoderated=True)
    client.force_login(EditorFactory())

    post_comment(client, article)

    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_first_comments_of_a_new_commenter_are_held_until_enough_are_approved(client, settings):
    settings.COMMENTS_HOLD_FIRST_N = 2
    article = ArticleFactory()
    CommentFactory(article=article, email="ayesha@example.org")

    post_comment(client, article, body="My second comment")
    assert Comment.objects.get(body="My second comment").status == Comment.Status.PENDING

    CommentFactory(article=article, email="ayesha@example.org", body="Approved earlier")
    post_comment(client, article, body="My third comment")
    assert Comment.objects.get(body="My third comment").status == Comment.Status.PUBLISHED


def test_holding_first_comments_is_off_by_default(client):
    article = ArticleFactory()

    post_comment(client, article, email="brand.new@example.org")

    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_email_is_stored_in_lower_case_so_one_person_is_one_commenter(client):
    article = ArticleFactory()

    post_comment(client, article, email="Ayesha.Khan@Example.ORG")

    assert Comment.objects.get().email == "ayesha.khan@example.org"


def test_comment_form_asks_for_name_email_and_comment(client):
    article = ArticleFactory()

    page = html(client.get(article.get_absolute_url()))

    form = page.split('id="comment-form"')[1].split("</form>")[0]
    for label in ("Name", "Email", "Comment"):
        assert f"{label}<span" in form
    assert "Never shown publicly." in form


def test_a_get_to_the_posting_address_is_not_allowed(client):
    assert client.get(post_url(ArticleFactory())).status_code == 405
