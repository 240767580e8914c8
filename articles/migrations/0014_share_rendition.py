from django.db import migrations, models


def mark_sets_incomplete(apps, schema_editor):
    # Every image's set now includes the share picture, which none has yet: pages go back
    # to reading the rows (and the view makes what is missing) until a set is whole again.
    apps.get_model("articles", "Image").objects.exclude(renditions_made_for="").update(
        renditions_made_for=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_page_cache_representations"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="rendition",
            name="rendition_crop_valid",
        ),
        migrations.AlterField(
            model_name="rendition",
            name="crop",
            field=models.CharField(
                choices=[
                    ("full", "Whole photo"),
                    ("card", "16:9 card"),
                    ("square", "Square"),
                    ("share", "Shared link (1200 x 630)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="rendition",
            constraint=models.CheckConstraint(
                condition=models.Q(("crop__in", ["full", "card", "square", "share"])),
                name="rendition_crop_valid",
            ),
        ),
        migrations.RunPython(mark_sets_incomplete, migrations.RunPython.noop),
    ]
