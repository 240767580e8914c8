"""Moderators hide, unhide, approve and feature comments from the article page; readers see
the result at once, and every step is in the audit log."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment, ModerationAction, ModerationReason
from comments.services.moderation import comment_approve, comment_hide, comment_unhide
from comments.services.reports import comment_report
from tests.comments.helpers import NOW, add_comment, html, post_comment
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ModeratorFactory,
    UserFactory,
    moderators_group,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

Status = Comment.Status
Kind = ModerationAction.Kind


@pytest.fixture
def moderator():
    return ModeratorFactory(username="moderator")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def thread_of(page: str) -> str:
    return page.split('id="comments"')[1].split("</section>")[0]


def hide_url(comment) -> str:
    return reverse("comments:comment-hide", kwargs={"pk": comment.pk})


def refreshed(comment) -> Comment:
    comment.refresh_from_db()
    return comment


# Who may moderate

MODERATOR_PERMISSIONS = [
    "moderate_comment",
    "view_comment",
    "change_comment",
    "view_ban",
    "add_ban",
    "change_ban",
    "view_report",
    "view_moderationaction",
]


def test_the_data_migration_creates_the_moderators_group_with_what_moderation_needs():
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("comments.migrations.0003_moderators_group")
    Group.objects.filter(name="Moderators").delete()

    with connection.schema_editor() as schema_editor:
        migration.create_moderators_group(apps, schema_editor)

    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert codenames == set(MODERATOR_PERMISSIONS)
    assert "delete_comment" not in codenames


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("reader", 403), ("editor", 403), ("moderator", 302)],
)
def test_only_moderators_can_hide_a_comment_even_by_posting_directly(client, who, expected):
    users = {
        "reader": UserFactory,
        "editor": EditorFactory,
        "moderator": ModeratorFactory,
    }
    if who in users:
        client.force_login(users[who]())
    comment = add_comment()

    response = client.post(hide_url(comment), {"reason": "abuse"})

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("admin:login"))
    hidden = refreshed(comment).status == Status.HIDDEN
    assert hidden is (who == "moderator")
    assert ModerationAction.objects.exists() is (who == "moderator")


@pytest.mark.parametrize(
    "url_name", ["comment-hide", "comment-unhide", "comment-approve", "comment-feature"]
)
def test_an_editor_without_the_permission_is_refused_every_moderation_action(
    editor_client, url_name
):
    comment = add_comment(status=Status.PENDING)

    response = editor_client.post(
        reverse(f"comments:{url_name}", kwargs={"pk": comment.pk}), {"reason": "spam"}
    )

    assert response.status_code == 403
    assert refreshed(comment).status == Status.PENDING
    assert not ModerationAction.objects.exists()


def test_an_editor_made_moderator_can_moderate(client):
    editor = EditorFactory()
    editor.groups.add(moderators_group())
    client.force_login(editor)
    comment = add_comment()

    client.post(hide_url(comment), {"reason": "spam"})

    assert refreshed(comment).status == Status.HIDDEN


def test_moderation_endpoints_refuse_get(moderator_client):
    comment = add_comment()

    response = moderator_client.get(hide_url(comment))

    assert response.status_code == 405
    assert refreshed(comment).status == Status.PUBLISHED


def test_moderating_a_comment_that_does_not_exist_is_not_found(moderator_client):
    response = moderator_client.post(
        reverse("comments:comment-hide", kwargs={"pk": 999999}), {"reason": "spam"}
    )

    assert response.status_code == 404


def test_hide_needs_a_reason_from_the_list(moderator_client):
    comment = add_comment()

    response = moderator_client.post(hide_url(comment), {"reason": "because"})

    assert response.status_code == 400
    assert refreshed(comment).status == Status.PUBLISHED


def test_the_page_hide_control_chooses_no_reason_for_the_moderator(moderator_client):
    comment = add_comment()

    thread = thread_of(html(moderator_client.get(comment.article.get_absolute_url())))

    select = thread[thread.index(f'id="hide-reason-{comment.pk}"') :]
    select = select[: select.index("</select>")]
    assert 'required>\n        <option value="">Choose a reason…</option>' in select
    assert "selected" not in select


def test_a_hurried_hide_without_a_reason_asks_for_one_and_keeps_the_note(moderator_client):
    comment = add_comment(body="Borderline words")

    response = moderator_client.post(hide_url(comment), {"reason": "", "note": "Repeat offender"})

    assert response.status_code == 400
    page = html(response)
    assert "Choose why this comment is hidden; nothing was hidden." in page
    assert 'value="Repeat offender"' in page
    assert "Borderline words" in page
    assert f'href="{comment.article.get_absolute_url()}#{comment.anchor}">Cancel' in page
    assert refreshed(comment).status == Status.PUBLISHED
    assert not ModerationAction.objects.exists()


def test_a_hide_without_a_reason_from_the_script_gets_the_message_to_show(moderator_client):
    comment = add_comment()

    response = moderator_client.post(
        hide_url(comment), {"reason": "", "note": ""}, headers={"accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == {"message": "Choose why this comment is hidden; nothing was hidden."}


def test_hide_needs_a_csrf_token(moderator):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    comment = add_comment()

    response = browser.post(hide_url(comment), {"reason": "abuse"})

    assert response.status_code == 403
    assert refreshed(comment).status == Status.PUBLISHED


# On the article page


def test_readers_see_no_moderation_controls(client):
    comment = add_comment()

    thread = thread_of(html(client.get(comment.article.get_absolute_url())))

    assert hide_url(comment) not in thread
    assert "moderation.js" not in thread


def test_an_editor_without_the_permission_sees_no_moderation_controls(editor_client):
    comment = add_comment()

    thread = thread_of(html(editor_client.get(comment.article.get_absolute_url())))

    assert hide_url(comment) not in thread
    assert "moderation.js" not in thread


def test_moderator_sees_hide_with_reasons_on_each_comment_and_the_script(moderator_client):
    comment = add_comment()

    thread = thread_of(html(moderator_client.get(comment.article.get_absolute_url())))

    assert f'action="{hide_url(comment)}"' in thread
    for label in ModerationReason.labels:
        assert label in thread
    assert 'name="csrfmiddlewaretoken"' in thread
    assert "comments/moderation.js" in thread


def test_moderator_hides_a_comment_from_the_page_and_readers_no_longer_see_it(
    client, moderator, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    comment = add_comment(article=article, body="Go and burn their houses down")
    add_comment(article=article, body="A calm point")
    # A reader's visit fills the page cache first.
    assert "burn their houses" in html(client.get(article.get_absolute_url()))
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            hide_url(comment), {"reason": "incitement", "note": "Calls for arson"}
        )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#{comment.anchor}")
    client.logout()
    page = html(client.get(article.get_absolute_url()))
    assert "burn their houses" not in page
    assert "A calm point" in page
    assert "Reader Comments (1)" in page


def test_moderator_still_reads_a_hidden_comment_marked_as_hidden_with_unhide(moderator_client):
    comment = add_comment(body="Something nasty")
    comment_hide(comment=comment, moderator=None, reason="abuse")

    thread = thread_of(html(moderator_client.get(comment.article.get_absolute_url())))

    assert "Something nasty" in thread
    assert "Hidden: Abuse" in thread
    assert reverse("comments:comment-unhide", kwargs={"pk": comment.pk}) in thread


def test_hiding_with_javascript_answers_json_with_the_comment_redrawn(moderator_client):
    comment = add_comment(body="Spam spam spam")

    response = moderator_client.post(
        hide_url(comment), {"reason": "spam"}, headers={"accept": "application/json"}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["anchor"] == comment.anchor
    assert data["status"] == "hidden"
    assert f'id="{comment.anchor}"' in data["html"]
    assert "Unhide" in data["html"] and "Spam spam spam" in data["html"]
    assert 'name="csrfmiddlewaretoken"' in data["html"]


def test_moderator_unhides_a_comment_and_readers_see_it_again(
    client, moderator, django_capture_on_commit_callbacks
):
    comment = add_comment(body="Fair criticism after all")
    comment_hide(comment=comment, moderator=moderator, reason="abuse")
    assert "Fair criticism" not in html(client.get(comment.article.get_absolute_url()))
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:comment-unhide", kwargs={"pk": comment.pk}))

    client.logout()
    page = html(client.get(comment.article.get_absolute_url()))
    assert "Fair criticism after all" in page
    assert "Reader Comments (1)" in page
    assert refreshed(comment).hidden_by is None


def test_hidden_parent_with_visible_replies_leaves_a_placeholder_for_readers(client, moderator):
    article = ArticleFactory()
    parent = add_comment(article=article, body="The offending words")
    add_comment(article=article, parent=parent, in_reply_to=parent, body="Please calm down")

    comment_hide(comment=parent, moderator=moderator, reason="abuse")

    thread = thread_of(html(client.get(article.get_absolute_url())))
    assert "This comment was hidden by moderators." in thread
    assert "The offending words" not in thread
    assert "Please calm down" in thread


def test_hidden_comment_without_replies_is_simply_gone(client, moderator):
    comment = add_comment(body="The offending words")

    comment_hide(comment=comment, moderator=moderator, reason="abuse")

    thread = thread_of(html(client.get(comment.article.get_absolute_url())))
    assert "This comment was hidden" not in thread
    assert comment.anchor not in thread


def test_moderator_approves_a_held_comment_and_it_appears(
    client, moderator, django_capture_on_commit_callbacks
):
    comment = add_comment(status=Status.PENDING, body="Waiting patiently")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:comment-approve", kwargs={"pk": comment.pk}))

    client.logout()
    page = html(client.get(comment.article.get_absolute_url()))
    assert "Waiting patiently" in page
    assert "Reader Comments (1)" in page


def test_moderator_features_a_comment_and_it_comes_first_with_a_badge(client, moderator):
    article = ArticleFactory()
    add_comment(article=article, body="Early and ordinary")
    pick = add_comment(article=article, body="Late but insightful", posted_at=NOW)
    client.force_login(moderator)

    client.post(reverse("comments:comment-feature", kwargs={"pk": pick.pk}), {"is_featured": "on"})

    client.logout()
    thread = thread_of(html(client.get(article.get_absolute_url())))
    assert thread.index("Late but insightful") < thread.index("Early and ordinary")
    assert "Editor's pick" in thread
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator) == (Kind.FEATURE, moderator)


def test_unfeature_removes_the_badge(moderator_client):
    pick = add_comment(is_featured=True)

    moderator_client.post(reverse("comments:comment-feature", kwargs={"pk": pick.pk}))

    assert refreshed(pick).is_featured is False
    assert ModerationAction.objects.get().action == Kind.UNFEATURE


# The audit log


def test_each_state_change_writes_its_audit_row_with_before_and_after(moderator):
    comment = add_comment(status=Status.PENDING)

    comment_approve(comment=comment, moderator=moderator)
    comment_hide(comment=comment, moderator=moderator, reason="spam", note="Link farm")
    comment_unhide(comment=comment, moderator=moderator, note="Not spam after all")

    rows = list(
        ModerationAction.objects.order_by("pk").values_list(
            "action", "status_before", "status_after", "reason", "note", "moderator"
        )
    )
    assert rows == [
        (Kind.APPROVE, Status.PENDING, Status.PUBLISHED, "", "", moderator.pk),
        (Kind.HIDE, Status.PUBLISHED, Status.HIDDEN, "spam", "Link farm", moderator.pk),
        (Kind.UNHIDE, Status.HIDDEN, Status.PUBLISHED, "", "Not spam after all", moderator.pk),
    ]


def test_hiding_keeps_the_comment_and_records_who_and_why(moderator):
    comment = add_comment(body="Original words")

    comment_hide(comment=comment, moderator=moderator, reason="hate_speech")

    comment = refreshed(comment)
    assert comment.body == "Original words"
    assert (comment.status, comment.hidden_by, comment.hidden_reason) == (
        Status.HIDDEN,
        moderator,
        "hate_speech",
    )
    assert comment.hidden_at == NOW


def test_hiding_a_comment_answers_its_open_reports(moderator):
    comment = add_comment()
    report = comment_report(comment=comment, reason="abuse", ip_address="192.0.2.1")

    comment_hide(comment=comment, moderator=moderator, reason="abuse")

    report.refresh_from_db()
    assert (report.resolved_at, report.resolved_by) == (NOW, moderator)


def test_count_is_exact_through_hide_and_unhide(moderator):
    article = ArticleFactory()
    first = add_comment(article=article)
    add_comment(article=article)

    comment_hide(comment=first, moderator=moderator, reason="spam")
    article.refresh_from_db()
    assert article.comment_count == 1
    comment_hide(comment=first, moderator=moderator, reason="spam")
    article.refresh_from_db()
    assert article.comment_count == 1
    comment_unhide(comment=first, moderator=moderator)
    article.refresh_from_db()
    assert article.comment_count == 2


def test_moderator_page_queries_do_not_grow_with_comments(
    client, moderator, django_assert_max_num_queries
):
    article = ArticleFactory()
    for _ in range(3):
        add_comment(article=article)
    client.force_login(moderator)
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(20) as few:
        client.get(article.get_absolute_url())
    # Read at once: a later request resets the connection's query log.
    baseline = len(few.captured_queries)
    for _ in range(20):
        add_comment(article=article)

    with django_assert_max_num_queries(baseline):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff without a role", Status.PENDING),
        ("editor", Status.PUBLISHED),
        ("moderator", Status.PUBLISHED),
    ],
)
def test_only_editors_and_moderators_skip_the_hold_on_a_premoderated_article(client, who, expected):
    users = {
        "staff without a role": lambda: UserFactory(is_staff=True),
        "editor": EditorFactory,
        "moderator": ModeratorFactory,
    }
    article = ArticleFactory(comments_premoderated=True)
    client.force_login(users[who]())

    post_comment(client, article, body="Buy cheap watches")

    assert Comment.objects.get().status == expected
