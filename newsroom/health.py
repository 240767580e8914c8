"""Health answers for load balancers, before anything else in the stack runs.

``/healthz`` (liveness) says the process answers and touches nothing else. ``/readyz``
(readiness) says this server can serve: the primary database answers ``SELECT 1`` and each Redis
cache answers PING (a database cache is the database). Both are answered first in the
middleware, so HTTPS redirects, host checks, sessions and the page cache never see them;
both say only "ok" or "unavailable" (the reason goes to the log) and are never cached.
"""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def _answer(ready: bool) -> HttpResponse:
    response = HttpResponse(
        "ok\n" if ready else "unavailable\n",
        status=200 if ready else 503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


def database_problem() -> str | None:
    # The primary only: without its replica a server still serves (from the primary).
    for alias in ("default",):
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            connections[alias].close()
            return f"database {alias!r}: {error}".strip()
    return None


def cache_problem() -> str | None:
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, RedisCache):
            continue
        try:
            # The client itself, not the cache's methods: those forgive an outage.
            cache._cache.get_client(write=True).ping()
        except Exception as error:  # redis-py raises its own and OSError alike
            return f"cache {alias!r}: {error}"
    return None


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == LIVENESS_PATH:
            return _answer(True)
        if request.path == READINESS_PATH:
            problem = database_problem() or cache_problem()
            if problem:
                logger.warning("Not ready: %s", problem)
            return _answer(problem is None)
        return self.get_response(request)
