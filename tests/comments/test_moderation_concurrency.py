"""Two moderators acting on the same comment at the same moment are served one after the
other: the state stays consistent and each leaves an audit row that tells the truth."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from comments.models import Comment, ModerationAction
from comments.services.moderation import comment_hide, comment_unhide
from comments.services.reports import comment_report
from tests.comments.helpers import add_comment
from tests.factories import ModeratorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of this view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE '%%FROM \"comments_comment\"%%FOR UPDATE%%'"
        )
        return cursor.fetchone()[0]


def run_together_on_a_busy_row(comment, threads, errors) -> None:
    """Hold the comment's row so every thread arrives while it is busy, then let go."""
    try:
        with transaction.atomic():
            Comment.objects.select_for_update().get(pk=comment.pk)
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 10
            while waiting_for_locks() < len(threads) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert waiting_for_locks() == len(threads), errors
    finally:
        for thread in threads:
            thread.join(timeout=10)


def in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:  # Reported to the test below, not lost in the thread.
            errors.append(error)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_two_moderators_hiding_the_same_comment_at_once_leave_two_truthful_rows():
    first, second = ModeratorFactory(), ModeratorFactory()
    comment = add_comment()
    errors = []
    threads = [
        in_thread(
            lambda who=who: comment_hide(comment=comment, moderator=who, reason="abuse"),
            errors,
        )
        for who in (first, second)
    ]

    run_together_on_a_busy_row(comment, threads, errors)

    assert errors == []
    rows = list(
        ModerationAction.objects.order_by("pk").values_list(
            "moderator", "status_before", "status_after"
        )
    )
    assert len(rows) == 2
    # The second saw what the first left, never the stale "published" both started from.
    assert [(before, after) for _, before, after in rows] == [
        ("published", "hidden"),
        ("hidden", "hidden"),
    ]
    assert {moderator for moderator, _, _ in rows} == {first.pk, second.pk}
    comment.refresh_from_db()
    assert comment.status == "hidden"
    assert comment.hidden_by_id == rows[0][0]
    comment.article.refresh_from_db()
    assert comment.article.comment_count == 0


def test_a_hide_and_an_unhide_at_once_end_in_the_state_of_the_last_one():
    hider, unhider = ModeratorFactory(), ModeratorFactory()
    comment = add_comment()
    errors = []
    threads = [
        in_thread(
            lambda: comment_hide(comment=comment, moderator=hider, reason="spam"),
            errors,
        ),
        in_thread(lambda: comment_unhide(comment=comment, moderator=unhider), errors),
    ]

    run_together_on_a_busy_row(comment, threads, errors)

    assert errors == []
    first, last = ModerationAction.objects.order_by("pk")
    assert first.status_after == last.status_before
    comment.refresh_from_db()
    assert comment.status == last.status_after
    comment.article.refresh_from_db()
    assert comment.article.comment_count == (1 if comment.status == "published" else 0)


def test_two_readers_reporting_at_once_reach_the_threshold_together(settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = add_comment()
    errors = []
    threads = [
        in_thread(
            lambda ip=ip: comment_report(comment=comment, reason="abuse", ip_address=ip),
            errors,
        )
        for ip in ("192.0.2.1", "198.51.100.2")
    ]

    run_together_on_a_busy_row(comment, threads, errors)

    assert errors == []
    comment.refresh_from_db()
    assert comment.status == "pending"
    held = ModerationAction.objects.get()
    assert (held.action, held.status_before) == ("held_by_reports", "published")
