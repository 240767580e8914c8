"""Posting a reader's comment: the guards it must pass and whether it waits for review."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.cache import comment_pages_purge
from articles.models import Article
from comments.models import Ban, Comment
from comments.services.counts import comment_count_refresh
from comments.services.opening import comments_are_open
from comments.services.refusals import (
    ArticleNotOpen,
    CommentRefused,
    DuplicateComment,
    ReplyTargetGone,
)
from comments.text import count_links

# Reader-facing words are translated when raised: the view has the article's language on.
BANNED_MESSAGE = _(
    "Sorry, we cannot accept comments from you at the moment. "
    "If you think this is a mistake, please contact the editors."
)


@dataclass
class CommentAttempt:
    """Everything the posting rules look at, gathered once."""

    article: Article
    name: str
    email: str
    body: str
    in_reply_to: Comment | None
    user: object | None
    ip_hash: str

    @property
    def is_staff(self) -> bool:
        return bool(self.user is not None and self.user.is_staff)

    @property
    def skips_holds(self) -> bool:
        # A staff flag alone is not trust: only those who edit or moderate publish at once.
        return self.is_staff and (
            self.user.has_perm("comments.moderate_comment")
            or self.user.has_perm("articles.change_article")
        )


def ip_address_hash(ip_address: str) -> str:
    """Key the reader's IP address with SECRET_KEY, so the stored value cannot be reversed."""
    if not ip_address:
        return ""
    return salted_hmac("newsroom.comments.ip-address", ip_address, algorithm="sha256").hexdigest()


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


# Guards: each raises CommentRefused; comment_post runs them in order before storing.


def ensure_article_accepts_comments(attempt: CommentAttempt) -> None:
    if not Article.objects.published().filter(pk=attempt.article.pk).exists():
        raise ArticleNotOpen
    if not comments_are_open(attempt.article):
        raise CommentRefused(gettext("Comments are closed on this article."), status=403)


def ensure_not_banned(attempt: CommentAttempt) -> None:
    """Refuse, politely, a commenter under an active ban."""
    if Ban.objects.active().matching(email=attempt.email, ip_hash=attempt.ip_hash).exists():
        raise CommentRefused(str(BANNED_MESSAGE), status=403)


def ensure_reply_target_is_visible(attempt: CommentAttempt) -> None:
    target = attempt.in_reply_to
    if target is None:
        return
    if target.article_id != attempt.article.pk or not target.is_visible:
        raise ReplyTargetGone


def ensure_not_duplicate(attempt: CommentAttempt) -> None:
    original = (
        Comment.objects.filter(
            article=attempt.article,
            email=attempt.email,
            in_reply_to=attempt.in_reply_to,
            body=attempt.body,
        )
        .order_by("pk")
        .first()
    )
    if original is not None:
        raise DuplicateComment(gettext("You have already posted this comment."), original=original)


def ensure_within_rate_limits(attempt: CommentAttempt) -> None:
    """Count this post against the reader's IP address and email; refuse past the limit."""
    window = settings.COMMENTS_RATE_LIMIT_WINDOW_SECONDS
    limits = [
        (f"comments:rate:email:{_digest(attempt.email)}", settings.COMMENTS_RATE_LIMIT_PER_EMAIL)
    ]
    if attempt.ip_hash:
        limits.append((f"comments:rate:ip:{attempt.ip_hash}", settings.COMMENTS_RATE_LIMIT_PER_IP))
    for key, limit in limits:
        # add() starts the window only if none is running; incr() is atomic in every backend.
        cache.add(key, 0, timeout=window)
        try:
            posted = cache.incr(key)
        except ValueError:  # The window ran out between add() and incr().
            cache.set(key, 1, timeout=window)
            posted = 1
        if posted > limit:
            raise CommentRefused(
                gettext(
                    "You are posting faster than we can read. "
                    "Please wait a few minutes, then post your comment again."
                ),
                status=429,
            )


# Moderation mode: published at once, or held for review (and why)


@dataclass(frozen=True)
class Hold:
    """Why a comment waits for a moderator: the note for them, and what its poster is told.

    An empty notice means the poster is told only that it awaits review (a spammer is not
    told which word gave them away).
    """

    reason: str
    notice: str = ""


def hold_reason(attempt: CommentAttempt) -> Hold | None:
    """Why this comment must wait for a moderator, or None to publish it at once."""
    if attempt.skips_holds:
        return None
    article = attempt.article
    if article.comments_premoderated:
        return Hold("Comments on this article are held for approval.")
    if article.section.comments_premoderated:
        return Hold(f"Comments in {article.section.name} are held for approval.")
    links = count_links(attempt.body)
    allowed = settings.COMMENTS_MAX_LINKS
    if links > allowed:
        notice = (
            ngettext(
                "held because it has more than %(count)d link",
                "held because it has more than %(count)d links",
                allowed,
            )
            % {"count": allowed}
            if allowed
            else gettext("held because it contains links")
        )
        return Hold(f"Contains {links} links.", notice=notice)
    lowered = f"{attempt.name}\n{attempt.body}".casefold()
    for word in settings.COMMENTS_SUSPECT_WORDS:
        if word.casefold() in lowered:
            return Hold(f'Contains a suspect word: "{word}".')
    needed = settings.COMMENTS_HOLD_FIRST_N
    if needed > 0:
        approved = Comment.objects.visible().filter(email=attempt.email).count()
        if approved < needed:
            return Hold(f"One of the first {needed} comments from this email address.")
    return None


def comment_post(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    in_reply_to: Comment | None = None,
    user=None,
    ip_address: str = "",
) -> Comment:
    """Store a reader's comment (or reply), published at once or held for review."""
    user = user if user is not None and user.is_authenticated and user.is_staff else None
    staff_author = getattr(user, "author_profile", None) if user is not None else None
    attempt = CommentAttempt(
        article=article,
        # A byline's owner always comments under the byline, so the Staff badge never lies.
        name=staff_author.name if staff_author is not None else name,
        email=email.strip().lower(),
        body=body,
        in_reply_to=in_reply_to,
        user=user,
        ip_hash=ip_address_hash(ip_address),
    )
    with transaction.atomic():
        # Lock order as in moderation: the comments answered, then the article. Identical
        # double clicks and a moderator hiding the comment answered are then seen in order.
        attempt.in_reply_to = _lock_reply_target(in_reply_to)
        list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk"))
        ensure_article_accepts_comments(attempt)
        ensure_not_banned(attempt)
        ensure_reply_target_is_visible(attempt)
        ensure_not_duplicate(attempt)
        ensure_within_rate_limits(attempt)

        hold = hold_reason(attempt)
        target = attempt.in_reply_to
        comment = Comment.objects.create(
            article=article,
            # Replies hang from the thread's top-level comment; in_reply_to keeps the @name.
            parent_id=(target.parent_id or target.pk) if target else None,
            in_reply_to=target,
            user=user,
            name=attempt.name,
            email=attempt.email,
            body=attempt.body,
            ip_hash=attempt.ip_hash,
            status=Comment.Status.PENDING if hold else Comment.Status.PUBLISHED,
            review_reason=hold.reason if hold else "",
        )
        # Not stored: only the poster, right now, is told why (see Hold).
        comment.hold_notice = hold.notice if hold else ""
        if comment.is_visible:
            comment_count_refresh(article_id=article.pk)
            transaction.on_commit(lambda: comment_pages_purge(article_ids=[article.pk]))
    return comment


def _lock_reply_target(in_reply_to: Comment | None) -> Comment | None:
    """Read the comment answered (and its thread's root) again, locked, in primary-key order."""
    if in_reply_to is None:
        return None
    wanted = sorted({in_reply_to.pk, in_reply_to.parent_id} - {None})
    locked = Comment.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
    fresh = {comment.pk: comment for comment in locked}.get(in_reply_to.pk)
    if fresh is None:
        raise ReplyTargetGone
    return fresh
