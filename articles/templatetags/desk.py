"""The editor's desk on the admin home page: what needs doing now, per role."""

from datetime import timedelta

from django import template
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRevision, Correction

register = template.Library()

DESK_ROWS = 15


def _submitted(field: str) -> Subquery:
    latest = ArticleRevision.objects.filter(
        article=OuterRef("pk"), action=services.SUBMITTED
    ).order_by("-number")
    return Subquery(latest.values(field)[:1])


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def article_desk(context, held_comments=None):
    """Drafts, reviews, schedule, today's stories and corrections for the person signed in.

    held_comments: the count of comments waiting for a moderator, for those who moderate;
    the comments app counts them (articles knows nothing of comments).
    """
    request = context.request
    user = request.user
    if not user.has_perm("articles.view_article"):
        return {"show": False}
    now = timezone.now()
    is_editor = services.can_publish(user)
    # Editors run the whole desk; writers see their own stories.
    scope = Article.objects.all() if is_editor else Article.objects.mine(user)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    waiting = (
        scope.filter(status=Article.Status.REVIEW)
        .select_related("section")
        .annotate(
            submitted_at=_submitted("created_at"),
            submitted_by=_submitted("created_by__username"),
            submitted_note=_submitted("note"),
        )
        .order_by("submitted_at", "pk")
    )
    return {
        "show": True,
        "is_editor": is_editor,
        "can_moderate": user.has_perm("comments.moderate_comment"),
        "held_comments": held_comments,
        "my_drafts": Article.objects.mine(user)
        .filter(status__in=[Article.Status.DRAFT, Article.Status.UNPUBLISHED])
        .select_related("section")
        .order_by("-updated_at")[:DESK_ROWS],
        "waiting": waiting[:DESK_ROWS],
        "scheduled": scope.scheduled()
        .filter(published_at__lte=now + timedelta(hours=48))
        .select_related("section")
        .order_by("published_at")[:DESK_ROWS],
        "published_today": scope.published()
        .filter(published_at__gte=start_of_day)
        .select_related("section")
        .order_by("-published_at")[:DESK_ROWS],
        "corrections": Correction.objects.filter(
            article__in=scope.values("pk"), published_at__gte=now - timedelta(days=7)
        )
        .select_related("article")
        .order_by("-published_at")[:DESK_ROWS],
    }
