from django.shortcuts import get_object_or_404, redirect

from articles.models import Article
from comments.models import Comment


def comment_permalink(request, pk):
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    return redirect(f"{comment.article.get_absolute_url()}#{comment.anchor}")
