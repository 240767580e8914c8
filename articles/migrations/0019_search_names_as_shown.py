"""Stories are searched by the names their pages show: a section's or byline's name in the
story's language (an Urdu story's زینب اختر) as well as its main one.

Only the stories whose section or bylines have a name in their language are indexed again,
as `articles.models.search_document` read them when this migration was written.
"""

import json

from django.db import migrations

from articles.languages import search_configurations


def reindex_stories_with_names_in_their_language(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            WITH configured AS (
                SELECT a.id, coalesce(
                    (%(configurations)s::jsonb ->> a.language), 'simple')::regconfig AS config
                FROM articles_article a
                WHERE EXISTS (
                    SELECT 1 FROM articles_section s WHERE s.id = a.section_id
                    AND btrim(coalesce(s.other_names ->> a.language, '')) <> ''
                ) OR EXISTS (
                    SELECT 1 FROM articles_byline b JOIN articles_author w ON w.id = b.author_id
                    WHERE b.article_id = a.id
                    AND btrim(coalesce(w.other_names ->> a.language, '')) <> ''
                )
            )
            UPDATE articles_article a SET search_vector =
                setweight(to_tsvector(c.config, coalesce(a.headline, '')), 'A')
                || setweight(to_tsvector(c.config, coalesce(a.standfirst, '')), 'B')
                || setweight(to_tsvector(c.config,
                    coalesce((SELECT s.name || ' ' || coalesce(s.other_names ->> a.language, '')
                        FROM articles_section s WHERE s.id = a.section_id), '')
                    || ' ' || coalesce((SELECT string_agg(
                            w.name || ' ' || coalesce(w.other_names ->> a.language, ''), ' ')
                        FROM articles_byline b JOIN articles_author w ON w.id = b.author_id
                        WHERE b.article_id = a.id), '')
                    || ' ' || coalesce((SELECT string_agg(t.name, ' ')
                        FROM articles_article_topics x JOIN articles_topic t ON t.id = x.topic_id
                        WHERE x.article_id = a.id), '')
                ), 'C')
                || setweight(to_tsvector(c.config, coalesce(a.body, '')), 'D')
            FROM configured c
            WHERE c.id = a.id
            """,
            {"configurations": json.dumps(search_configurations())},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_search_per_language"),
    ]

    operations = [
        migrations.RunPython(
            reindex_stories_with_names_in_their_language, migrations.RunPython.noop
        ),
    ]
