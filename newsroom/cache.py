"""Redis as a cache that a Redis outage cannot turn into errors for readers.

While Redis is unreachable every read is a miss and every write is dropped: pages are
rendered fresh (slower, still correct) and the comment rate limits, which count in the
cache, are not enforced (the honeypot, minimum time, moderation holds and bans still are).
After a failure Redis is left alone for a few seconds, so a dead server costs one short
timeout now and then, not one per cache call.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0


def _forgiving(method_name, fallback):
    method = getattr(RedisCache, method_name)

    @wraps(method)
    def call(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Redis cache unavailable (%s); serving without it.", error)
            return fallback(*args, **kwargs)

    return call


def _default(*args, default=None, **kwargs):
    return args[1] if len(args) > 1 else default


def _increment(*args, delta=1, **kwargs):
    # As if the counter had just started: a rate limit lets the post through.
    return args[1] if len(args) > 1 else delta


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is down."""

    _down_until = 0.0

    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", lambda *args, **kwargs: {})
    set = _forgiving("set", lambda *args, **kwargs: None)
    set_many = _forgiving("set_many", lambda *args, **kwargs: [])
    add = _forgiving("add", lambda *args, **kwargs: False)
    incr = _forgiving("incr", _increment)
    decr = _forgiving("decr", _increment)
    touch = _forgiving("touch", lambda *args, **kwargs: False)
    has_key = _forgiving("has_key", lambda *args, **kwargs: False)
    delete = _forgiving("delete", lambda *args, **kwargs: False)
    delete_many = _forgiving("delete_many", lambda *args, **kwargs: None)
    clear = _forgiving("clear", lambda *args, **kwargs: None)
