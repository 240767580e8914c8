"""State changes of articles. Views and admin actions call these; nothing else flips status."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.cache import purge_public_pages
from articles.models import Article


def article_save(*, article: Article, user=None) -> Article:
    """Save an edited article and refresh the public pages once the edit is committed."""
    with transaction.atomic():
        if article.pk is None and user is not None and user.is_authenticated:
            article.created_by = user
        article.save()
        transaction.on_commit(purge_public_pages)
    return article


def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Publish at `at` (a future time schedules), or now; refuse if the lead image is not ready.

    "Now" is the moment of the call: a publish time stored on a draft is not reused, so
    "publish now" neither leaves a story scheduled nor backdates it.
    """
    if article.lead_image_id and (missing := article.lead_image.missing_for_publication):
        raise ValidationError(
            f"“{article.headline}” cannot be published: its lead image needs "
            + " and ".join(missing)
            + "."
        )
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        article.published_at = at or timezone.now()
        article.save(update_fields=["status", "published_at", "updated_at"])
        transaction.on_commit(purge_public_pages)
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take an article off the public site, back to draft."""
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        transaction.on_commit(purge_public_pages)
    return article


def article_comments_switch(*, article: Article, is_open: bool) -> Article:
    """Turn the editor's switch for comments under an article on or off."""
    # update() rather than save(): opening or closing comments is not an edit of the story,
    # so "last updated" stays as the newsroom left it.
    Article.objects.filter(pk=article.pk).update(comments_open=is_open)
    article.comments_open = is_open
    return article
