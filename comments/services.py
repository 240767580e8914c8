"""State changes of reader comments. Views and admin actions call these."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article
from comments.models import Comment


def comment_count_refresh(*, article_id: int) -> None:
    """Recount an article's publicly visible comments, so the stored count never drifts."""
    visible = (
        Comment.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(total=Count("pk", filter=Q(status=Comment.Status.PUBLISHED)))
        .values("total")
    )
    Article.objects.filter(pk=article_id).update(comment_count=Coalesce(Subquery(visible), 0))
