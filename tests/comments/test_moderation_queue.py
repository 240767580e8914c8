"""The moderation queue: what needs a look comes first, with what a moderator weighs,
and bulk actions that go through the same services as everything else."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationAction
from comments.services.reports import comment_report
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ModeratorFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("comments:moderation-queue")
BULK_URL = reverse("comments:moderation-bulk")
Status = Comment.Status


@pytest.fixture(autouse=True)
def an_hour_after_publication(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.COMMENTS_REPORTS_TO_HIDE = 0
    settings.COMMENTS_VIOLENCE_REPORTS_TO_HIDE = 0


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory())
    return client


def report(comment, reason, *ips):
    for ip in ips:
        comment_report(comment=comment, reason=reason, ip_address=ip)


def rows(page: str, *bodies: str) -> list[str]:
    """The given comment bodies in the order the queue lists them."""
    return sorted((b for b in bodies if b in page), key=page.index)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("reader", 403), ("editor", 403), ("moderator", 200)],
)
def test_only_moderators_open_the_queue(client, who, expected):
    users = {"reader": UserFactory, "editor": EditorFactory, "moderator": ModeratorFactory}
    if who in users:
        client.force_login(users[who]())

    assert client.get(QUEUE_URL).status_code == expected


def test_queue_lists_held_and_reported_comments_with_threats_first(moderator_client):
    article = ArticleFactory(headline="Budget debate")
    add_comment(article=article, body="Quietly published")
    add_comment(article=article, body="Held for links", status=Status.PENDING)
    reported = add_comment(article=article, body="Reported as spam")
    report(reported, "spam", "192.0.2.1", "192.0.2.2")
    threat = add_comment(article=article, body="Reported as a threat")
    report(threat, "violence", "192.0.2.3")

    page = html(moderator_client.get(QUEUE_URL))

    assert rows(
        page, "Reported as a threat", "Reported as spam", "Held for links", "Quietly published"
    ) == ["Reported as a threat", "Reported as spam", "Held for links"]
    assert "1 threat of violence" in page
    assert "2 reports" in page
    assert "Budget debate" in page


def test_queue_shows_the_commenters_email_age_and_other_comments(moderator_client):
    comment = add_comment(
        email="sana@example.org", status=Status.PENDING, posted_at=NOW - timedelta(hours=2)
    )
    add_comment(email="sana@example.org")
    add_comment(email="sana@example.org")

    page = html(moderator_client.get(QUEUE_URL))

    assert "sana@example.org" in page
    assert "2\xa0hours ago" in page
    assert "2 other comments" in page
    assert comment.body in page


def test_recent_tab_lists_comments_posted_lately(moderator_client):
    add_comment(body="Posted just now", posted_at=NOW - timedelta(minutes=5))
    add_comment(body="Posted days ago", posted_at=NOW - timedelta(days=2))

    page = html(moderator_client.get(QUEUE_URL, {"show": "recent"}))

    assert "Posted just now" in page
    assert "Posted days ago" not in page


def test_queue_filters_by_section_status_and_article(moderator_client):
    sport = SectionFactory(slug="sport")
    match = ArticleFactory(section=sport)
    add_comment(article=match, body="About the match", status=Status.PENDING)
    add_comment(body="About politics", status=Status.PENDING)

    by_section = html(moderator_client.get(QUEUE_URL, {"show": "all", "section": "sport"}))
    by_article = html(moderator_client.get(QUEUE_URL, {"show": "all", "article": match.pk}))
    by_status = html(moderator_client.get(QUEUE_URL, {"show": "all", "status": "published"}))

    assert "About the match" in by_section and "About politics" not in by_section
    assert "About the match" in by_article and "About politics" not in by_article
    assert "About the match" not in by_status


def test_bulk_hide_from_the_queue_hides_each_with_its_audit_row(
    moderator_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    first = add_comment(article=article)
    second = add_comment(article=article)
    spared = add_comment(article=article)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            BULK_URL,
            {
                "action": "hide",
                "reason": "spam",
                "comments": [first.pk, second.pk],
                "next": f"{QUEUE_URL}?show=all",
            },
        )

    assert response["Location"] == f"{QUEUE_URL}?show=all"
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "hidden", second.pk: "hidden", spared.pk: "published"}
    assert ModerationAction.objects.filter(action="hide", reason="spam").count() == 2
    article.refresh_from_db()
    assert article.comment_count == 1
    assert "2 comments hidden." in html(moderator_client.get(response["Location"]))


def test_bulk_approve_and_unhide_skip_comments_already_in_that_state(moderator_client):
    held = add_comment(status=Status.PENDING)
    published = add_comment()
    hidden = add_comment(status=Status.HIDDEN)

    moderator_client.post(BULK_URL, {"action": "approve", "comments": [held.pk, published.pk]})
    moderator_client.post(BULK_URL, {"action": "unhide", "comments": [hidden.pk, held.pk]})

    assert set(Comment.objects.values_list("status", flat=True)) == {"published"}
    assert list(ModerationAction.objects.order_by("pk").values_list("comment", "action")) == [
        (held.pk, "approve"),
        (hidden.pk, "unhide"),
    ]


def test_bulk_hide_needs_a_reason(moderator_client):
    comment = add_comment()

    moderator_client.post(BULK_URL, {"action": "hide", "comments": [comment.pk]})

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_bulk_actions_refuse_an_editor_without_the_permission(editor_client):
    comment = add_comment()

    response = editor_client.post(
        BULK_URL, {"action": "hide", "reason": "spam", "comments": [comment.pk]}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_bulk_redirect_stays_on_this_site(moderator_client):
    comment = add_comment()

    response = moderator_client.post(
        BULK_URL, {"action": "approve", "comments": [comment.pk], "next": "https://evil.example/"}
    )

    assert response["Location"] == QUEUE_URL


def test_queue_queries_do_not_grow_with_comments(moderator_client, django_assert_max_num_queries):
    for _ in range(3):
        report(add_comment(), "spam", "192.0.2.1")
        add_comment(status=Status.PENDING, email="same@example.org")
    moderator_client.get(QUEUE_URL)
    with django_assert_max_num_queries(20) as few:
        moderator_client.get(QUEUE_URL)
    # Read at once: a later request resets the connection's query log.
    baseline = len(few.captured_queries)
    for n in range(20):
        report(add_comment(), "violence", f"10.{n}.0.1")
        add_comment(status=Status.PENDING, email="same@example.org")

    with django_assert_max_num_queries(baseline):
        response = moderator_client.get(QUEUE_URL)

    assert response.status_code == 200


def test_moderators_find_the_queue_from_any_page_and_readers_never_see_the_link(client):
    article = ArticleFactory()
    client.force_login(ModeratorFactory())

    moderator_page = client.get(article.get_absolute_url()).content.decode()
    reader_page = Client().get(article.get_absolute_url()).content.decode()

    assert 'href="/comments/moderation/"' in moderator_page
    assert "Moderation queue" not in reader_page


def bulk_form(next_url: str, **fields) -> dict:
    """The bulk form as the browser sends it: every field, empty ones included."""
    return {"next": next_url, "action": "", "reason": "", "note": "", **fields}


def test_bulk_hide_without_a_reason_keeps_the_ticks_the_action_and_the_note(moderator_client):
    ticked = [add_comment(body="First spam"), add_comment(body="Second spam")]
    left_alone = add_comment(body="Fine comment")
    queue = f"{QUEUE_URL}?show=all"
    form_page = html(moderator_client.get(queue))
    assert '<option value="" selected>Choose an action…</option>' in form_page

    response = moderator_client.post(
        BULK_URL,
        bulk_form(queue, action="hide", note="Link farm", comments=[c.pk for c in ticked]),
    )

    assert response.status_code == 400
    page = html(response)
    assert "Nothing was changed." in page
    assert "Choose a reason to hide the ticked comments." in page
    for comment in ticked:
        assert f'value="{comment.pk}" form="bulk-form" checked' in page
    assert f'value="{left_alone.pk}" form="bulk-form" aria-label' in page
    assert '<option value="hide" selected>Hide</option>' in page
    assert 'value="Link farm"' in page
    assert f'name="next" value="{queue}"' in page
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert not ModerationAction.objects.exists()


def test_bulk_action_without_a_choice_says_what_is_missing(moderator_client):
    ticked = add_comment(status=Status.PENDING)

    response = moderator_client.post(BULK_URL, bulk_form(QUEUE_URL, comments=[ticked.pk]))

    assert response.status_code == 400
    assert "Choose what to do with the ticked comments." in html(response)
    assert f'value="{ticked.pk}" form="bulk-form" checked' in html(response)


def test_bulk_action_with_nothing_ticked_keeps_the_chosen_action_and_reason(moderator_client):
    add_comment(status=Status.PENDING)

    response = moderator_client.post(BULK_URL, bulk_form(QUEUE_URL, action="hide", reason="abuse"))

    page = html(response)
    assert "Tick the comments to act on first." in page
    assert '<option value="hide" selected>Hide</option>' in page
    assert '<option value="abuse" selected>Abuse</option>' in page


def test_moderator_hides_one_comment_from_its_queue_row_and_returns_to_the_queue(
    moderator_client,
):
    spam = add_comment(body="Cheap pills", status=Status.PENDING)
    other = add_comment(body="Held for links", status=Status.PENDING)
    queue = f"{QUEUE_URL}?show=pending"
    page = html(moderator_client.get(queue))
    row_form = f'action="{reverse("comments:comment-hide", args=[spam.pk])}"'
    assert row_form in page
    assert f'id="queue-hide-reason-{spam.pk}" required' in page

    response = moderator_client.post(
        reverse("comments:comment-hide", args=[spam.pk]), {"next": queue, "reason": "spam"}
    )

    assert response["Location"] == queue
    spam.refresh_from_db()
    other.refresh_from_db()
    assert (spam.status, spam.hidden_reason, other.status) == (
        Status.HIDDEN,
        "spam",
        Status.PENDING,
    )
    assert "Comment hidden." in html(moderator_client.get(queue))


def test_no_hide_reason_is_chosen_for_the_moderator(moderator_client):
    comment = add_comment(status=Status.PENDING)

    page = html(moderator_client.get(QUEUE_URL))

    row = page[page.index(f'id="queue-hide-reason-{comment.pk}"') :]
    first_option = row[row.index("<option") : row.index("</option>")]
    assert first_option == '<option value="">Choose a reason…'
    assert "selected" not in row[: row.index("</select>")]


def test_a_row_hide_without_a_reason_asks_for_one_and_keeps_the_way_back(moderator_client):
    comment = add_comment(body="Borderline words")
    queue = f"{QUEUE_URL}?show=all"

    response = moderator_client.post(
        reverse("comments:comment-hide", args=[comment.pk]), {"next": queue, "reason": ""}
    )

    assert response.status_code == 400
    page = html(response)
    assert "Choose why this comment is hidden; nothing was hidden." in page
    assert "Borderline words" in page
    assert f'name="next" value="{queue}"' in page
    assert f'href="{queue}">Cancel' in page
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
