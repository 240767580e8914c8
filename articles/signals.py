"""Side effects of article models that belong to layers above them."""

from django.db import transaction
from django.dispatch import receiver

from articles.models import Image, image_needs_renditions
from articles.tasks import generate_renditions


@receiver(image_needs_renditions, sender=Image, dispatch_uid="articles.queue_renditions")
def queue_renditions(sender, image_id: int, **kwargs) -> None:
    transaction.on_commit(lambda: generate_renditions.enqueue(image_id=image_id))
