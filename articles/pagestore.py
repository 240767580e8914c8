"""Where finished public pages are kept, tagged with what they show, and purged by tag.

A store keeps each page's final bytes (plain and gzip-compressed) with its surrogate keys
(tags such as ``article-42`` or ``front``). Purging a tag removes every page that carries
it and no other. A hit asks for one representation (``PageHit``), the one it will send.
Two stores:

- ``DatabasePageStore``: an UNLOGGED PostgreSQL table with a GIN index on the tags. A hit
  is one primary-key lookup reading only the representation asked for; a purge is one
  DELETE; entries expire by time, and culling removes the soonest-to-expire rows, never by
  counting the table on every write.
- ``CachePageStore``: any Django cache (Redis in production, local memory in tests). Each
  tag has a version; a page remembers the versions it was stored under, and a purge bumps
  the version, so the page no longer matches.
"""

import gzip
import hashlib
import pickle
import random
import time
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.module_loading import import_string

PAGE_TABLE = "newsroom_page_cache"


@dataclass(frozen=True)
class CachedPage:
    """A finished 200 response: headers, body, its gzip form and its ETag."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes
    etag: str
    tags: frozenset[str] = field(default_factory=frozenset)
    expires_at: float = 0.0

    def hit(self, *, gzipped: bool) -> "PageHit":
        return PageHit(
            headers=self.headers,
            content=self.gzipped if gzipped else self.body,
            gzipped=gzipped,
            etag=self.etag,
            tags=self.tags,
            expires_at=self.expires_at,
        )

    @classmethod
    def from_response(cls, response, tags, *, expires_at: float) -> "CachedPage":
        body = response.content
        # Compressed once here, so no hit ever spends CPU on it.
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        skip = {"content-length", "content-encoding", "etag", "cache-control"}
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() not in skip
        )
        return cls(
            headers=headers,
            body=body,
            gzipped=gzipped,
            etag=etag,
            tags=frozenset(tags),
            expires_at=expires_at,
        )


@dataclass(frozen=True)
class PageHit:
    """One representation of a stored page, as a hit sends it."""

    headers: tuple[tuple[str, str], ...]
    content: bytes
    gzipped: bool
    etag: str
    tags: frozenset[str]
    expires_at: float


class PageStore:
    """Keep pages by key and drop them by tag; subclasses choose where."""

    def get(self, key: str, *, gzipped: bool) -> PageHit | None:
        raise NotImplementedError

    def set(self, key: str, page: CachedPage, *, timeout: int, not_after=None) -> None:
        """Keep a page for `timeout` seconds, and never past the moment `not_after`."""
        raise NotImplementedError

    def get_many(self, keys) -> dict[str, PageHit]:
        """The plain representation of each stored entry among keys, in one read."""
        return {key: hit for key in keys if (hit := self.get(key, gzipped=False)) is not None}

    def set_many(self, pages: dict[str, CachedPage], *, timeout: int) -> None:
        for key, page in pages.items():
            self.set(key, page, timeout=timeout)

    def purge(self, tags, *, within: int = 0) -> None:
        """Drop the pages carrying any of tags; with `within`, let them live that long at most."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


def _page_hit(headers, etag, content, tags, expires_at, *, gzipped) -> PageHit:
    """A stored row as the page it holds."""
    return PageHit(
        headers=pickle.loads(headers),
        content=bytes(content),
        gzipped=gzipped,
        etag=etag,
        tags=frozenset(tags),
        expires_at=expires_at,
    )


class DatabasePageStore(PageStore):
    # Culling runs on a small share of writes: an expired row costs nothing until then,
    # and counting the table on every write is what made the old cache slow.
    cull_probability = 0.01

    def get(self, key, *, gzipped):
        content = "gzipped" if gzipped else "body"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT headers, etag, {content}, tags, "
                "extract(epoch FROM expires_at)::float8 "
                f"FROM {PAGE_TABLE} WHERE key = %s AND expires_at > now()",
                [key],
            )
            row = cursor.fetchone()
        return None if row is None else _page_hit(*row, gzipped=gzipped)

    def get_many(self, keys):
        keys = list(keys)
        if not keys:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key, headers, etag, body, tags, extract(epoch FROM expires_at)::float8 "
                f"FROM {PAGE_TABLE} WHERE key = ANY(%s) AND expires_at > now()",
                [keys],
            )
            rows = cursor.fetchall()
        return {key: _page_hit(*row, gzipped=False) for key, *row in rows}

    def set_many(self, pages, *, timeout):
        if not pages:
            return
        rows, params = [], []
        for key, page in pages.items():
            rows.append("(%s, %s, %s, %s, %s, %s, now() + make_interval(secs => %s))")
            headers = pickle.dumps(page.headers, protocol=pickle.HIGHEST_PROTOCOL)
            params += [key, sorted(page.tags), headers, page.etag, page.body, page.gzipped]
            params.append(timeout)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PAGE_TABLE} (key, tags, headers, etag, body, gzipped, expires_at) "
                f"VALUES {', '.join(rows)} "
                "ON CONFLICT (key) DO UPDATE SET tags = EXCLUDED.tags, "
                "headers = EXCLUDED.headers, etag = EXCLUDED.etag, body = EXCLUDED.body, "
                "gzipped = EXCLUDED.gzipped, expires_at = EXCLUDED.expires_at",
                params,
            )

    def set(self, key, page, *, timeout, not_after=None):
        headers = pickle.dumps(page.headers, protocol=pickle.HIGHEST_PROTOCOL)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PAGE_TABLE} (key, tags, headers, etag, body, gzipped, expires_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, LEAST(now() + make_interval(secs => %s), "
                "COALESCE(%s, 'infinity'::timestamptz))) "
                "ON CONFLICT (key) DO UPDATE SET tags = EXCLUDED.tags, "
                "headers = EXCLUDED.headers, etag = EXCLUDED.etag, body = EXCLUDED.body, "
                "gzipped = EXCLUDED.gzipped, expires_at = EXCLUDED.expires_at",
                [
                    key,
                    sorted(page.tags),
                    headers,
                    page.etag,
                    page.body,
                    page.gzipped,
                    timeout,
                    not_after,
                ],
            )
            if random.random() < self.cull_probability:
                self._cull(cursor)

    def _cull(self, cursor):
        cursor.execute(f"DELETE FROM {PAGE_TABLE} WHERE expires_at <= now()")
        # The planner's row estimate is free; an exact count is what we avoid.
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [PAGE_TABLE]
        )
        estimate = cursor.fetchone()[0]
        excess = estimate - settings.PAGE_CACHE_MAX_ENTRIES
        if excess > 0:
            cursor.execute(
                f"DELETE FROM {PAGE_TABLE} WHERE key IN "
                f"(SELECT key FROM {PAGE_TABLE} ORDER BY expires_at LIMIT %s)",
                [excess + settings.PAGE_CACHE_MAX_ENTRIES // 10],
            )

    def purge(self, tags, *, within=0):
        tags = sorted(tags)
        if not tags:
            return
        with connection.cursor() as cursor:
            if within:
                cursor.execute(
                    f"UPDATE {PAGE_TABLE} SET expires_at = now() + make_interval(secs => %s) "
                    "WHERE tags && %s::text[] "
                    "AND expires_at > now() + make_interval(secs => %s)",
                    [within, tags, within],
                )
            else:
                cursor.execute(f"DELETE FROM {PAGE_TABLE} WHERE tags && %s::text[]", [tags])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {PAGE_TABLE}")


class CachePageStore(PageStore):
    """Pages in a Django cache, invalidated through one version number per tag.

    A lazy purge ("within" seconds) records a deadline on the tag instead of a new
    version; the first reader after the deadline turns it into a real purge. So a burst
    of comments re-renders a listing once per interval, not once per comment.
    """

    alias = "pages"

    @property
    def cache(self):
        return caches[self.alias]

    def _tag_key(self, tag):
        return f"tag:{tag}"

    def _states(self, tags) -> dict[str, tuple[int, float | None]]:
        found = self.cache.get_many([self._tag_key(tag) for tag in tags])
        return {tag: found.get(self._tag_key(tag)) for tag in tags}

    def get(self, key, *, gzipped):
        entry = self.cache.get(f"page:{key}")
        if entry is None:
            return None
        versions, page = entry
        now = time.time()
        for tag, state in self._states(versions).items():
            # A missing tag state (evicted) means the stored versions cannot be trusted.
            if state is None or state[0] != versions[tag]:
                return None
            if state[1] is not None and now >= state[1]:
                self._bump(tag)
                return None
        return page.hit(gzipped=gzipped)

    def get_many(self, keys):
        keys = list(keys)
        entries = self.cache.get_many([f"page:{key}" for key in keys])
        if not entries:
            return {}
        states = self._states({tag for versions, _ in entries.values() for tag in versions})
        now = time.time()
        # As in get(): a lazy purge whose deadline has passed becomes a real one.
        for tag, state in states.items():
            if state is not None and state[1] is not None and now >= state[1]:
                self._bump(tag)
                states[tag] = None
        found = {}
        for key in keys:
            if (entry := entries.get(f"page:{key}")) is None:
                continue
            versions, page = entry
            if all(
                states[tag] is not None and states[tag][0] == version
                for tag, version in versions.items()
            ):
                found[key] = page.hit(gzipped=False)
        return found

    def set(self, key, page, *, timeout, not_after=None):
        # `timeout` is already cut to `not_after` by this process's clock, which this
        # cache's expiry follows.
        states = self._states(page.tags)
        versions = {}
        for tag, state in states.items():
            if state is None:
                state = (random.getrandbits(48), None)
                self.cache.add(self._tag_key(tag), state, timeout=None)
                state = self.cache.get(self._tag_key(tag), state)
            versions[tag] = state[0]
        self.cache.set(f"page:{key}", (versions, page), timeout)

    def _bump(self, tag):
        self.cache.set(self._tag_key(tag), (random.getrandbits(48), None), timeout=None)

    def purge(self, tags, *, within=0):
        if not within:
            for tag in tags:
                self._bump(tag)
            return
        deadline = time.time() + within
        for tag, state in self._states(tags).items():
            if state is None:
                continue  # No page stored under this tag can still match.
            if state[1] is None or state[1] > deadline:
                self.cache.set(self._tag_key(tag), (state[0], deadline), timeout=None)

    def clear(self):
        self.cache.clear()


@cache
def _store_class(path: str):
    return import_string(path)


def page_store() -> PageStore:
    return _store_class(settings.PAGE_CACHE_STORE)()
