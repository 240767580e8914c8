"""Counting reads for "Most read": no cookie, no third party, nothing on the page's path.

An article page asks its reader's browser, from a static script of ours, to send one
small POST once the page is visible (`static/articles/read_beacon.js`); crawlers that run
no script are never counted. The beacon's view only adds one to a tally in this worker's
memory and answers 204 without touching the database. Each worker writes its tally into
the daily per-article counters (`DailyReadCount`) in one upsert, at most once per
`READS_FLUSH_SECONDS` or when the tally holds `READS_FLUSH_MAX_ARTICLES` articles, keeping
only articles readers may see: a draft's id sent by hand is dropped there.

Floods cost little and count for little: an address counts once per article per day in
each worker, and for at most `READS_MAX_ARTICLES_PER_ADDRESS` articles a day; both are
remembered in a bounded table in memory (addresses are never stored). A worker that stops
(a deploy, gunicorn's restart of a worker after `--max-requests`, Ctrl-C) writes what it
still holds on its way out; one that is killed outright loses at most one interval of its
reads: a popularity list needs no more.
"""

import logging
import re
import threading
import time
from collections import Counter, OrderedDict
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles.models import Article, DailyReadCount

logger = logging.getLogger(__name__)

# Crawlers that run scripts still say who they are; so do link previews and scripts.
ROBOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|headless|lighthouse|python|curl|wget|http", re.IGNORECASE
)

# Distinct (address, day) and (address, article, day) entries kept for deduplication;
# the oldest are forgotten first, so a flood of addresses cannot grow memory.
_SEEN_LIMIT = 100_000


class ReadTally:
    """One worker's reads not yet written, and whom it has already counted today."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: Counter[tuple[date, int]] = Counter()
        self._seen: OrderedDict[tuple, int] = OrderedDict()
        self._last_flush = time.monotonic()

    def add(self, *, article_id: int, address: str, day: date) -> bool:
        """Count one read unless this address already read it today or read too much."""
        with self._lock:
            if (address, article_id, day) in self._seen:
                return False
            articles_today = self._seen.get((address, day), 0)
            if articles_today >= settings.READS_MAX_ARTICLES_PER_ADDRESS:
                return False
            self._remember((address, article_id, day), 1)
            self._remember((address, day), articles_today + 1)
            self._pending[(day, article_id)] += 1
            return True

    def due(self) -> bool:
        return bool(self._pending) and (
            time.monotonic() - self._last_flush >= settings.READS_FLUSH_SECONDS
            or len(self._pending) >= settings.READS_FLUSH_MAX_ARTICLES
        )

    def take(self) -> Counter:
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
            return pending

    def give_back(self, pending: Counter) -> None:
        with self._lock:
            self._pending.update(pending)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._seen.clear()

    def _remember(self, key, value) -> None:
        self._seen[key] = value
        self._seen.move_to_end(key)
        while len(self._seen) > _SEEN_LIMIT:
            self._seen.popitem(last=False)


tally = ReadTally()


def is_countable(request) -> bool:
    """Whether a beacon looks like a person's browser on one of our pages."""
    agent = request.headers.get("User-Agent", "")
    # Browsers say where a request came from; another site's page may not count reads.
    site = request.headers.get("Sec-Fetch-Site", "same-origin")
    return bool(agent) and not ROBOT_AGENTS.search(agent) and site == "same-origin"


def read_record(*, article_id: int, address: str) -> bool:
    """Count one read of an article, writing the worker's tally when it is due."""
    counted = tally.add(article_id=article_id, address=address, day=timezone.localdate())
    if tally.due():
        try:
            reads_flush()
        except DatabaseError:
            # A reader's beacon never fails: the reads wait in memory for the next try.
            logger.warning("Could not write the read counts; keeping them for later.")
    return counted


def reads_flush() -> int:
    """Add this worker's tally to the daily counters in two queries; return the rows written."""
    pending = tally.take()
    if not pending:
        return 0
    try:
        readable = set(
            Article.objects.published()
            .filter(pk__in={article_id for _, article_id in pending})
            .values_list("pk", flat=True)
        )
        rows = [(pk, day, reads) for (day, pk), reads in pending.items() if pk in readable]
        if rows:
            _upsert(rows)
    except DatabaseError:
        # The database is away for a moment: keep the reads for the next flush.
        tally.give_back(pending)
        raise
    return len(rows)


def reads_flush_on_exit() -> None:
    """Write the tally of a worker that is stopping, so a deploy loses no reads."""
    try:
        reads_flush()
    except Exception:
        # The process is going away whatever happens; say what was lost rather than fail.
        logger.warning("Stopping with read counts the database did not take.", exc_info=True)


def _upsert(rows: list[tuple[int, date, int]]) -> None:
    # Django's bulk_create can only overwrite a conflicting row, not add to it. Rows go in
    # a fixed order so two workers flushing at once cannot deadlock on each other's rows.
    table = DailyReadCount._meta.db_table
    rows = sorted(rows, key=lambda row: (row[1], row[0]))
    article_ids, days, reads = zip(*rows, strict=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (article_id, day, reads)
            SELECT * FROM unnest(%s::bigint[], %s::date[], %s::integer[])
            ON CONFLICT (day, article_id) DO UPDATE SET reads = {table}.reads + EXCLUDED.reads
            """,
            [list(article_ids), list(days), list(reads)],
        )
