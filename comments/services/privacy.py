"""Privacy requests: export or erase what is stored about one email address."""

from django.db import transaction
from django.utils import timezone

from articles.cache import comment_pages_purge
from comments.models import Ban, Comment
from comments.services.moderation import Kind, _record

ERASED_NAME = "Deleted reader"


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
