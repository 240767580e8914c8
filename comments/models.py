from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils import timezone


class CommentQuerySet(models.QuerySet):
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
            answered = Comment.objects.visible().filter(parent=OuterRef("pk"))
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


class Comment(models.Model):
    """A reader's comment under an article. Never deleted by moderation, only hidden."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"

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
    name = models.CharField(max_length=100)
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
                condition=Q(status__in=["pending", "published", "hidden"]),
                name="comment_status_valid",
            ),
        ]

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
