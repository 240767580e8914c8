"""Bans: an email address or an IP address hash kept from commenting."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from comments.models import Ban, Comment
from comments.services.moderation import (
    Kind,
    Status,
    _after_visibility_change,
    _apply_status,
    _check_reason,
    _record,
    _resolve_reports,
)


class BanRefused(ValueError):
    """A ban that would block nobody: it names neither an email address nor an IP hash."""

    def __init__(self):
        self.message = "Ban an email address, an IP address, or both."
        super().__init__(self.message)


def ban_target_check(*, email: str, ip_hash: str) -> None:
    """Refuse a ban that names no one; forms ask this too, the ban_has_email_or_ip constraint
    backs it."""
    if not email.strip() and not ip_hash:
        raise BanRefused


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
    ban_target_check(email=email, ip_hash=ip_hash)
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
                Comment.objects.matching(email=email, ip_hash=ip_hash)
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
