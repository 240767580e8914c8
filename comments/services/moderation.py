"""Moderators' status changes on comments, and the audit rows every moderation step writes.

Every change locks the comment row first, so two moderators acting on the same comment at
once are served one after the other: each sees the status the other left and writes its
own audit row. Lock order is always comment(s), then article, as in comment_post.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from articles.cache import comment_pages_purge
from comments.models import Ban, Comment, ModerationAction, ModerationReason
from comments.services.counts import comment_count_refresh

Status = Comment.Status
Kind = ModerationAction.Kind


def _record(
    *,
    comment: Comment | None,
    moderator,
    action: str,
    before: str = "",
    after: str = "",
    reason: str = "",
    note: str = "",
    ban: Ban | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        comment=comment,
        ban=ban,
        moderator=moderator,
        action=action,
        reason=reason,
        note=note,
        status_before=before,
        status_after=after,
    )


def _lock(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).get(pk=comment.pk)


def _apply_status(comment: Comment, status: str, *, moderator, reason: str = "") -> None:
    """Set the status and the hidden_* fields on a locked comment, and save."""
    if status == Status.HIDDEN:
        if comment.status != Status.HIDDEN:
            comment.hidden_at = timezone.now()
            comment.hidden_by = moderator
        comment.hidden_reason = reason
    else:
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
    comment.status = status
    comment.save(update_fields=["status", "hidden_at", "hidden_by", "hidden_reason"])


def _after_visibility_change(article_ids: Iterable[int]) -> None:
    article_ids = sorted(set(article_ids))
    for article_id in article_ids:
        comment_count_refresh(article_id=article_id)
    transaction.on_commit(lambda: comment_pages_purge(article_ids=article_ids))


def _resolve_reports(comment: Comment, moderator) -> None:
    # A moderator's decision answers the open reports; later ones count afresh.
    comment.reports.open().update(resolved_at=timezone.now(), resolved_by=moderator)


def _change_status(
    *, comment: Comment, moderator, action: str, status: str, reason: str = "", note: str = ""
) -> Comment:
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        _apply_status(locked, status, moderator=moderator, reason=reason)
        _record(
            comment=locked,
            moderator=moderator,
            action=action,
            before=before,
            after=status,
            reason=reason,
            note=note,
        )
        _resolve_reports(locked, moderator)
        if Status.PUBLISHED in (before, status) and before != status:
            comment_count_refresh(article_id=locked.article_id)
        transaction.on_commit(lambda: comment_pages_purge(article_ids=[locked.article_id]))
    return locked


def _check_reason(reason: str) -> None:
    if reason not in ModerationReason.values:
        raise ValueError(f"Unknown moderation reason {reason!r}")


def comment_hide(*, comment: Comment, moderator, reason: str, note: str = "") -> Comment:
    """Hide a comment from readers, keeping it whole for staff and the record."""
    _check_reason(reason)
    return _change_status(
        comment=comment,
        moderator=moderator,
        action=Kind.HIDE,
        status=Status.HIDDEN,
        reason=reason,
        note=note,
    )


def comment_unhide(*, comment: Comment, moderator, note: str = "") -> Comment:
    """Show a hidden comment to readers again."""
    return _change_status(
        comment=comment,
        moderator=moderator,
        action=Kind.UNHIDE,
        status=Status.PUBLISHED,
        note=note,
    )


def comment_approve(*, comment: Comment, moderator, note: str = "") -> Comment:
    """Publish a comment that was held for review (or held after reader reports)."""
    return _change_status(
        comment=comment,
        moderator=moderator,
        action=Kind.APPROVE,
        status=Status.PUBLISHED,
        note=note,
    )


def comment_feature(
    *, comment: Comment, moderator, is_featured: bool = True, note: str = ""
) -> Comment:
    """Mark (or unmark) a comment as an editor's pick, shown first with a badge."""
    with transaction.atomic():
        locked = _lock(comment)
        locked.is_featured = is_featured
        locked.save(update_fields=["is_featured"])
        _record(
            comment=locked,
            moderator=moderator,
            action=Kind.FEATURE if is_featured else Kind.UNFEATURE,
            before=locked.status,
            after=locked.status,
            note=note,
        )
        transaction.on_commit(lambda: comment_pages_purge(article_ids=[locked.article_id]))
    return locked


def comments_moderate_many(
    *, comments, action: str, moderator, reason: str = "", note: str = ""
) -> str:
    """Apply one moderation action to many comments and say what happened (queue and admin)."""
    if action == "approve":
        targets = list(comments.exclude(status=Status.PUBLISHED).order_by("pk"))
        for comment in targets:
            comment_approve(comment=comment, moderator=moderator, note=note)
        verb = "approved"
    elif action == "hide":
        targets = list(comments.exclude(status=Status.HIDDEN).order_by("pk"))
        for comment in targets:
            comment_hide(comment=comment, moderator=moderator, reason=reason, note=note)
        verb = "hidden"
    elif action == "unhide":
        targets = list(comments.filter(status=Status.HIDDEN).order_by("pk"))
        for comment in targets:
            comment_unhide(comment=comment, moderator=moderator, note=note)
        verb = "shown again"
    else:
        raise ValueError(f"Unknown bulk action {action!r}")
    skipped = comments.count() - len(targets)
    message = f"{len(targets)} comment{'s' if len(targets) != 1 else ''} {verb}."
    if skipped:
        message += f" {skipped} already in that state, left as they were."
    return message


def comment_delete(*, comment: Comment, moderator) -> None:
    """Remove a comment for good (superusers only); the audit log keeps a line about it."""
    with transaction.atomic():
        locked = _lock(comment)
        # The row goes, so the audit line names it in words: no name, email or IP, which a
        # privacy erasure could no longer reach.
        _record(
            comment=None,
            moderator=moderator,
            action=Kind.DELETE,
            before=locked.status,
            note=f"Comment #{locked.pk} on “{locked.article}” deleted.",
        )
        # Reports go with it; its audit rows stay, detached. Counts follow via post_delete.
        locked.delete()
