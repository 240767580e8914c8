"""Keep the stored comment count exact on every delete path (admin, bulk, cascade)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from articles.cache import comment_pages_purge
from comments.models import Comment
from comments.services.counts import comment_count_refresh


@receiver(post_delete, sender=Comment, dispatch_uid="comments.recount_after_delete")
def recount_after_delete(sender, instance: Comment, **kwargs) -> None:
    # Deleting is rare (superusers only) but must not leave listings counting a ghost.
    if instance.is_visible:
        comment_count_refresh(article_id=instance.article_id)
        article_id = instance.article_id
        transaction.on_commit(lambda: comment_pages_purge(article_ids=[article_id]))
