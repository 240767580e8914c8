"""A Django cache backend on an UNLOGGED PostgreSQL table, for sites without Redis.

Django's own database cache counts its whole table on every write and, when full, culls
by key order, which throws away whatever sorts first (rate-limit counters included).
This one never counts: expired rows go on a small share of writes, and when the
planner's row estimate passes MAX_ENTRIES the rows nearest their expiry go first.
Integers live in their own column, so ``incr`` is one atomic UPDATE (rate limits stay
exact under concurrent posts). UNLOGGED: a cache need not survive a crash, and skipping
the write-ahead log makes writes cheap.

The table is made by the migrations (``articles`` 0007); LOCATION names it.
"""

import pickle
import random

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router

EXPIRES = "now() + make_interval(secs => %s)"
# "No timeout": a century, which needs no special case in any query.
FOREVER_SECONDS = 100 * 365 * 24 * 3600.0


class PostgresCache(BaseCache):
    cull_probability = 0.01

    def __init__(self, table, params):
        super().__init__(params)
        self._table = table

    @property
    def _connection(self):
        return connections[router.db_for_write(None) or "default"]

    def _expiry(self, timeout) -> float:
        """Seconds from the database's now(): expiry is judged by one clock, the database's."""
        timeout = self.get_backend_timeout(timeout)
        return FOREVER_SECONDS if timeout is None else float(timeout)

    @staticmethod
    def _encode(value):
        if isinstance(value, int) and not isinstance(value, bool):
            return None, value
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL), None

    @staticmethod
    def _decode(blob, number):
        return number if blob is None else pickle.loads(blob)

    def _execute(self, sql, params=()):
        with self._connection.cursor() as cursor:
            cursor.execute(sql.format(table=self._table), params)
            return cursor.fetchall() if cursor.description else cursor.rowcount

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        rows = self._execute(
            "SELECT value, number FROM {table} WHERE key = %s AND expires_at > now()", [key]
        )
        return self._decode(*rows[0]) if rows else default

    def get_many(self, keys, version=None):
        wanted = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not wanted:
            return {}
        rows = self._execute(
            "SELECT key, value, number FROM {table} WHERE key = ANY(%s) AND expires_at > now()",
            [list(wanted)],
        )
        return {wanted[key]: self._decode(blob, number) for key, blob, number in rows}

    def _write(self, key, value, timeout, *, only_if_absent):
        blob, number = self._encode(value)
        condition = "WHERE {table}.expires_at <= now()" if only_if_absent else ""
        written = self._execute(
            "INSERT INTO {table} AS {table} (key, value, number, expires_at) "
            "VALUES (%s, %s, %s, "
            + EXPIRES
            + ") ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "
            "number = EXCLUDED.number, expires_at = EXCLUDED.expires_at " + condition,
            [key, blob, number, self._expiry(timeout)],
        )
        if random.random() < self.cull_probability:
            self._cull()
        return written == 1

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._write(key, value, timeout, only_if_absent=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._write(key, value, timeout, only_if_absent=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return (
            self._execute(
                "UPDATE {table} SET expires_at = "
                + EXPIRES
                + " WHERE key = %s AND expires_at > now()",
                [self._expiry(timeout), key],
            )
            == 1
        )

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        rows = self._execute(
            "UPDATE {table} SET number = number + %s "
            "WHERE key = %s AND expires_at > now() AND number IS NOT NULL RETURNING number",
            [delta, key],
        )
        if not rows:
            raise ValueError(f"Key {key!r} not found or not a number.")
        return rows[0][0]

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._execute("DELETE FROM {table} WHERE key = %s", [key]) == 1

    def delete_many(self, keys, version=None):
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if keys:
            self._execute("DELETE FROM {table} WHERE key = ANY(%s)", [keys])

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(
            self._execute("SELECT 1 FROM {table} WHERE key = %s AND expires_at > now()", [key])
        )

    def clear(self):
        self._execute("TRUNCATE {table}")

    def _cull(self):
        self._execute("DELETE FROM {table} WHERE expires_at <= now()")
        # The planner's estimate costs nothing; an exact count is what this backend avoids.
        estimate = self._execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [self._table]
        )[0][0]
        if estimate > self._max_entries:
            self._execute(
                "DELETE FROM {table} WHERE key IN "
                "(SELECT key FROM {table} ORDER BY expires_at LIMIT %s)",
                [estimate - self._max_entries + self._max_entries // self._cull_frequency],
            )
