"""Reading the environment: django-environ, with the habits Newsroom's settings rely on."""

import environ
from django.core.exceptions import ImproperlyConfigured

# The one default database, shared by the settings and `python -m newsroom.dbsetup`.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom"


class Env(environ.Env):
    """django-environ, where an empty variable counts as unset (`DEBUG= make run` keeps the
    default), list items are trimmed, a bad number names its variable, and CACHE_URL also
    takes the schemes Newsroom has always documented (db://, locmem://)."""

    CACHE_SCHEMES = {
        **environ.Env.CACHE_SCHEMES,
        # An UNLOGGED table of our own (articles migration 0010): no COUNT(*) per write.
        "db": "newsroom.dbcache.PostgresCache",
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        # Redis down means a slower site, not a broken one (see newsroom/cache.py).
        "redis": "newsroom.cache.ForgivingRedisCache",
        "rediss": "newsroom.cache.ForgivingRedisCache",
    }

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if self.ENVIRON.get(var) == "" and default is not self.NOTSET:
            return default
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)

    def int(self, var, default=environ.Env.NOTSET):
        try:
            return super().int(var, default=default)
        except ValueError as error:
            value = self.ENVIRON.get(var)
            raise ImproperlyConfigured(f"{var} must be a whole number, not {value!r}") from error

    def float(self, var, default=environ.Env.NOTSET):
        try:
            return super().float(var, default=default)
        except ValueError as error:
            value = self.ENVIRON.get(var)
            raise ImproperlyConfigured(f"{var} must be a number, not {value!r}") from error

    def list(self, var, cast=None, default=environ.Env.NOTSET):
        return [
            item.strip() for item in super().list(var, cast=cast, default=default) if item.strip()
        ]

    def newsroom_cache(self, var: str, *, default: str) -> dict:
        """The cache CACHE_URL names: Redis, a PostgreSQL table (db://name) or process memory."""
        url = self.str(var, default=default)
        if url.split("://", 1)[0] not in ("redis", "rediss", "db", "locmem"):
            raise ImproperlyConfigured(
                f"{var} must start with redis://, db:// or locmem://, not {url!r}"
            )
        config = self.cache_url_config(url)
        if config["BACKEND"] == self.CACHE_SCHEMES["db"]:
            config["LOCATION"] = config["LOCATION"] or "newsroom_cache"
            config["OPTIONS"] = {"MAX_ENTRIES": 1_000_000}
        elif config["BACKEND"] == self.CACHE_SCHEMES["redis"]:
            # The whole URL, query included: redis-py reads its own options from it.
            config["LOCATION"] = url
            config["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        else:
            config.pop("LOCATION", None)
        return config
