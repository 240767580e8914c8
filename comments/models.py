from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone


class ModerationReason(models.TextChoices):
    """Why a moderator hid a comment or banned a commenter."""

    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse"
    HATE_SPEECH = "hate_speech", "Hate speech"
    INCITEMENT = "incitement", "Incitement to violence"
    PERSONAL_INFORMATION = "personal_information", "Personal information"
    OFF_TOPIC = "off_topic", "Off-topic"
    OTHER = "other", "Other"


class CommenterQuerySet(models.QuerySet):
    """What comments and bans share: finding rows by the commenter's email or IP hash."""

    def matching(self, *, email: str = "", ip_hash: str = ""):
        """Rows on this email address or this IP address hash."""
        match = Q(pk__in=[])
        if email:
            match |= Q(email=email.strip().lower())
        if ip_hash:
            match |= Q(ip_hash=ip_hash)
        return self.filter(match)


class CommentQuerySet(CommenterQuerySet):
    def visible(self):
        """Comments the public may read."""
        return self.filter(status=Comment.Status.PUBLISHED)

    def thread_for(self, article, *, include_hidden=False):
        """Top-level comments shown under an article: editors' picks first, then oldest first.

        Readers see published ones, plus any unpublished one that published replies still
        hang from, so the thread keeps reading (the template shows a placeholder in its
        place). Moderators (include_hidden) see everything.
        """
        roots = self.filter(article=article, parent__isnull=True)
        if not include_hidden:
            # Bound to the article too: the planner may read every answer it could match
            # at once, and that must be this thread's few, not the site's.
            answered = Comment.objects.visible().filter(article=article, parent=OuterRef("pk"))
            roots = roots.filter(Q(status=Comment.Status.PUBLISHED) | Exists(answered))
        return (
            roots.annotate(
                is_pick=ExpressionWrapper(
                    Q(is_featured=True, status=Comment.Status.PUBLISHED),
                    output_field=BooleanField(),
                )
            )
            .select_related("user__author_profile")
            .order_by("-is_pick", "posted_at", "pk")
        )

    def replies_for(self, roots, *, include_hidden=False):
        """The replies under the given top-level comments, oldest first, in one query."""
        replies = self.filter(parent__in=roots)
        if not include_hidden:
            replies = replies.visible()
        return replies.select_related("in_reply_to", "user__author_profile").order_by(
            "posted_at", "pk"
        )

    def needs_review(self):
        """Comments a moderator should look at: held for review, or with open reports."""
        reported = Report.objects.open().filter(comment=OuterRef("pk"))
        return self.filter(Q(status=Comment.Status.PENDING) | Exists(reported))

    def with_review_counts(self):
        """Annotate what a moderator weighs: open reports, threats, the commenter's others."""
        open_reports = Report.objects.open().filter(comment=OuterRef("pk"))
        others = (
            Comment.objects.filter(email=OuterRef("email"))
            .exclude(pk=OuterRef("pk"))
            .exclude(email="")
        )
        return self.annotate(
            open_reports=_count_of(open_reports, "comment"),
            violence_reports=_count_of(open_reports.filter(reason="violence"), "comment"),
            other_comments=_count_of(others, "email"),
        )


def _count_of(queryset, group_by: str):
    """A correlated COUNT(*) subquery, 0 when nothing matches."""
    counted = queryset.order_by().values(group_by).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


# The longest name a commenter may give: the column's width, so the form asks no more.
NAME_MAX_LENGTH = 100


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"


class Comment(models.Model):
    """A reader's comment under an article. Never deleted by moderation, only hidden."""

    Status = CommentStatus

    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        help_text="The top-level comment whose thread this reply belongs to.",
    )
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The comment this one answers (shown as @name).",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text="Set only when a signed-in staff member posted it.",
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField(help_text="Never shown publicly.")
    body = models.TextField()
    ip_hash = models.CharField(
        max_length=64, blank=True, help_text="A keyed hash of the poster's IP address."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PUBLISHED)
    review_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the comment was held for review (links, a suspect word, first comment...).",
    )
    is_featured = models.BooleanField(default=False, help_text="An editor's pick, shown first.")
    posted_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The moderator who hid the comment.",
    )
    hidden_reason = models.CharField(
        max_length=30, blank=True, choices=ModerationReason, help_text="Why it was hidden."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["posted_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "posted_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-posted_at"], name="comment_queue_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
            models.Index(fields=["ip_hash"], name="comment_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(hidden_reason="") | Q(hidden_reason__in=ModerationReason.values),
                name="comment_hidden_reason_valid",
            ),
        ]
        permissions = [("moderate_comment", "Can moderate reader comments")]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def get_absolute_url(self):
        return reverse("comments:comment-permalink", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def staff_author(self):
        """The byline of the staff member who posted this, for the Staff badge, or None.

        Only a signed-in staff account sets `user`, so no reader earns the badge by name.
        """
        if self.user_id is None:
            return None
        return getattr(self.user, "author_profile", None)


class ModerationActionKind(models.TextChoices):
    APPROVE = "approve", "Approve"
    HIDE = "hide", "Hide"
    UNHIDE = "unhide", "Unhide"
    FEATURE = "feature", "Feature"
    UNFEATURE = "unfeature", "Unfeature"
    HELD_BY_REPORTS = "held_by_reports", "Held after reader reports"
    BAN = "ban", "Ban"
    LIFT_BAN = "lift_ban", "Lift ban"
    ERASE = "erase", "Erase personal data"
    DELETE = "delete", "Delete"


class ModerationAction(models.Model):
    """One moderation step, kept for the record even after the commenter's data is erased."""

    Kind = ModerationActionKind

    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    ban = models.ForeignKey(
        "Ban", null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text="Empty when readers' reports held the comment automatically.",
    )
    action = models.CharField(max_length=20, choices=Kind)
    reason = models.CharField(max_length=30, blank=True, choices=ModerationReason)
    note = models.TextField(blank=True)
    status_before = models.CharField(max_length=20, blank=True, choices=Comment.Status)
    status_after = models.CharField(max_length=20, blank=True, choices=Comment.Status)
    acted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acted_at", "-pk"]
        indexes = [
            models.Index(fields=["comment", "-acted_at"], name="modaction_comment_idx"),
            models.Index(fields=["action", "-acted_at"], name="modaction_action_idx"),
            models.Index(fields=["moderator", "-acted_at"], name="modaction_moderator_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ModerationActionKind.values), name="modaction_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason="") | Q(reason__in=ModerationReason.values),
                name="modaction_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(status_before="") | Q(status_before__in=Comment.Status.values),
                name="modaction_status_before_valid",
            ),
            models.CheckConstraint(
                condition=Q(status_after="") | Q(status_after__in=Comment.Status.values),
                name="modaction_status_after_valid",
            ),
        ]

    def __str__(self):
        who = self.moderator or "reader reports"
        return f"{self.get_action_display()} by {who} at {self.acted_at:%Y-%m-%d %H:%M}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has dealt with yet."""
        return self.filter(resolved_at__isnull=True)


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse"
    OFF_TOPIC = "off_topic", "Off-topic"
    VIOLENCE = "violence", "Threat of violence"
    OTHER = "other", "Other"


class Report(models.Model):
    """A reader's flag on a comment. One per reader per comment."""

    Reason = ReportReason

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    reporter_hash = models.CharField(
        max_length=64, help_text="A keyed hash of the reader's IP address (and account)."
    )
    reporter_network = models.CharField(
        max_length=64,
        blank=True,
        help_text="A keyed hash of the reader's network (/24 for IPv4, /64 for IPv6).",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["comment", "resolved_at"], name="report_open_idx"),
            models.Index(fields=["reporter_network", "reported_at"], name="report_network_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_hash"], name="report_one_per_reader"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values),
                name="report_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"

    @property
    def network_label(self) -> str:
        """A short name for the reporter's network, for staff to see which reports share one."""
        return f"network {self.reporter_network[:8]}" if self.reporter_network else "no network"


class BanQuerySet(CommenterQuerySet):
    def active(self, *, at=None):
        """Bans in force now (or at the given moment): not lifted and not expired."""
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at)
        )


class Ban(models.Model):
    """Block an email address or an IP address (by its hash) from commenting."""

    email = models.EmailField(blank=True, help_text="Stored in lower case.")
    ip_hash = models.CharField(
        "IP address hash",
        max_length=64,
        blank=True,
        help_text="The keyed hash of an IP address, as stored on its comments.",
    )
    reason = models.CharField(max_length=30, choices=ModerationReason)
    note = models.TextField(blank=True, help_text="Seen by staff only.")
    banned_at = models.DateTimeField(default=timezone.now)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to ban until lifted."
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The comment that led to the ban, if any.",
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-banned_at", "-pk"]
        indexes = [
            models.Index(fields=["email"], name="ban_email_idx"),
            models.Index(fields=["ip_hash"], name="ban_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(ip_hash=""), name="ban_has_email_or_ip"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ModerationReason.values), name="ban_reason_valid"
            ),
        ]

    def __str__(self):
        target = self.email or f"IP {self.ip_hash[:12]}…"
        return f"Ban on {target}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)


class CommentReopening(models.Model):
    """An editor's decision to keep comments open past the automatic closing date."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="comment_reopening",
    )
    open_until = models.DateTimeField(help_text="Comments stay open until this moment.")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "comments reopening"

    def __str__(self):
        return f"Comments on {self.article} open until {self.open_until:%Y-%m-%d %H:%M}"
