"""The many-machines settings, read from the environment; unset, nothing changes."""

import runpy
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "newsroom" / "settings.py"
NEW_VARIABLES = (
    "REDIS_URL",
    "CACHE_URL",
    "PAGE_CACHE_URL",
    "MEDIA_STORAGE",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_CUSTOM_DOMAIN",
    "DATABASE_REPLICA_URL",
    "DATABASE_REPLICA_PIN_SECONDS",
)


@pytest.fixture
def settings_from(monkeypatch):
    """The settings module as a server started with these variables would have it."""

    def load(**variables):
        for name in NEW_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_unset_a_single_server_runs_as_before(settings_from):
    loaded = settings_from()

    assert loaded["CACHES"]["default"]["BACKEND"] == "newsroom.dbcache.PostgresCache"
    assert loaded["PAGE_CACHE_STORE"] == "articles.pagestore.DatabasePageStore"
    assert loaded["STORAGES"]["default"]["BACKEND"] == "articles.storage.MediaStorage"
    assert loaded["STORAGES"]["originals"]["BACKEND"] == "articles.storage.OriginalStorage"
    assert set(loaded["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in loaded
    assert "newsroom.replica.ReplicaMiddleware" not in loaded["MIDDLEWARE"]
    assert loaded["PAGE_CACHE_PURGERS"] == ["articles.purgers.LocalPurger"]


def test_redis_url_puts_limits_pages_and_their_purges_in_redis(settings_from):
    loaded = settings_from(REDIS_URL="redis://cache.internal:6379/2")

    for alias in ("default", "pages"):
        config = loaded["CACHES"][alias]
        assert issubclass(import_string(config["BACKEND"]), RedisCache)
        assert config["LOCATION"] == "redis://cache.internal:6379/2"
    assert loaded["PAGE_CACHE_STORE"] == "articles.pagestore.CachePageStore"


def test_cache_url_still_wins_over_redis_url(settings_from):
    loaded = settings_from(REDIS_URL="redis://cache.internal:6379/2", CACHE_URL="locmem://")

    assert loaded["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_s3_media_storage_takes_its_bucket_and_keys_from_the_environment(settings_from):
    loaded = settings_from(
        MEDIA_STORAGE="s3",
        S3_BUCKET="newsroom-media",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        S3_REGION="eu-central-1",
        S3_CUSTOM_DOMAIN="media.example.org",
    )

    media, originals = loaded["STORAGES"]["default"], loaded["STORAGES"]["originals"]
    assert media["BACKEND"] == "articles.storage.S3MediaStorage"
    assert media["OPTIONS"]["custom_domain"] == "media.example.org"
    assert originals["BACKEND"] == "articles.storage.S3OriginalStorage"
    assert "custom_domain" not in originals["OPTIONS"]
    for options in (media["OPTIONS"], originals["OPTIONS"]):
        assert options["bucket_name"] == "newsroom-media"
        assert options["endpoint_url"] == "http://127.0.0.1:9000"
        assert options["access_key"] == "key" and options["secret_key"] == "secret"
        assert options["region_name"] == "eu-central-1"
        assert options["file_overwrite"] is False
    assert loaded["SERVE_MEDIA"] is False


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "S3_BUCKET"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be local or s3, not 'ftp'"),
        ({"DATABASE_REPLICA_PIN_SECONDS": "soon"}, "DATABASE_REPLICA_PIN_SECONDS must be a whole"),
    ],
)
def test_a_wrong_setting_is_refused_by_name(settings_from, variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_from(**variables)


def test_a_replica_url_adds_the_replica_its_router_and_the_pin(settings_from):
    loaded = settings_from(
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/newsroom",
        DATABASE_REPLICA_PIN_SECONDS="5",
    )

    replica = loaded["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal" and replica["NAME"] == "newsroom"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert loaded["DATABASE_ROUTERS"] == ["newsroom.replica.ReplicaRouter"]
    middleware = loaded["MIDDLEWARE"]
    # Decided before the page cache renders a miss, so a miss can read the replica.
    assert middleware.index("newsroom.replica.ReplicaMiddleware") < middleware.index(
        "articles.middleware.PageCacheMiddleware"
    )
    assert loaded["PAGE_CACHE_PURGERS"][0] == "newsroom.replica.ReplicaLagPurger"
    assert loaded["DATABASE_REPLICA_PIN_SECONDS"] == 5
