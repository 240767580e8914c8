"""Moderation of reader comments: status changes, reports, bans and privacy requests.

Every change locks the comment row first, so two moderators acting on the same comment at
once are served one after the other: each sees the status the other left and writes its
own audit row. Lock order is always comment(s), then article, as in comment_post.
"""

import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.cache import comment_pages_purge
from comments.models import Ban, Comment, ModerationAction, ModerationReason, Report
from comments.services import (
    CommentAttempt,
    CommentRefused,
    comment_count_refresh,
)

Status = Comment.Status
Kind = ModerationAction.Kind

BANNED_MESSAGE = (
    "Sorry, we cannot accept comments from you at the moment. "
    "If you think this is a mistake, please contact the editors."
)
ERASED_NAME = "Deleted reader"


class ReportRefused(Exception):
    """A report that is not stored, with what to tell the reader."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


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


# Reader reports


def reporter_hash(*, ip_address: str, user=None) -> str:
    """Identify a reader for "one report per comment" without storing who they are."""
    user_id = user.pk if user is not None and user.is_authenticated else ""
    value = f"{ip_address}|{user_id}"
    return salted_hmac("newsroom.comments.reporter", value, algorithm="sha256").hexdigest()


def reporter_network(ip_address: str) -> str:
    """Key the reader's network (/24 for IPv4, /64 for IPv6), so one household counts once.

    Addresses next to each other are one person's to pick from (a router, a phone's carrier,
    the loopback range), so they must not add up to several readers.
    """
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return salted_hmac(
        "newsroom.comments.reporter-network", str(network), algorithm="sha256"
    ).hexdigest()


def hold_threshold_reached(*, open_reports: int, violence_reports: int) -> bool:
    """Whether a comment's reports (counted by network) take it off the page until reviewed."""
    violence_limit = settings.COMMENTS_VIOLENCE_REPORTS_TO_HIDE
    limit = settings.COMMENTS_REPORTS_TO_HIDE
    return (violence_limit > 0 and violence_reports >= violence_limit) or (
        limit > 0 and open_reports >= limit
    )


def _ensure_network_may_report(network: str) -> None:
    limit = settings.COMMENTS_REPORT_LIMIT_PER_NETWORK
    if limit <= 0 or not network:
        return
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_REPORT_LIMIT_WINDOW_SECONDS)
    if Report.objects.filter(reporter_network=network, reported_at__gte=since).count() >= limit:
        raise ReportRefused(
            "You have sent many reports in a short time. Thank you: our moderators will look "
            "at them. Please wait a while before reporting more.",
            status=429,
        )


def comment_report(
    *, comment: Comment, reason: str, note: str = "", ip_address: str = "", user=None
) -> Report:
    """Store a reader's report; reports from enough networks hold the comment for a moderator."""
    if reason not in Report.Reason.values:
        raise ReportRefused("Please choose why you are reporting this comment.")
    network = reporter_network(ip_address)
    with transaction.atomic():
        locked = _lock(comment)
        if not locked.is_visible:
            # Already off the page: a moderator has it, or it is waiting for one.
            raise ReportRefused(
                "Thank you. This comment is already with our moderators.", status=409
            )
        _ensure_network_may_report(network)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=locked,
                    reason=reason,
                    note=note[:500],
                    reporter_hash=reporter_hash(ip_address=ip_address, user=user),
                    reporter_network=network,
                    reported_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            raise ReportRefused(
                "You have already reported this comment. Thank you; a moderator will look at it.",
                status=409,
            ) from None
        open_reports = list(
            locked.reports.open().values_list("reason", "reporter_network", "reporter_hash")
        )
        # A report without a known network stands for its reporter alone.
        networks = {net or who for _, net, who in open_reports}
        violence = {net or who for why, net, who in open_reports if why == Report.Reason.VIOLENCE}
        if hold_threshold_reached(open_reports=len(networks), violence_reports=len(violence)):
            before = locked.status
            locked.review_reason = (
                f"Held after {len(open_reports)} reader report(s) from "
                f"{len(networks)} network(s)"
                + (f", {len(violence)} of a threat of violence" if violence else "")
                + "."
            )[:200]
            _apply_status(locked, Status.PENDING, moderator=None)
            locked.save(update_fields=["review_reason"])
            _record(
                comment=locked,
                moderator=None,
                action=Kind.HELD_BY_REPORTS,
                before=before,
                after=Status.PENDING,
                note=locked.review_reason,
            )
            _after_visibility_change([locked.article_id])
    return report


# Bans


def ensure_not_banned(attempt: CommentAttempt) -> None:
    """Guard for comment_post: refuse, politely, a commenter under an active ban."""
    if Ban.objects.active().matching(email=attempt.email, ip_hash=attempt.ip_hash).exists():
        raise CommentRefused(BANNED_MESSAGE, status=403)


def ban_create(
    *,
    moderator,
    reason: str,
    email: str = "",
    ip_hash: str = "",
    note: str = "",
    expires_at: datetime | None = None,
    comment: Comment | None = None,
    hide_comments: bool = False,
) -> Ban:
    """Block an email address and/or IP hash from commenting; optionally hide their comments."""
    _check_reason(reason)
    email = email.strip().lower()
    if not email and not ip_hash:
        raise ValueError("A ban needs an email address or an IP address hash.")
    with transaction.atomic():
        ban = Ban.objects.create(
            email=email,
            ip_hash=ip_hash,
            reason=reason,
            note=note,
            expires_at=expires_at,
            banned_by=moderator,
            comment=comment,
        )
        _record(
            comment=comment,
            ban=ban,
            moderator=moderator,
            action=Kind.BAN,
            reason=reason,
            note=note,
            before=comment.status if comment else "",
            after=comment.status if comment else "",
        )
        if hide_comments:
            earlier = list(
                comments_by(email=email, ip_hash=ip_hash)
                .exclude(status=Status.HIDDEN)
                .select_for_update(of=("self",))
                .order_by("pk")
            )
            changed_articles = []
            for each in earlier:
                before = each.status
                _apply_status(each, Status.HIDDEN, moderator=moderator, reason=reason)
                _record(
                    comment=each,
                    ban=ban,
                    moderator=moderator,
                    action=Kind.HIDE,
                    before=before,
                    after=Status.HIDDEN,
                    reason=reason,
                    note="Hidden with the commenter's ban.",
                )
                _resolve_reports(each, moderator)
                if before == Status.PUBLISHED:
                    changed_articles.append(each.article_id)
            _after_visibility_change(changed_articles)
    return ban


def ban_lift(*, ban: Ban, moderator, note: str = "") -> Ban:
    """End a ban before its expiry; the record of it stays."""
    with transaction.atomic():
        locked = Ban.objects.select_for_update().get(pk=ban.pk)
        if locked.lifted_at is None:
            locked.lifted_at = timezone.now()
            locked.lifted_by = moderator
            locked.save(update_fields=["lifted_at", "lifted_by"])
        _record(comment=None, ban=locked, moderator=moderator, action=Kind.LIFT_BAN, note=note)
    return locked


def comments_by(*, email: str = "", ip_hash: str = ""):
    """Every comment from this email address or IP hash."""
    match = Q(pk__in=[])
    if email:
        match |= Q(email=email.strip().lower())
    if ip_hash:
        match |= Q(ip_hash=ip_hash)
    return Comment.objects.filter(match)


# Privacy requests


def privacy_export(*, email: str) -> dict:
    """Everything stored about one email address, as plain data for the person who asked."""
    email = email.strip().lower()
    comments = (
        Comment.objects.filter(email=email)
        .select_related("article")
        .prefetch_related("moderation_actions")
        .order_by("posted_at", "pk")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.headline,
                "article_url": comment.article.get_absolute_url(),
                "name": comment.name,
                "email": comment.email,
                "body": comment.body,
                "posted_at": comment.posted_at.isoformat(),
                "status": comment.status,
                "is_featured": comment.is_featured,
                "ip_address_hash": comment.ip_hash,
                "in_reply_to": comment.in_reply_to_id,
                "moderation": [
                    {
                        "action": action.action,
                        "reason": action.reason,
                        "status_before": action.status_before,
                        "status_after": action.status_after,
                        "at": action.acted_at.isoformat(),
                    }
                    for action in comment.moderation_actions.all()
                ],
            }
            for comment in comments
        ],
        "bans": [
            {
                "reason": ban.reason,
                "banned_at": ban.banned_at.isoformat(),
                "expires_at": ban.expires_at.isoformat() if ban.expires_at else None,
                "lifted_at": ban.lifted_at.isoformat() if ban.lifted_at else None,
            }
            for ban in Ban.objects.filter(email=email)
        ],
    }


def privacy_erase(*, email: str, moderator) -> int:
    """Anonymise the name, email and IP of one person's comments; the audit log stays."""
    email = email.strip().lower()
    if not email:
        raise ValueError("An email address is needed to erase a person's data.")
    with transaction.atomic():
        theirs = list(
            Comment.objects.filter(email=email).select_for_update(of=("self",)).order_by("pk")
        )
        for comment in theirs:
            comment.name = ERASED_NAME
            comment.email = ""
            comment.ip_hash = ""
            comment.save(update_fields=["name", "email", "ip_hash"])
            # The note must not repeat the address being erased.
            _record(
                comment=comment,
                moderator=moderator,
                action=Kind.ERASE,
                before=comment.status,
                after=comment.status,
                note="Name, email and IP address erased on request.",
            )
        if theirs:
            erased_on = {comment.article_id for comment in theirs}
            transaction.on_commit(lambda: comment_pages_purge(article_ids=erased_on))
    return len(theirs)
