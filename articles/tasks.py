"""Background work of the articles app, run by `manage.py db_worker` in production."""

from django.db import transaction
from django.tasks import task

from articles.cache import purge_public_pages
from articles.rendition_store import ensure_renditions


@task()
def generate_renditions(image_id: int) -> int:
    """Make the full rendition set of an image after an upload or a new focal point."""
    renditions = ensure_renditions(image_id)
    # Pages cached while the set was being made point at the on-demand view; fresh pages
    # can link the stored files directly.
    transaction.on_commit(purge_public_pages)
    return len(renditions)
