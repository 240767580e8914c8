"""Stories are indexed with their own language's text search configuration: Urdu (and any
language PostgreSQL cannot stem) word for word with 'simple', no longer with 'english'.

Only the stories whose configuration changed are indexed again, as
`articles.models.search_document` read them when this migration was written.
"""

import json

from django.db import migrations

from articles.languages import search_configurations


def reindex_stories_not_in_english(apps, schema_editor):
    configurations = search_configurations()
    english = [code for code, config in configurations.items() if config == "english"]
    others = {code: config for code, config in configurations.items() if config != "english"}
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            WITH configured AS (
                SELECT a.id, coalesce(
                    (%(configurations)s::jsonb ->> a.language), 'simple')::regconfig AS config
                FROM articles_article a
                WHERE a.language <> ALL(%(english)s)
            )
            UPDATE articles_article a SET search_vector =
                setweight(to_tsvector(c.config, coalesce(a.headline, '')), 'A')
                || setweight(to_tsvector(c.config, coalesce(a.standfirst, '')), 'B')
                || setweight(to_tsvector(c.config,
                    coalesce((SELECT s.name FROM articles_section s WHERE s.id = a.section_id), '')
                    || ' ' || coalesce((SELECT string_agg(w.name, ' ') FROM articles_byline b
                        JOIN articles_author w ON w.id = b.author_id WHERE b.article_id = a.id), '')
                    || ' ' || coalesce((SELECT string_agg(t.name, ' ')
                        FROM articles_article_topics x JOIN articles_topic t ON t.id = x.topic_id
                        WHERE x.article_id = a.id), '')
                ), 'C')
                || setweight(to_tsvector(c.config, coalesce(a.body, '')), 'D')
            FROM configured c
            WHERE c.id = a.id
            """,
            {"configurations": json.dumps(others), "english": english},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_languages"),
    ]

    operations = [
        migrations.RunPython(reindex_stories_not_in_english, migrations.RunPython.noop),
    ]
