"""Moderators work on comments in the admin too: filters, bulk actions through the same
services, the audit log on each comment, bans; only superusers delete."""

import pytest
from django.urls import reverse

from comments.models import Ban, Comment, ModerationAction
from comments.services.bans import ban_create
from comments.services.moderation import comment_hide, comment_unhide
from comments.services.reports import comment_report
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import ArticleFactory, ModeratorFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

CHANGELIST = reverse("admin:comments_comment_changelist")
Status = Comment.Status


@pytest.fixture
def moderator():
    return ModeratorFactory()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def change_url(comment) -> str:
    return reverse("admin:comments_comment_change", args=[comment.pk])


def run_action(client, action, comments, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments], **extra},
        follow=True,
    )


def test_an_editor_without_moderation_rights_cannot_open_comments_in_the_admin(editor_client):
    assert editor_client.get(CHANGELIST).status_code == 403


def test_moderator_hides_comments_in_bulk_from_the_changelist(
    moderator_client, moderator, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    first, second = add_comment(article=article), add_comment(article=article)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(
            moderator_client, "hide_comments", [first, second], reason="abuse", note="Pile-on"
        )

    assert "2 comments hidden." in html(response)
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.HIDDEN}
    rows = ModerationAction.objects.values_list("action", "reason", "note", "moderator")
    assert list(rows) == [("hide", "abuse", "Pile-on", moderator.pk)] * 2
    article.refresh_from_db()
    assert article.comment_count == 0


def test_hiding_in_the_admin_needs_a_reason(moderator_client):
    comment = add_comment()

    response = run_action(moderator_client, "hide_comments", [comment])

    assert "Choose a reason before hiding comments." in html(response)
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_a_hide_without_a_reason_in_the_admin_keeps_the_selection_and_the_note(
    moderator_client, moderator
):
    first = add_comment(name="Troll", body="First rant")
    second = add_comment(name="Troll", body="Second rant")
    spared = add_comment(body="Calm reply")
    filtered = f"{CHANGELIST}?status__exact=published"

    response = moderator_client.post(
        filtered,
        {
            "action": "hide_comments",
            "select_across": "0",
            "index": "0",
            "reason": "",
            "note": "Pile-on",
            "_selected_action": [first.pk, second.pk],
        },
    )

    assert response.status_code == 400
    page = html(response)
    assert "Choose a reason before hiding comments. Nothing was hidden." in page
    assert "First rant" in page and "Second rant" in page and "Calm reply" not in page
    for comment in (first, second):
        assert f'name="_selected_action" value="{comment.pk}"' in page
    assert 'name="note" id="id_note" maxlength="500" value="Pile-on"' in page
    assert f'href="{filtered.replace("&", "&amp;")}" class="button cancel-link"' in page
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}

    # The page's own form, now with a reason.
    moderator_client.post(
        filtered,
        {
            "action": "hide_comments",
            "select_across": "0",
            "_selected_action": [first.pk, second.pk],
            "reason": "abuse",
            "note": "Pile-on",
        },
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.HIDDEN, second.pk: Status.HIDDEN, spared.pk: "published"}
    rows = ModerationAction.objects.values_list("action", "reason", "note", "moderator")
    assert list(rows) == [("hide", "abuse", "Pile-on", moderator.pk)] * 2


def test_moderator_approves_and_unhides_from_the_changelist(moderator_client):
    held = add_comment(status=Status.PENDING)
    hidden = add_comment(status=Status.HIDDEN)

    run_action(moderator_client, "approve_comments", [held])
    run_action(moderator_client, "unhide_comments", [hidden])

    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert sorted(ModerationAction.objects.values_list("action", flat=True)) == [
        "approve",
        "unhide",
    ]


def test_a_hidden_comment_keeps_its_text_and_history_for_staff(moderator_client, moderator):
    comment = add_comment(body="The original words")
    comment_hide(comment=comment, moderator=moderator, reason="hate_speech", note="Slur")

    page = html(moderator_client.get(change_url(comment)))

    assert "The original words" in page
    assert "Moderation history" in page
    assert "Hate speech" in page and "Slur" in page


def test_changelist_filters_by_status_reports_section_and_article(moderator_client):
    sport = SectionFactory(name="Sport", slug="sport")
    match = ArticleFactory(section=sport)
    reported = add_comment(article=match, body="Reported one")
    comment_report(comment=reported, reason="spam", ip_address="192.0.2.1")
    add_comment(body="Quiet one")
    add_comment(body="Held one", status=Status.PENDING)

    by_report = html(moderator_client.get(CHANGELIST, {"reported": "yes"}))
    by_status = html(moderator_client.get(CHANGELIST, {"status__exact": "pending"}))
    by_section = html(moderator_client.get(CHANGELIST, {"article__section__id__exact": sport.pk}))
    by_article = html(moderator_client.get(CHANGELIST, {"article__id__exact": match.pk}))

    assert "Reported one" in by_report and "Quiet one" not in by_report
    assert "Held one" in by_status and "Quiet one" not in by_status
    assert "Reported one" in by_section and "Quiet one" not in by_section
    assert "Reported one" in by_article and "Quiet one" not in by_article


def test_only_a_superuser_can_delete_a_comment(client, moderator):
    comment = add_comment()
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    client.force_login(moderator)
    assert client.get(delete_url).status_code == 403
    assert "delete_selected" not in html(client.get(CHANGELIST))

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.post(delete_url, {"post": "yes"})

    assert not Comment.objects.exists()
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.comment) == ("delete", superuser, None)
    assert f"Comment #{comment.pk} on" in logged.note
    assert comment.name not in logged.note


def test_bulk_delete_by_a_superuser_keeps_the_count_and_the_log(client):
    article = ArticleFactory()
    doomed = [add_comment(article=article), add_comment(article=article)]
    add_comment(article=article)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [c.pk for c in doomed], "post": "yes"},
    )

    assert Comment.objects.count() == 1
    assert ModerationAction.objects.filter(action="delete").count() == 2
    article.refresh_from_db()
    assert article.comment_count == 1


def test_the_audit_log_is_read_only_and_filterable(moderator_client, moderator):
    comment = add_comment()
    comment_hide(comment=comment, moderator=moderator, reason="spam")
    comment_unhide(comment=comment, moderator=moderator)
    log_url = reverse("admin:comments_moderationaction_changelist")

    hides = html(moderator_client.get(log_url, {"action__exact": "hide"}))

    assert hides.count('class="field-action"') == 1
    assert moderator_client.get(reverse("admin:comments_moderationaction_add")).status_code == 403
    action = ModerationAction.objects.first()
    change = moderator_client.post(
        reverse("admin:comments_moderationaction_change", args=[action.pk]), {"note": "edited"}
    )
    assert change.status_code == 403


def test_moderator_adds_a_ban_in_the_admin_through_the_service(moderator_client, moderator):
    earlier = add_comment(email="troll@example.org")

    moderator_client.post(
        reverse("admin:comments_ban_add"),
        {
            "email": "Troll@Example.org",
            "ip_hash": "",
            "reason": "abuse",
            "note": "",
            "expires_at_0": "",
            "expires_at_1": "",
            "hide_comments": "on",
        },
    )

    ban = Ban.objects.get()
    assert (ban.email, ban.banned_by) == ("troll@example.org", moderator)
    assert ModerationAction.objects.filter(action="ban", ban=ban).exists()
    earlier.refresh_from_db()
    assert earlier.status == Status.HIDDEN


def test_moderator_lifts_a_ban_from_the_changelist(moderator_client, moderator):
    ban = ban_create(moderator=moderator, email="troll@example.org", reason="spam")

    moderator_client.post(
        reverse("admin:comments_ban_changelist"),
        {"action": "lift_bans", "_selected_action": [ban.pk]},
    )

    ban.refresh_from_db()
    assert (ban.lifted_at, ban.lifted_by) == (NOW, moderator)
    assert not ban.is_active


def test_a_moderator_landing_in_the_admin_finds_the_queue_with_the_number_waiting(
    moderator_client,
):
    add_comment(status=Status.PENDING)
    reported = add_comment()
    comment_report(comment=reported, reason="spam", ip_address="192.0.2.1")
    add_comment()
    queue = reverse("comments:moderation-queue")

    index = html(moderator_client.get(reverse("admin:index")))
    elsewhere = html(moderator_client.get(CHANGELIST))

    assert f'<a href="{queue}">Moderation queue</a>' in index
    assert "2 comments waiting for a moderator" in index
    assert f'href="{queue}" id="moderation-queue-link">Moderation queue (2 waiting)</a>' in (
        elsewhere
    )


def test_an_editor_who_does_not_moderate_sees_no_queue_link_in_the_admin(editor_client):
    index = html(editor_client.get(reverse("admin:index")))

    assert "Moderation queue" not in index
    assert reverse("comments:moderation-queue") not in index


def test_the_queue_link_costs_one_query_however_many_comments_wait(
    moderator_client, django_assert_max_num_queries
):
    add_comment(status=Status.PENDING)
    moderator_client.get(reverse("admin:index"))
    with django_assert_max_num_queries(20) as few:
        moderator_client.get(reverse("admin:index"))
    baseline = len(few.captured_queries)
    for _ in range(10):
        add_comment(status=Status.PENDING)

    with django_assert_max_num_queries(baseline):
        page = html(moderator_client.get(reverse("admin:index")))

    assert "11 comments waiting" in page


def test_the_audit_log_names_the_commenter_and_the_article_of_each_step(
    moderator_client, moderator
):
    article = ArticleFactory(headline="Budget debate")
    comment = add_comment(article=article, name="Troll")
    comment_hide(comment=comment, moderator=moderator, reason="abuse")

    page = html(moderator_client.get(reverse("admin:comments_moderationaction_changelist")))

    assert (
        f'<a href="{change_url(comment)}"><span dir="auto">Troll</span> on “Budget debate”</a>'
        in page
    )
    assert f">#{comment.pk}<" not in page


def test_the_audit_log_list_queries_do_not_grow_with_its_rows(
    moderator_client, moderator, django_assert_max_num_queries
):
    log_url = reverse("admin:comments_moderationaction_changelist")

    def log_steps(count):
        for _ in range(count):
            comment = add_comment(article=ArticleFactory())
            comment_hide(comment=comment, moderator=moderator, reason="spam")
            ban_create(moderator=moderator, email=comment.email, reason="spam", comment=comment)

    log_steps(1)
    moderator_client.get(log_url)
    with django_assert_max_num_queries(30) as few:
        moderator_client.get(log_url)
    baseline = len(few.captured_queries)
    log_steps(15)

    with django_assert_max_num_queries(baseline):
        page = html(moderator_client.get(log_url))

    assert page.count(" on “Headline number") >= 32
