from django.db import migrations

# UNLOGGED: a cache need not survive a crash, and skipping the write-ahead log makes the
# many small writes of a busy day cheap. Django's own cache table (from 0006) is replaced:
# it counted itself on every write and culled by key order.
CREATE = """
DROP TABLE IF EXISTS newsroom_cache;
CREATE UNLOGGED TABLE newsroom_cache (
    key text PRIMARY KEY,
    value bytea,
    number bigint,
    expires_at timestamptz NOT NULL
);
CREATE INDEX newsroom_cache_expires_idx ON newsroom_cache (expires_at);
CREATE UNLOGGED TABLE newsroom_page_cache (
    key text PRIMARY KEY,
    tags text[] NOT NULL,
    value bytea NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX newsroom_page_cache_tags_idx ON newsroom_page_cache USING gin (tags);
CREATE INDEX newsroom_page_cache_expires_idx ON newsroom_page_cache (expires_at);
"""

DROP = """
DROP TABLE IF EXISTS newsroom_page_cache;
DROP TABLE IF EXISTS newsroom_cache;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_writers_group")]

    operations = [migrations.RunSQL(CREATE, DROP)]
