"""Readers' reports on comments; enough of them hold a comment for a moderator."""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from comments.models import Comment, Report
from comments.services.moderation import (
    Kind,
    Status,
    _after_visibility_change,
    _apply_status,
    _lock,
    _record,
)
from comments.services.refusals import CommentRefused


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
        raise CommentRefused(
            gettext(
                "You have sent many reports in a short time. Thank you: our moderators will "
                "look at them. Please wait a while before reporting more."
            ),
            status=429,
        )


def comment_report(
    *, comment: Comment, reason: str, note: str = "", ip_address: str = "", user=None
) -> Report:
    """Store a reader's report; reports from enough networks hold the comment for a moderator."""
    if reason not in Report.Reason.values:
        raise CommentRefused(
            gettext("Please choose why you are reporting this comment."), status=400
        )
    network = reporter_network(ip_address)
    with transaction.atomic():
        locked = _lock(comment)
        if not locked.is_visible:
            # Already off the page: a moderator has it, or it is waiting for one.
            raise CommentRefused(
                gettext("Thank you. This comment is already with our moderators."), status=409
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
            raise CommentRefused(
                gettext(
                    "You have already reported this comment. Thank you; a moderator will look "
                    "at it."
                ),
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
