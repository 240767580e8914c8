"""Topics, and the stored search text of every article with its GIN index.

Existing articles get their search text here, computed as `articles.models.search_document`
computed it when this migration was written (no topics existed yet).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# Editors keep the list of topics; writers tag their stories with the existing ones.
TOPIC_PERMISSIONS = {"Editors": ["add", "change", "delete", "view"], "Writers": ["view"]}


def fill_search_vectors(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE articles_article a SET search_vector =
                setweight(to_tsvector(%(config)s::regconfig, coalesce(a.headline, '')), 'A')
                || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.standfirst, '')), 'B')
                || setweight(to_tsvector(%(config)s::regconfig,
                    coalesce((SELECT s.name FROM articles_section s WHERE s.id = a.section_id), '')
                    || ' ' || coalesce((SELECT string_agg(w.name, ' ') FROM articles_byline b
                        JOIN articles_author w ON w.id = b.author_id WHERE b.article_id = a.id), '')
                ), 'C')
                || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.body, '')), 'D')
            """,
            # The one configuration every story was indexed with when this was written.
            {"config": "english"},
        )


def create_topic_permissions(apps, schema_editor):
    # Permissions normally appear only after every migration has run, so on a fresh
    # database they are created here (post_migrate then finds and keeps them).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="topic")
    for group_name, actions in TOPIC_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_topic",
                defaults={"name": f"Can {action} topic"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0015_most_read"),
    ]

    operations = [
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('slug', models.SlugField(allow_unicode=True, help_text="The topic page's address; letters of any script.", max_length=110, unique=True)),
                ('description', models.TextField(blank=True, help_text='Shown at the top of the topic page.')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, help_text='Headline, standfirst, names and body as search reads them; kept current whenever the article, its bylines or its topics are saved.', null=True),
        ),
        # Filled before its index is built: one pass instead of an index update per row.
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop),
        migrations.AddField(
            model_name='article',
            name='topics',
            field=models.ManyToManyField(blank=True, help_text='What the story is about beyond its section; each topic has its own page.', related_name='articles', to='articles.topic'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='article_search_idx', fastupdate=False),
        ),
        migrations.RunPython(create_topic_permissions, migrations.RunPython.noop),
    ]
