"""Public pages over HTTP under load, as ratios to a constant "floor" view.

`make bench` runs it. Two databases: a small newsroom (1,000 articles, `newsroom_bench_small`)
and a large one (100,000 articles and 1,000,000 comments, `newsroom_bench_large`, built
once with bulk SQL and reused while its size matches). In both, the 40 newest stories
carry 100 visible comments each (50 conversations, 50 replies) and one story carries
1,000. For each database gunicorn runs as in production (one worker per core, DEBUG off,
whitenoise) twice, with the page cache and without, and wrk (Debian's package, installed
if missing) drives every page on loopback in interleaved rounds, so drift on a shared
machine cancels out. Then the news day: wrk reads the 40 busy stories at random while a
script posts 0, 1 or 5 comments a second through the public form, as a reader's browser
does (form stamp, same-origin headers, its own name, email and address). Prints Markdown
tables (`--output FILE` keeps them). `--quick` is a smoke run: a small database, short
rounds, no large database.
"""

import argparse
import itertools
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
HOT_ARTICLES = 40
HOT_ROOTS, HOT_REPLIES = 50, 50
BIG_THREAD = 1000
# The posting script waits this long between fetching a form's stamp and posting it.
MIN_SECONDS_TO_POST = 1
NEWS_DAY_RATES = (0, 1, 5)
POSTER_DOMAIN = "newsday.example"


def ensure_wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    print("Installing Debian's wrk", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database: str, page_cache_seconds: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
        # The posting script is a reader behind a proxy: each post names its own address
        # in X-Forwarded-For, so the per-address limits count readers, not the script.
        "COMMENTS_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "COMMENTS_TRUSTED_PROXY_HOPS": "1",
        "COMMENTS_MIN_SECONDS_TO_POST": str(MIN_SECONDS_TO_POST),
    }


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def psql(database: str, sql: str, *, fetch: bool = False) -> str:
    done = subprocess.run(
        ["psql", f"{SERVER}/{database}", "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"SQL failed on {database}: {done.stderr.strip()}\n{sql[:300]}")
    return done.stdout.strip() if fetch else ""


def progress(label: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    elapsed = time.monotonic() - started
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r  {label:<22} [{bar}] {done:>9,}/{total:,}  {elapsed:5.0f} s", end=end, flush=True)


def build(database: str, *, articles: int, comments: int) -> None:
    """Make the database, or reuse it when it already holds this many articles and comments."""
    env = {**server_environment(database, 300)}
    # Renditions are made on first request, not while seeding: pages only point at them.
    env["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    subprocess.run([PYTHON, "-m", "newsroom.dbsetup"], cwd=ROOT, env=env, check=True)
    manage("migrate", "--noinput", "-v", "0", env=env)
    wanted = f"{articles} {comments}"
    built = ""
    if psql(database, "SELECT to_regclass('bench_dataset') IS NOT NULL", fetch=True) == "t":
        built = psql(database, "SELECT articles || ' ' || comments FROM bench_dataset", fetch=True)
    if built == wanted:
        print(f"Reusing {database} ({articles:,} articles, {comments:,} comments)")
        manage("collectstatic", "--noinput", "-v", "0", env=env)
        make_renditions(env)
        tag_and_index(env)
        return
    started = time.monotonic()
    print(f"Building {database}: {articles:,} articles, {comments:,} comments")
    psql(
        database,
        "DROP TABLE IF EXISTS bench_dataset; "
        "TRUNCATE comments_commentreopening, comments_comment, articles_byline, "
        "articles_articlerevision, articles_correction, articles_article CASCADE",
    )
    seeded = min(articles, 1000)
    manage("seed_demo", "--articles", str(seeded), env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    make_renditions(env)
    copy_articles(database, seeded=seeded, total=articles)
    tag_and_index(env)
    add_comments(database, total=comments)
    psql(database, "ANALYZE")
    psql(
        database,
        "CREATE TABLE bench_dataset (articles integer, comments integer); "
        f"INSERT INTO bench_dataset VALUES ({articles}, {comments})",
    )
    print(f"  built in {time.monotonic() - started:.0f} s")


def make_renditions(env) -> None:
    """Make the photos' renditions as the task worker would: pages then link to the files."""
    manage(
        "shell",
        "-c",
        "from articles.models import Image\n"
        "from articles.rendition_store import ensure_renditions\n"
        "for pk in Image.objects.values_list('pk', flat=True): ensure_renditions(pk)",
        env=env,
    )


def tag_and_index(env) -> None:
    """Tag the copied stories with the demo's topics and give each its search text, as
    saving them through the admin would have (bulk SQL skips both). Quick when done."""
    manage(
        "shell",
        "-c",
        "from demo import content\ncontent.seed_topics()",
        env=env,
    )


def copy_articles(database: str, *, seeded: int, total: int) -> None:
    """Add published stories beyond seed_demo's by copying its own, further back in time."""
    started, chunk = time.monotonic(), 10_000
    for first in range(0, total - seeded, chunk):
        last = min(first + chunk, total - seeded)
        psql(
            database,
            f"""
            WITH source AS (
                SELECT row_number() OVER (ORDER BY id) - 1 AS n, *
                FROM articles_article WHERE status = 'published' AND published_at < now()
                AND slug NOT LIKE '%-copy-%'
            ), counted AS (SELECT count(*) AS total FROM source),
            made AS (
                INSERT INTO articles_article (
                    headline, slug, standfirst, body, status, published_at, created_at,
                    updated_at, comments_open, comments_premoderated, comment_count,
                    lead_image_id, section_id, is_front_page_lead, version)
                SELECT s.headline, s.slug || '-copy-' || g, s.standfirst, s.body, 'published',
                    now() - make_interval(hours => 7 * {seeded} + 2 * g),
                    now() - make_interval(hours => 7 * {seeded} + 2 * g),
                    now() - make_interval(hours => 7 * {seeded} + 2 * g),
                    true, false, 0, s.lead_image_id, s.section_id, false, 1
                FROM generate_series({first + 1}, {last}) AS g, counted
                JOIN source s ON true
                WHERE s.n = g % counted.total
                RETURNING id
            )
            INSERT INTO articles_byline (role, position, article_id, author_id)
            SELECT '', 0, made.id, authors.ids[1 + made.id % array_length(authors.ids, 1)]
            FROM made, (SELECT array_agg(id ORDER BY id) AS ids FROM articles_author) authors
            """,
        )
        progress("articles", seeded + last, total, started)


def add_comments(database: str, *, total: int) -> None:
    """Busy threads under the newest stories, one very long one, the rest spread thinly."""
    started = time.monotonic()
    body = (
        "' Thanks for reporting this. ' || repeat('I read it twice and still have questions "
        "about who pays for it. ', 1 + g % 3) || 'Comment ' || g"
    )
    columns = (
        "name, email, body, ip_hash, status, review_reason, is_featured, posted_at, "
        "article_id, in_reply_to_id, parent_id, hidden_reason"
    )
    hot = (
        "SELECT id, published_at, row_number() OVER (ORDER BY published_at DESC, id) AS rank "
        "FROM articles_article WHERE status = 'published' AND published_at < now() "
        f"ORDER BY published_at DESC, id LIMIT {HOT_ARTICLES + 1}"
    )
    # Conversations under the 40 busy stories and the long thread under the 41st.
    psql(
        database,
        f"""
        INSERT INTO comments_comment ({columns})
        SELECT 'Reader ' || g, 'reader' || g || '@example.com', {body}, '', 'published', '',
            false, LEAST(now(), a.published_at + make_interval(secs => 20 * g)), a.id,
            NULL, NULL, ''
        FROM ({hot}) a,
            generate_series(1, CASE WHEN a.rank <= {HOT_ARTICLES} THEN {HOT_ROOTS}
                                    ELSE {BIG_THREAD} END) AS g
        """,
    )
    psql(
        database,
        f"""
        INSERT INTO comments_comment ({columns})
        SELECT 'Replier ' || r.rn, 'replier' || r.rn || '@example.com', 'I agree with ' ||
            r.name || ', and the council should say so.', '', 'published', '', false,
            LEAST(now(), r.posted_at + interval '5 minutes'), r.article_id, r.id, r.id, ''
        FROM (
            SELECT c.*, row_number() OVER (PARTITION BY c.article_id ORDER BY c.id) AS rn
            FROM comments_comment c JOIN ({hot}) a ON a.id = c.article_id
            WHERE a.rank <= {HOT_ARTICLES}
        ) r
        WHERE r.rn <= {HOT_REPLIES}
        """,
    )
    placed = HOT_ARTICLES * (HOT_ROOTS + HOT_REPLIES) + BIG_THREAD
    progress("comments", placed, total, started)
    chunk = 100_000
    for first in range(placed, total, chunk):
        last = min(first + chunk, total)
        psql(
            database,
            f"""
            WITH quiet AS (
                SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, published_at
                FROM articles_article WHERE status = 'published' AND published_at < now()
                AND id NOT IN (SELECT id FROM ({hot}) h)
            ), counted AS (SELECT count(*) AS total FROM quiet)
            INSERT INTO comments_comment ({columns})
            SELECT 'Reader ' || g, 'reader' || g || '@example.com', {body}, '', 'published', '',
                false, LEAST(now(), q.published_at + make_interval(secs => 60 * (g % 500))),
                q.id, NULL, NULL, ''
            FROM generate_series({first + 1}, {last}) AS g, counted
            JOIN quiet q ON true
            WHERE q.n = (g::bigint * 7919) % counted.total
            """,
        )
        progress("comments", last, total, started)
    recount(database)


def recount(database: str) -> None:
    psql(
        database,
        "UPDATE articles_article a SET comment_count = COALESCE(c.total, 0) "
        "FROM articles_article b LEFT JOIN (SELECT article_id, count(*) AS total "
        "FROM comments_comment WHERE status = 'published' GROUP BY article_id) c "
        "ON c.article_id = b.id WHERE a.id = b.id AND a.comment_count <> COALESCE(c.total, 0)",
    )


def freshen(database: str) -> None:
    """Move a reused database's stories and comments forward in time to today.

    The busy stories must still be open for comments (COMMENTS_CLOSE_AFTER_DAYS) however
    long ago the database was built.
    """
    psql(
        database,
        "CREATE TEMP TABLE shift AS SELECT now() - interval '1 hour' - max(published_at) AS by "
        "FROM articles_article WHERE status = 'published' AND published_at < now(); "
        "UPDATE articles_article SET published_at = published_at + (SELECT by FROM shift), "
        "created_at = created_at + (SELECT by FROM shift), "
        "updated_at = updated_at + (SELECT by FROM shift) "
        "WHERE published_at IS NOT NULL AND (SELECT by FROM shift) > interval '1 hour'; "
        "UPDATE comments_comment SET posted_at = posted_at + (SELECT by FROM shift) "
        "WHERE (SELECT by FROM shift) > interval '1 hour'",
    )


def forget_news_day(database: str) -> None:
    """Take back the comments an earlier news day posted, so every run reads the same threads."""
    psql(
        database,
        "TRUNCATE newsroom_page_cache, newsroom_cache; "
        f"DELETE FROM comments_moderationaction WHERE comment_id IN (SELECT id FROM "
        f"comments_comment WHERE email LIKE '%@{POSTER_DOMAIN}'); "
        f"DELETE FROM comments_comment WHERE email LIKE '%@{POSTER_DOMAIN}'",
    )
    recount(database)


def start_server(database: str, page_cache_seconds: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(os.cpu_count() or 1),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_environment(database, page_cache_seconds),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/__floor__/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer on {base}")


def pages(database: str) -> dict[str, str]:
    """The pages measured, found in the database so small and large compare like for like."""
    rows = psql(
        database,
        f"""
        SELECT 'article, 100 comments', a.id || '/' || a.slug FROM articles_article a
        WHERE a.status = 'published' AND a.published_at < now()
        ORDER BY a.published_at DESC, a.id LIMIT 1;
        SELECT 'article, 1,000 comments', a.id || '/' || a.slug FROM articles_article a
        WHERE a.status = 'published' AND a.published_at < now()
        ORDER BY a.published_at DESC, a.id OFFSET {HOT_ARTICLES} LIMIT 1;
        SELECT 'section', s.slug FROM articles_section s ORDER BY s.position, s.id LIMIT 1;
        SELECT 'author', u.slug FROM articles_author u
        JOIN articles_byline b ON b.author_id = u.id
        GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1;
        SELECT 'topic', t.slug FROM articles_topic t
        JOIN articles_article_topics l ON l.topic_id = t.id
        GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1;
        """,
        fetch=True,
    )
    found = {
        name: urllib.parse.quote(value)
        for name, value in (line.split("|", 1) for line in rows.splitlines())
    }
    measured = {
        "front page": "/",
        "section": f"/section/{found['section']}/",
        "section, page 5": f"/section/{found['section']}/?page=5",
        "author": f"/author/{found['author']}/",
        "article, 100 comments": f"/article/{found['article, 100 comments']}/",
        "article, 1,000 comments": f"/article/{found['article, 1,000 comments']}/",
        "topic": f"/topic/{found['topic']}/",
        # Never page-cached: each is the work of a search. Two words in one story in twelve;
        # a word in every story's body (the worst case for ranking); the same, newest first.
        "search": "/search/?q=water+commission",
        "search, every story": "/search/?q=budget",
        "search, newest first": "/search/?q=budget&sort=newest",
    }
    return measured


def answering(base: str, paths: dict[str, str]) -> dict[str, str]:
    """The pages that exist here (a small database has fewer pages of a section)."""
    found = {}
    for name, path in paths.items():
        try:
            urllib.request.urlopen(base + path, timeout=30)
            found[name] = path
        except urllib.error.HTTPError:
            print(f"  skipped {name}: {path} does not answer 200", file=sys.stderr)
    return found


def hot_articles(database: str) -> list[tuple[int, str]]:
    rows = psql(
        database,
        "SELECT id, slug FROM articles_article WHERE status = 'published' "
        f"AND published_at < now() ORDER BY published_at DESC, id LIMIT {HOT_ARTICLES}",
        fetch=True,
    )
    # Urdu stories have Urdu slugs: the addresses go out percent-encoded, as browsers send them.
    return [
        (int(pk), urllib.parse.quote(slug))
        for pk, slug in (line.split("|") for line in rows.splitlines())
    ]


def wrk(wrk_path: str, url: str, seconds: int, *, script: str | None = None) -> tuple:
    command = [wrk_path, "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))

    def percentile(name):
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rate, percentile("50"), percentile("99"), errors


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Poster:
    """Post comments at a steady rate as readers' browsers do, and count what happened."""

    def __init__(self, base: str, articles: list[tuple[int, str]], rate: float):
        self.base, self.articles, self.rate = base, articles, rate
        self.outcomes: dict[str, int] = {}
        self._stop = threading.Event()
        self._numbers = itertools.count(int(time.time() * 1000) % 10**9)
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(NoRedirect)

    def _count(self, outcome: str) -> None:
        with self._lock:
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def post_one(self) -> None:
        number = next(self._numbers)
        pk, slug = random.choice(self.articles)
        article_url = f"{self.base}/article/{pk}/{slug}/"
        try:
            token_url = f"{self.base}/comments/article/{pk}/form-token/"
            stamp = json.load(urllib.request.urlopen(token_url, timeout=10))["rendered_at"]
            # A reader takes at least this long; the form refuses anything quicker.
            time.sleep(MIN_SECONDS_TO_POST + 0.1)
            form = urllib.parse.urlencode(
                {
                    "name": f"Reader {number}",
                    "email": f"reader{number}@{POSTER_DOMAIN}",
                    "body": f"Comment {number}: the council owes us a straight answer on this.",
                    "website": "",
                    "in_reply_to": "",
                    "rendered_at": stamp,
                }
            ).encode()
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            request = urllib.request.Request(
                f"{self.base}/comments/article/{pk}/post/",
                data=form,
                headers={
                    "Origin": self.base,
                    "Referer": article_url,
                    "Sec-Fetch-Site": "same-origin",
                    "X-Forwarded-For": address,
                },
            )
            try:
                status = self._opener.open(request, timeout=10).status
            except urllib.error.HTTPError as answer:
                status = answer.code
            self._count("posted" if status == 302 else f"refused {status}")
        except OSError as error:
            self._count(f"error {type(error).__name__}")

    def run(self) -> None:
        if not self.rate:
            return
        with ThreadPoolExecutor(max_workers=32) as pool:
            started, sent = time.monotonic(), 0
            while not self._stop.is_set():
                due = started + sent / self.rate
                if (wait := due - time.monotonic()) > 0:
                    self._stop.wait(wait)
                    continue
                pool.submit(self.post_one)
                sent += 1

    def stop(self) -> None:
        self._stop.set()


def news_day(wrk_path, base, articles, rate, seconds) -> tuple[tuple, dict]:
    """Read the busy stories at random while comments arrive at `rate` a second."""
    paths = [f"/article/{pk}/{slug}/" for pk, slug in articles]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            "local paths = {" + ",".join(f'"{path}"' for path in paths) + "}\n"
            "request = function()\n"
            '  return wrk.format("GET", paths[math.random(#paths)])\n'
            "end\n"
        )
    poster = Poster(base, articles, rate)
    thread = threading.Thread(target=poster.run)
    thread.start()
    try:
        # The first posts arrive once their readers have waited; measure from then on.
        time.sleep(MIN_SECONDS_TO_POST + 0.2 if rate else 0)
        result = wrk(wrk_path, base + "/", seconds, script=script.name)
    finally:
        poster.stop()
        thread.join()
        os.unlink(script.name)
    return result, poster.outcomes


def summarize(runs: list) -> tuple[float, float, float, int]:
    rate = sum(run[0] for run in runs) / len(runs)
    p50 = sorted(run[1] for run in runs)[len(runs) // 2]
    p99 = max(run[2] for run in runs)
    return rate, p50, p99, sum(run[3] for run in runs)


def report(options, databases, results, news, outcomes, started) -> str:
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/pages_http.py` "
        f"({'--quick' if options.quick else 'full run'}): {os.cpu_count()} cores, "
        f"{os.cpu_count()} gunicorn workers, wrk -t2 -c16 on loopback, {options.rounds} "
        f"interleaved rounds of {options.seconds} s per page, Python "
        f"{platform.python_version()}. The machine was shared with other jobs (load "
        f"average {load} at the end): compare ratios, not raw numbers.",
        "",
    ]
    for label, database, _, _ in databases:
        lines += [
            f"### {label} database ({database})",
            "",
            "| page | cache | req/s | p50 ms | p99 ms | ratio to floor | errors |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for mode in ("cached", "cold"):
            floor_rate = summarize(results[(label, mode, "floor")])[0]
            for (db, run_mode, name), runs in results.items():
                if db != label or run_mode != mode:
                    continue
                rate, p50, p99, errors = summarize(runs)
                lines.append(
                    f"| {name} | {mode} | {rate:.0f} | {p50:.1f} | {p99:.1f} "
                    f"| {rate / floor_rate:.3f} | {errors} |"
                )
        lines.append("")
    if len(databases) > 1:
        small, large = databases[0][0], databases[1][0]
        lines += [
            f"### {large} vs {small}: time per request, large / small (1.0 = flat)",
            "",
            "| page | cached | cold |",
            "|---|---:|---:|",
        ]
        for name in [key[2] for key in results if key[0] == small and key[1] == "cold"]:
            ratios = []
            for mode in ("cached", "cold"):
                ratio = (
                    summarize(results[(small, mode, name)])[0]
                    / summarize(results[(large, mode, name)])[0]
                )
                ratios.append(f"{ratio:.2f}")
            lines.append(f"| {name} | {' | '.join(ratios)} |")
        lines.append("")
    if news:
        label, database = news["where"]
        lines += [
            f"### News day ({label} database, page cache on): the 40 busy stories read at "
            "random while comments arrive through the public form",
            "",
            "| comments a second | req/s | p50 ms | p99 ms | throughput vs quiet | "
            "p50 vs quiet | read errors | posts |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        quiet = summarize(news[0])
        for rate in NEWS_DAY_RATES:
            if rate not in news:
                continue
            summary = summarize(news[rate])
            posts = ", ".join(f"{n} {what}" for what, n in sorted(outcomes.get(rate, {}).items()))
            lines.append(
                f"| {rate} | {summary[0]:.0f} | {summary[1]:.1f} | {summary[2]:.1f} "
                f"| {summary[0] / quiet[0]:.2f} | {summary[1] / quiet[1]:.2f} "
                f"| {summary[3]} | {posts or '-'} |"
            )
        lines.append("")
    lines.append(f"Whole run: {(time.monotonic() - started) / 60:.1f} minutes.")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, under 2 minutes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per page and round")
    parser.add_argument("--news-seconds", type=int, default=10, help="per news-day round")
    parser.add_argument("--no-large", action="store_true", help="skip the large database")
    parser.add_argument("--large-articles", type=int, default=100_000)
    parser.add_argument("--large-comments", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    options = parser.parse_args()
    started = time.monotonic()
    # (label, database, articles, comments)
    databases = [("small", "newsroom_bench_small", 1000, 10_000)]
    if options.quick:
        databases = [("small", "newsroom_bench_quick", 60, HOT_ARTICLES * 100 + BIG_THREAD)]
        options.rounds, options.seconds, options.news_seconds = 1, 2, 3
    elif not options.no_large:
        databases.append(
            ("large", "newsroom_bench_large", options.large_articles, options.large_comments)
        )
    wrk_path = ensure_wrk()
    for _, database, articles, comments in databases:
        build(database, articles=articles, comments=comments)
        freshen(database)
        forget_news_day(database)

    servers, results = {}, {}
    try:
        for label, database, _, _ in databases:
            for mode, seconds in (("cached", 300), ("cold", 0)):
                servers[(label, mode)] = start_server(database, seconds)
        paths = {
            label: answering(servers[(label, "cold")][1], pages(database))
            for label, database, _, _ in databases
        }
        for number in range(options.rounds):
            print(f"Round {number + 1} of {options.rounds}", flush=True)
            for (label, mode), (_, base) in servers.items():
                for name, path in [("floor", "/__floor__/"), *paths[label].items()]:
                    results.setdefault((label, mode, name), []).append(
                        wrk(wrk_path, base + path, options.seconds)
                    )
        # A news day on the biggest site, with the page cache as in production.
        label, database, _, _ = databases[-1]
        base = servers[(label, "cached")][1]
        articles = hot_articles(database)
        for pk, slug in articles:  # The site has been up all morning: its pages are cached.
            urllib.request.urlopen(f"{base}/article/{pk}/{slug}/", timeout=30).read()
        news, outcomes = {"where": (label, database)}, {}
        rates = NEWS_DAY_RATES if not options.quick else (0, 5)
        for number in range(options.rounds):
            print(f"News day, round {number + 1} of {options.rounds}", flush=True)
            for rate in rates:
                result, posted = news_day(wrk_path, base, articles, rate, options.news_seconds)
                news.setdefault(rate, []).append(result)
                for what, count in posted.items():
                    outcomes.setdefault(rate, {}).setdefault(what, 0)
                    outcomes[rate][what] += count
        forget_news_day(database)
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
        for process, _ in servers.values():
            process.wait(timeout=30)

    text = report(options, databases, results, news, outcomes, started)
    print("\n" + text)
    if options.output:
        options.output.write_text(text)


if __name__ == "__main__":
    main()
