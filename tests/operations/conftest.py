"""What the many-machines stories share: a replica alias, a shared Redis, an S3 bucket."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.db import connections

from newsroom.replica import REPLICA

SHARED_REDIS = "redis://127.0.0.1:6379"
# A database number of our own on the machine's Redis, and a key prefix per test run: other
# people's tests on the same Redis never see our keys, and we never clear theirs.
TEST_REDIS_DB = 11


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """A "replica" alias on the test database: the same rows through another connection,
    as Django's TEST MIRROR sets it up (added here, as the real setting adds it only when
    DATABASE_REPLICA_URL is set)."""
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica_settings(settings):
    """The settings DATABASE_REPLICA_URL turns on (see the end of newsroom/settings.py)."""
    settings.DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("articles.middleware.PageCacheMiddleware"),
        "newsroom.replica.ReplicaMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.replica.ReplicaLagPurger",
        *settings.PAGE_CACHE_PURGERS,
    ]
    return settings


def _reachable(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_server():
    """The machine's Redis when it runs; otherwise a redis-server of our own on a spare port."""
    if _reachable(SHARED_REDIS):
        yield f"{SHARED_REDIS}/{TEST_REDIS_DB}"
        return
    if not shutil.which("redis-server"):
        pytest.skip("no Redis at 127.0.0.1:6379 and redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/{TEST_REDIS_DB}"
    deadline = time.monotonic() + 10
    while not _reachable(url):
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail("our redis-server did not start")
        time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_prefix(redis_server):
    """A key prefix for this test alone; its keys are deleted afterwards."""
    prefix = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_server)
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
