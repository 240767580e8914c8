"""The article's stored count of visible comments, and the one function that writes it.

The count lives on `Article.comment_count` so listings show it without a query per
article; `comment_count_refresh` is the only writer, called by every path that changes
what readers see (posting, moderation, reports, bans, deletes).
"""

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article
from comments.models import Comment


def comment_count_refresh(*, article_id: int) -> None:
    """Recount an article's publicly visible comments, so the stored count never drifts."""
    # Lock the article first: the UPDATE below then starts after any concurrent change
    # has committed, and its fresh snapshot counts that change too.
    visible = (
        Comment.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(total=Count("pk", filter=Q(status=Comment.Status.PUBLISHED)))
        .values("total")
    )
    with transaction.atomic():
        list(Article.objects.select_for_update().filter(pk=article_id).values_list("pk"))
        Article.objects.filter(pk=article_id).update(comment_count=Coalesce(Subquery(visible), 0))
