"""Who gets told when pages change: the local page store, Varnish, a CDN.

Each purger receives surrogate keys (the same tags the pages send out in their
``Surrogate-Key`` and ``Cache-Tag`` headers) and drops the pages carrying them.
``settings.PAGE_CACHE_PURGERS`` lists the purgers to call, in order.

Caches in front of the app (Varnish, Fastly) are told over HTTP. Inside a request the
keys are gathered and sent in one call when the response is ready
(``PurgeBatchMiddleware``), however many services and articles the request touched;
outside one (a task, a management command) they are sent at once. A cache that cannot be
reached is logged and never fails the editor's save: its pages then live out their
``s-maxage``.
"""

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from articles.pagestore import page_store

logger = logging.getLogger(__name__)


class Purger:
    """Drop the pages carrying any of the keys; with `within`, they may live that long."""

    def purge(self, keys: frozenset[str], *, within: int = 0) -> None:
        raise NotImplementedError


class LocalPurger(Purger):
    """The app's own page store (database table or Django cache)."""

    def purge(self, keys, *, within=0):
        page_store().purge(keys, within=within)


# The keys each remote purger owes its cache, gathered while a request runs.
_batch: ContextVar[dict | None] = ContextVar("page_purge_batch", default=None)


class RemotePurger(Purger):
    """A shared cache in front of the app, told over HTTP.

    A lazy purge (`within` seconds, for listings whose only change is a comment count) is
    sent that much later, from this process, as a soft purge: the cache keeps serving the
    old listing while it fetches the new one. The app's own store lets such a listing live
    just as long, so the refetch finds it fresh, and a burst of comments costs the cache
    one refetch per interval, not one per comment.
    """

    def purge(self, keys, *, within=0):
        keys = frozenset(keys)
        if not keys:
            return
        if within:
            _deferred.add(self, keys, due=time.monotonic() + within)
            return
        batch = _batch.get()
        if batch is None:
            self.send(keys)
        else:
            batch.setdefault(self, set()).update(keys)

    def send(self, keys: frozenset[str], *, soft: bool = False) -> None:
        """Tell the cache now; log, never raise, when it cannot be reached."""
        try:
            self.request(sorted(keys), soft=soft)
        except (OSError, ValueError) as error:
            logger.warning(
                "%s could not purge %d key(s) (%s): %s",
                type(self).__name__,
                len(keys),
                " ".join(sorted(keys)[:10]),
                error,
            )

    def request(self, keys: list[str], *, soft: bool) -> None:
        raise NotImplementedError

    def _call(self, request: urllib.request.Request) -> None:
        timeout = settings.PAGE_CACHE_PURGE_TIMEOUT_SECONDS
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()


class VarnishPurger(RemotePurger):
    """Varnish with the xkey module (deploy/varnish/newsroom.vcl), at each VARNISH_PURGE_URLS."""

    # Varnish refuses a request header over 8 KB (http_req_hdr_len): longer lists are split.
    header_limit = 4000

    def request(self, keys, *, soft):
        header = "xkey-softpurge" if soft else "xkey"
        failures = []
        # Every Varnish keeps its own copy: one unreachable must not spare the others.
        for url in settings.VARNISH_PURGE_URLS:
            for value in self._header_values(keys):
                call = urllib.request.Request(url, method="PURGE", headers={header: value})
                try:
                    self._call(call)
                except OSError as error:
                    failures.append(f"{url}: {error}")
                    break
        if failures:
            raise OSError("; ".join(failures))

    def _header_values(self, keys: list[str]) -> list[str]:
        values, current = [], ""
        for key in keys:
            if current and len(current) + 1 + len(key) > self.header_limit:
                values.append(current)
                current = ""
            current = f"{current} {key}" if current else key
        return [*values, current] if current else values


class FastlyPurger(RemotePurger):
    """Fastly's purge by surrogate key, for FASTLY_SERVICE_ID with FASTLY_API_TOKEN."""

    # Fastly's limit on keys in one batch purge.
    keys_per_call = 256

    def request(self, keys, *, soft):
        url = f"{settings.FASTLY_API_URL}/service/{settings.FASTLY_SERVICE_ID}/purge"
        headers = {
            "Fastly-Key": settings.FASTLY_API_TOKEN,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if soft:
            headers["Fastly-Soft-Purge"] = "1"
        for start in range(0, len(keys), self.keys_per_call):
            body = json.dumps({"surrogate_keys": keys[start : start + self.keys_per_call]})
            self._call(
                urllib.request.Request(url, data=body.encode(), method="POST", headers=headers)
            )


class DeferredPurges:
    """Lazy purges waiting for their moment, sent together by one timer thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: dict[tuple[RemotePurger, str], float] = {}
        self._timer: threading.Timer | None = None

    def add(self, purger: RemotePurger, keys: Iterable[str], *, due: float) -> None:
        with self._lock:
            for key in keys:
                # The earliest promise stands: a later comment must not postpone it.
                self._waiting.setdefault((purger, key), due)
            self._schedule()

    def send_due(self, now: float | None = None) -> None:
        """Send every purge whose moment has come, one call per purger."""
        now = time.monotonic() if now is None else now
        with self._lock:
            due = [entry for entry, moment in self._waiting.items() if moment <= now]
            for entry in due:
                del self._waiting[entry]
            self._timer = None
            self._schedule()
        by_purger: dict[RemotePurger, set[str]] = {}
        for purger, key in due:
            by_purger.setdefault(purger, set()).add(key)
        for purger, keys in by_purger.items():
            purger.send(frozenset(keys), soft=True)

    def waiting(self) -> set[str]:
        with self._lock:
            return {key for _, key in self._waiting}

    def clear(self) -> None:
        with self._lock:
            self._waiting.clear()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _schedule(self) -> None:
        if self._timer is not None or not self._waiting:
            return
        # A little late rather than early: the app's store must have let the page go first.
        delay = max(0.0, min(self._waiting.values()) - time.monotonic()) + 0.25
        self._timer = threading.Timer(delay, self.send_due)
        self._timer.daemon = True
        self._timer.start()


_deferred = DeferredPurges()


def deferred_purges() -> DeferredPurges:
    return _deferred


@contextmanager
def purge_batch():
    """Gather the remote purges made inside, and send each cache one call at the end."""
    if _batch.get() is not None:
        yield  # Already gathering: the outer batch sends.
        return
    token = _batch.set({})
    try:
        yield
    finally:
        batch = _batch.get()
        _batch.reset(token)
        for purger, keys in batch.items():
            purger.send(frozenset(keys))


@cache
def _purger(path: str) -> Purger:
    return import_string(path)()


def purgers() -> list[Purger]:
    return [_purger(path) for path in settings.PAGE_CACHE_PURGERS]


def has_remote_purgers() -> bool:
    return any(isinstance(purger, RemotePurger) for purger in purgers())
