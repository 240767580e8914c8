"""Create the Writers group and let Editors publish: the two roles of the newsroom desk."""

from django.db import migrations

WRITERS = "Writers"
EDITORS = "Editors"

# Writers write and illustrate their own stories; publishing stays with the editors.
WRITER_PERMISSIONS = {
    "article": ["add", "change", "view"],
    "byline": ["add", "change", "view"],
    "image": ["add", "change", "view"],
    "author": ["add", "change", "view"],
    "section": ["view"],
}
PUBLISH = ("article", "publish_article", "Can publish, schedule and unpublish articles")
# Editors also raise and lower the breaking-news banner.
EDITOR_BANNER_ACTIONS = ["add", "change", "delete", "view"]


def _permission(apps, model, codename, name):
    # Permissions normally appear only after every migration has run, so on a fresh
    # database they are created here (post_migrate then finds and keeps them).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_writers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    writers, _ = Group.objects.get_or_create(name=WRITERS)
    for model, actions in WRITER_PERMISSIONS.items():
        verbose_name = apps.get_model("articles", model)._meta.verbose_name
        for action in actions:
            writers.permissions.add(
                _permission(apps, model, f"{action}_{model}", f"Can {action} {verbose_name}")
            )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(_permission(apps, *PUBLISH))
    for action in EDITOR_BANNER_ACTIONS:
        editors.permissions.add(
            _permission(apps, "breakingnews", f"{action}_breakingnews", f"Can {action} breaking news")
        )


def remove_writers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=WRITERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0008_workflow"),
    ]

    operations = [
        migrations.RunPython(create_writers_group, remove_writers_group),
    ]
