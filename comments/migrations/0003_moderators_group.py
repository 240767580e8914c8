"""Create the Moderators group with the permissions moderation needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"

PERMISSIONS = [
    ("comments", "comment", "moderate_comment"),
    ("comments", "comment", "view_comment"),
    ("comments", "comment", "change_comment"),
    ("comments", "ban", "view_ban"),
    ("comments", "ban", "add_ban"),
    ("comments", "ban", "change_ban"),
    ("comments", "report", "view_report"),
    ("comments", "moderationaction", "view_moderationaction"),
]


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; make them exist now.
    comments_config = apps.get_app_config("comments")
    models_module = comments_config.models_module
    comments_config.models_module = models_module or True
    try:
        create_permissions(
            comments_config, apps=apps, verbosity=0, using=schema_editor.connection.alias
        )
    finally:
        comments_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename in PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
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
