"""Pages for people without an account: a shared preview of one unpublished article."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.services import preview_link_find


@require_safe
@never_cache
def article_preview(request, token):
    """Show the one article a valid preview link opens, as readers will see it."""
    link = preview_link_find(token)
    if link is None:
        # Unknown, expired and revoked links look alike: a guess learns nothing.
        raise Http404("This preview link does not work (it may have expired or been revoked).")
    article = Article.objects.with_bylines().get(pk=link.article_id)
    response = render(
        request,
        "articles/article_preview.html",
        {"article": article, "corrections": article.corrections.all(), "link": link},
    )
    # Never kept by a shared cache, never indexed: the address is a secret.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
