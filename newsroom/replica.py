"""Public reads from a PostgreSQL read replica, without anyone seeing the past.

With DATABASE_REPLICA_URL set, the router sends reads of the public apps (articles and
comments) to the "replica" alias, but only inside a request the middleware has judged
safe: a GET or HEAD outside the admin, from a client without a session (staff always
read the primary) and not pinned. Everything else (writes, the admin, sessions, sign-in,
the task worker, management commands) uses the primary.

A replica replays the primary's changes a moment late, so:

- Read your own writes: any POST pins its client to the primary for
  DATABASE_REPLICA_PIN_SECONDS, through a signed, timestamped cookie that every app server
  can check with the shared SECRET_KEY (nothing is kept on one server).
- Shared pages are never cached stale: a purge (a publish, a comment, a hide) also marks,
  in the shared cache, that pages rendered in the next DATABASE_REPLICA_PIN_SECONDS come
  from the primary, since a page rendered from a lagging replica would otherwise be kept
  by the page cache (and a CDN) for minutes.
- Reads inside a transaction on the primary stay on the primary (a row locked there must
  be read there).

A replica that cannot be reached is not an outage: its readers are served from the
primary until it answers again.
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature
from django.db import DatabaseError, connections

from articles.purgers import Purger

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "newsroom_primary"
PIN_SALT = "newsroom.replica.pin"
# The moment until which shared pages must be rendered from the primary (a float, epoch).
FRESH_PAGES_KEY = "replica:primary-until"
PUBLIC_APPS = frozenset({"articles", "comments"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadPlan:
    """Whether this request may read the replica; the shared cache is asked at most once,
    and only if the request reads the database at all (a page-cache hit never does)."""

    def __init__(self, *, may_use_replica: bool):
        self._may = may_use_replica
        self._decided: bool | None = None

    def uses_replica(self) -> bool:
        if self._decided is None:
            self._decided = (
                self._may and cache.get(FRESH_PAGES_KEY, 0) <= time.time() and replica_reachable()
            )
        return self._decided


# After a failed connection the replica is left alone this long: readers are served from
# the primary meanwhile, at the cost of one connection attempt per interval, not per page.
RETRY_AFTER_SECONDS = 5.0
_down_until = 0.0


def replica_reachable() -> bool:
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as error:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("Replica unavailable (%s); reading from the primary.", error)
        return False
    return True


_plan: ContextVar[ReadPlan | None] = ContextVar("newsroom_read_plan", default=None)


def replica_read_decision(request) -> bool:
    """May this request read the replica (before the shared-cache check)?"""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(settings.DATABASE_REPLICA_PRIMARY_PATHS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not is_pinned(request)
    )


def is_pinned(request) -> bool:
    try:
        request.get_signed_cookie(
            PIN_COOKIE, salt=PIN_SALT, max_age=settings.DATABASE_REPLICA_PIN_SECONDS
        )
    except (KeyError, BadSignature):
        return False
    return True


def pin(response) -> None:
    """Send this client's reads to the primary for the next few seconds."""
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class ReplicaMiddleware:
    """Decide, per request, whether public reads may use the replica; pin after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _plan.set(ReadPlan(may_use_replica=replica_read_decision(request)))
        try:
            response = self.get_response(request)
        finally:
            _plan.reset(token)
        if request.method not in SAFE_METHODS:
            pin(response)
        return response


class ReplicaRouter:
    """Public reads to the replica when the request's plan allows it; all else to the primary."""

    def db_for_read(self, model, **hints):
        plan = _plan.get()
        if (
            plan is not None
            and model._meta.app_label in PUBLIC_APPS
            and not connections[PRIMARY].in_atomic_block
            and plan.uses_replica()
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there is the same row.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaLagPurger(Purger):
    """Listed first in PAGE_CACHE_PURGERS: after any purge, pages are rendered from the
    primary until the replica has surely caught up."""

    def purge(self, keys, *, within=0):
        # A lazy purge's pages are re-rendered `within` seconds from now at the earliest;
        # this window already covers those that fall before the replica has caught up.
        until = time.time() + settings.DATABASE_REPLICA_PIN_SECONDS
        if cache.get(FRESH_PAGES_KEY, 0) < until:
            cache.set(FRESH_PAGES_KEY, until, timeout=int(until - time.time()) + 1)
