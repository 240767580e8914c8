"""Create the Moderators group with the permissions moderation needs."""

from django.db import migrations

GROUP_NAME = "Moderators"

PERMISSIONS = [
    ("comment", "moderate_comment", "Can moderate reader comments"),
    ("comment", "view_comment", "Can view comment"),
    ("comment", "change_comment", "Can change comment"),
    ("ban", "view_ban", "Can view ban"),
    ("ban", "add_ban", "Can add ban"),
    ("ban", "change_ban", "Can change ban"),
    ("report", "view_report", "Can view report"),
    ("moderationaction", "view_moderationaction", "Can view moderation action"),
]


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run, so on a fresh
    # database they do not exist yet; create them here (post_migrate finds and keeps them).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="comments", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0002_moderation"),
    ]

    operations = [
        migrations.RunPython(create_moderators_group, remove_moderators_group),
    ]
