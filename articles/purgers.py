"""Who gets told when pages change: the local page store now, a CDN or Varnish later.

Each purger receives surrogate keys (the same tags the pages send out in their
``Surrogate-Key`` and ``Cache-Tag`` headers) and drops the pages carrying them.
``settings.PAGE_CACHE_PURGERS`` lists the purgers to call, in order.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from articles.pagestore import page_store


class Purger:
    """Drop the pages carrying any of the keys; with `within`, they may live that long."""

    def purge(self, keys: frozenset[str], *, within: int = 0) -> None:
        raise NotImplementedError


class LocalPurger(Purger):
    """The app's own page store (database table or Django cache)."""

    def purge(self, keys, *, within=0):
        page_store().purge(keys, within=within)


@cache
def _purger(path: str) -> Purger:
    return import_string(path)()


def purgers() -> list[Purger]:
    return [_purger(path) for path in settings.PAGE_CACHE_PURGERS]
