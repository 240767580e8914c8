"""What editors do with an article's comments from its page: close or reopen them."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from articles.models import Article
from comments.services.opening import comments_close, comments_reopen


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def close_comments(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    comments_close(article=article)
    messages.success(request, "Comments are closed on this article.")
    return redirect(f"{article.get_absolute_url()}#comments")


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def reopen_comments(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    reopening = comments_reopen(article=article, editor=request.user)
    until = date_format(timezone.localtime(reopening.open_until), "M j, Y")
    messages.success(request, f"Comments are open again until {until}.")
    return redirect(f"{article.get_absolute_url()}#comments")
