from django.core.files.storage import storages
from django.db import migrations, models, transaction

import articles.models
from articles.cache import purge_public_pages
import articles.storage


def move_originals_out_of_media(apps, schema_editor):
    """Move each original from MEDIA_ROOT to the private store and drop old renditions.

    An original is copied first and its public copy deleted only once the migration has
    committed, so a failure half way leaves every row pointing at a file. Renditions made
    before carried the original's name (and could carry its colour profile): their rows
    and files go, and readers' first requests (or the background task) make new ones.
    """
    Image = apps.get_model("articles", "Image")
    Rendition = apps.get_model("articles", "Rendition")
    public, private = storages["default"], storages["originals"]

    for image in Image.objects.exclude(file="").iterator():
        name = image.file.name
        if private.exists(name) or not public.exists(name):
            continue
        with public.open(name, "rb") as original:
            stored = private.save(name, original)
        if stored != name:
            Image.objects.filter(pk=image.pk).update(file=stored)
        transaction.on_commit(lambda name=name: public.delete(name))

    for rendition in Rendition.objects.iterator():
        name = rendition.file.name
        transaction.on_commit(lambda name=name: public.delete(name))
    Rendition.objects.all().delete()
    # Cached pages link the old renditions: fresh ones point at the view that remakes them.
    transaction.on_commit(purge_public_pages)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_cache_table")]

    operations = [
        migrations.AlterField(
            model_name="image",
            name="file",
            field=models.ImageField(
                height_field="height",
                storage=articles.storage.original_storage,
                upload_to=articles.models.image_upload_to,
                width_field="width",
            ),
        ),
        migrations.RunPython(move_originals_out_of_media, migrations.RunPython.noop),
    ]
