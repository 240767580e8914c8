"""Whether readers may comment under an article: the one place that answers it.

Three things decide it: the editor's switch on the article (`Article.comments_open`, set
in the article form or through `article_comments_switch`), the automatic close
`COMMENTS_CLOSE_AFTER_DAYS` after publication, and an editor's `CommentReopening` that
outlasts that close. Everything that asks (the thread, the reply page, posting, the
moderators' re-rendered comment) asks `comments_are_open`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.cache import comment_pages_purge
from articles.models import Article
from articles.services import article_comments_switch
from comments.models import CommentReopening


def comments_close_at(article: Article) -> datetime | None:
    """When comments close by themselves, or None if they never do."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days <= 0 or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def comments_are_open(article: Article) -> bool:
    """Whether readers may post under the article right now (publication aside)."""
    if not article.comments_open:
        return False
    close_at = comments_close_at(article)
    if close_at is None or timezone.now() < close_at:
        return True
    # Past the automatic close only an editor's reopening counts. Its end is kept on the
    # article (CommentReopening is the record of who reopened), so nobody asks the database.
    reopened_until = article.comments_reopened_until
    return reopened_until is not None and timezone.now() < reopened_until


def comments_close(*, article: Article) -> None:
    """Close comments under an article now; what was said stays readable."""
    with transaction.atomic():
        article_comments_switch(article=article, is_open=False)
        CommentReopening.objects.filter(article=article).delete()
        transaction.on_commit(lambda: comment_pages_purge(article_ids=[article.pk]))


def comments_reopen(*, article: Article, editor) -> CommentReopening:
    """Open comments again, past the automatic close, for as long as a new article gets."""
    now = timezone.now()
    days = max(settings.COMMENTS_CLOSE_AFTER_DAYS, 1)
    with transaction.atomic():
        reopening, _ = CommentReopening.objects.update_or_create(
            article=article,
            defaults={
                "open_until": now + timedelta(days=days),
                "reopened_by": editor,
                "reopened_at": now,
            },
        )
        article_comments_switch(article=article, is_open=True, reopened_until=reopening.open_until)
        transaction.on_commit(lambda: comment_pages_purge(article_ids=[article.pk]))
    return reopening
