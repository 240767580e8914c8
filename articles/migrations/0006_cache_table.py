from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    """Create the database cache's table, so `migrate` alone gives a working site.

    The default CACHE_URL keeps pages and rate limits in PostgreSQL; without its table
    every page is a 500. Does nothing for Redis or local-memory caches.
    """
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_article_front_page_lead")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
