"""Public page speed: queries and time per page, small newsroom versus a large one.

Run with `make benchmark` or `.venv/bin/python benchmarks/pages.py [--articles 10000]`.
Uses its own database (DATABASE_URL's server, database `newsroom_bench`), never the demo
one. Prints ratios, which mean more than raw milliseconds on a shared machine:
- queries(large) / queries(small) should be 1.0: query counts do not grow with content;
- time(large) / time(small) shows what indexes buy as the archive grows;
- uncached / cached shows what the anonymous page cache saves.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
os.environ.setdefault("CACHE_URL", "locmem://")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")


def setup_django():
    from newsroom import dbsetup

    if dbsetup.main() != 0:
        sys.exit(1)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def pages():
    from django.db.models import Count

    from articles.models import Article, Author, Section, Topic

    article = Article.objects.published().order_by("-published_at").first()
    author = Author.objects.filter(bylines__article=article).first()
    topic = Topic.objects.annotate(stories=Count("articles")).order_by("-stories").first()
    return {
        "front page": "/",
        "section": Section.objects.get(pk=article.section_id).get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": author.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "search": "/search/?q=water+commission",
        "search, every story": "/search/?q=budget",
    }


def measure(path: str, *, cached: bool, repeats: int) -> tuple[int, float]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 300 if cached else 0
    cache.clear()
    client = Client(HTTP_HOST="localhost")
    client.get(path)  # warm: templates compiled, connection open, cache filled
    # CaptureQueriesContext miscounts once the bounded query log is full.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - started)
    return len(queries), statistics.median(timings) * 1000


def seed(articles: int):
    from django.core.management import call_command

    call_command("seed_demo", articles=articles, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=60)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=20)
    options = parser.parse_args()

    setup_django()
    from articles.models import Article

    Article.objects.all().delete()
    seed(options.small)
    small = {
        name: measure(path, cached=False, repeats=options.repeats) for name, path in pages().items()
    }
    seed(options.articles)
    print(f"Articles: small {options.small}, large {Article.objects.count()}\n")
    header = f"{'page':<18}{'queries':>9}{'q large/small':>15}{'ms large':>10}"
    header += f"{'t large/small':>15}{'uncached/cached':>17}"
    print(header)
    for name, path in pages().items():
        queries, uncached_ms = measure(path, cached=False, repeats=options.repeats)
        _, cached_ms = measure(path, cached=True, repeats=options.repeats)
        small_queries, small_ms = small[name]
        print(
            f"{name:<18}{queries:>9}{queries / small_queries:>15.2f}{uncached_ms:>10.1f}"
            f"{uncached_ms / small_ms:>15.2f}{uncached_ms / cached_ms:>17.1f}"
        )


if __name__ == "__main__":
    main()
