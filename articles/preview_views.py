"""Pages for people without an account: a shared preview of one unpublished article."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.figures import body_image_ids
from articles.models import Article
from articles.rendition_store import ensure_renditions
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
    # The rendition view refuses photos of unpublished stories to anyone without an
    # account, so the preview makes its photos' renditions now (usually the background
    # task already has) and the page links the stored files, whose keyed names cannot be
    # guessed: the preview shows its photos and no image becomes public.
    photo_ids = body_image_ids(article.body)
    if article.lead_image_id:
        photo_ids.add(article.lead_image_id)
    for image_id in sorted(photo_ids):
        ensure_renditions(image_id)
    if article.lead_image_id:
        prefetch_related_objects([article.lead_image], "renditions")
    with translation.override(article.language):
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
