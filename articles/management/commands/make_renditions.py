from django.core.management.base import BaseCommand

from articles.models import Image
from articles.tasks import generate_renditions


class Command(BaseCommand):
    help = (
        "Queue the rendition task for every image whose set is not whole, e.g. after a "
        "release adds a size (the share picture): the task worker then makes what is missing."
    )

    def handle(self, *args, **options):
        queued = 0
        for image in (
            Image.objects.exclude(file="")
            .only("pk", "file", "focal_x", "focal_y", "renditions_made_for")
            .iterator()
        ):
            if image.renditions_made_for != image.rendition_key:
                generate_renditions.enqueue(image_id=image.pk)
                queued += 1
        self.stdout.write(f"Queued renditions for {queued} image(s).")
