"""What one comment costs the article page it lands on, in-process, with the page cache on.

The news day's price is paid in re-renders: each comment purges its story's page, and the
next reader renders it again. This measures that render after a comment on each of the
busy stories of `newsroom_bench_small` (built by `benchmarks/pages_http.py` if missing):
CPU and wall milliseconds of this process and the time spent in SQL, against a cached hit,
and how many cached pages carry a busy story's `teaser-` key (those a comment on it
purges within PAGE_CACHE_LISTING_LAG_SECONDS). CPU time is what other jobs on a shared
machine disturb least. The comments it adds are taken back at the end.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pages_http  # noqa: E402  (benchmarks/ is not a package)

DATABASE = "newsroom_bench_small"
ROUNDS = 60


def main() -> None:
    pages_http.build(DATABASE, articles=1000, comments=10_000)
    pages_http.freshen(DATABASE)
    pages_http.forget_news_day(DATABASE)
    os.environ.update(pages_http.server_environment(DATABASE, page_cache_seconds=300))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from articles.cache import comment_pages_purge
    from comments.models import Comment
    from comments.services.counts import comment_count_refresh

    busy = pages_http.hot_articles(DATABASE)
    client = Client(HTTP_HOST="127.0.0.1")
    in_sql = [0.0]

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter() - started

    for pk, slug in busy:  # The site has been up all morning.
        client.get(f"/article/{pk}/{slug}/")
    cpu, wall, sql, hit = [], [], [], []
    with connection.execute_wrapper(timed_sql):
        for number in range(ROUNDS):
            pk, slug = busy[number % len(busy)]
            Comment.objects.create(
                article_id=pk,
                name=f"Reader {number}",
                email=f"reader{number}@{pages_http.POSTER_DOMAIN}",
                body="The council owes us a straight answer on this.",
                status=Comment.Status.PUBLISHED,
            )
            comment_count_refresh(article_id=pk)
            comment_pages_purge(article_ids=[pk])
            in_sql[0] = 0.0
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            response = client.get(f"/article/{pk}/{slug}/")
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - wall_start)
            sql.append(in_sql[0])
            if response.status_code != 200 or response["X-Page-Cache"] != "miss":
                raise SystemExit(f"/article/{pk}/ answered {response.status_code}, not a render")
            cpu_start = time.process_time()
            client.get(f"/article/{pk}/{slug}/")
            hit.append(time.process_time() - cpu_start)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM newsroom_page_cache WHERE tags && %s::text[]",
            [[f"teaser-{pk}" for pk, _ in busy]],
        )
        (listing_busy,) = cursor.fetchone()
    pages_http.forget_news_day(DATABASE)

    def ms(values):
        return statistics.median(values) * 1000

    print(
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, in-process, "
        f"{DATABASE}, {ROUNDS} comments (load average {os.getloadavg()[0]:.1f}).\n\n"
        "| render after a comment: CPU ms | wall ms | SQL ms | cached hit: CPU ms "
        "| re-render / hit (CPU) | cached entries showing a busy story's teaser |\n"
        "|---:|---:|---:|---:|---:|---:|\n"
        f"| {ms(cpu):.2f} | {ms(wall):.2f} | {ms(sql):.2f} | {ms(hit):.2f} "
        f"| {ms(cpu) / ms(hit):.0f} | {listing_busy} |"
    )


if __name__ == "__main__":
    main()
