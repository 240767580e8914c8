"""Create the Editors group: everything a newsroom editor needs in the admin."""

from django.db import migrations

GROUP_NAME = "Editors"

# Editors write, edit, publish and credit; deleting sections and authors stays with admins,
# because a deleted byline would orphan the stories it signed.
PERMISSIONS = {
    "article": ["add", "change", "delete", "view"],
    "byline": ["add", "change", "delete", "view"],
    "correction": ["add", "change", "view"],
    "image": ["add", "change", "view"],
    "author": ["add", "change", "view"],
    "section": ["view"],
}


def create_editors_group(apps, schema_editor):
    # Permissions normally appear only after every migration has run, so on a fresh
    # database they are created here (post_migrate then finds and keeps them).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for model, actions in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="articles", model=model)
        verbose_name = apps.get_model("articles", model)._meta.verbose_name
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            group.permissions.add(permission)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0003_image_focal_point_validators"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
