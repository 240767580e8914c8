from django.db import migrations

# Each page is kept as two representations, plain and gzip, in their own columns, so a hit
# reads only the bytes it sends. The gzip column is stored EXTERNAL: PostgreSQL would
# otherwise try to compress already-compressed bytes on every write and hit.
# A cache table: dropping its rows is harmless.
CREATE = """
DROP TABLE IF EXISTS newsroom_page_cache;
CREATE UNLOGGED TABLE newsroom_page_cache (
    key text PRIMARY KEY,
    tags text[] NOT NULL,
    headers bytea NOT NULL,
    etag text NOT NULL,
    body bytea NOT NULL,
    gzipped bytea NOT NULL,
    expires_at timestamptz NOT NULL
);
ALTER TABLE newsroom_page_cache ALTER COLUMN gzipped SET STORAGE EXTERNAL;
CREATE INDEX newsroom_page_cache_tags_idx ON newsroom_page_cache USING gin (tags);
CREATE INDEX newsroom_page_cache_expires_idx ON newsroom_page_cache (expires_at);
"""

PREVIOUS = """
DROP TABLE IF EXISTS newsroom_page_cache;
CREATE UNLOGGED TABLE newsroom_page_cache (
    key text PRIMARY KEY,
    tags text[] NOT NULL,
    value bytea NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX newsroom_page_cache_tags_idx ON newsroom_page_cache USING gin (tags);
CREATE INDEX newsroom_page_cache_expires_idx ON newsroom_page_cache (expires_at);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_image_renditions_made_for")]

    operations = [migrations.RunSQL(CREATE, PREVIOUS)]
