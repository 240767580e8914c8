"""Every list the site shows is read through an index, however large the archive grows.

The pages are requested against a seeded database (tens of thousands of stories, bylines
and comments, with planner statistics), every SELECT they run is EXPLAINed, and a
sequential scan of a large table fails the test.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Topic
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

LARGE_TABLES = {
    "articles_article",
    "articles_byline",
    "articles_article_topics",
    "comments_comment",
}
ARTICLES = 30_000
COMMENTS = 60_000


def seed_many(sections, author, busy_article, topic):
    """Bulk rows in SQL: the planner needs real sizes, factories would take minutes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO articles_article (headline, slug, standfirst, body, status, published_at,
                created_at, updated_at, comments_open, comments_premoderated, comment_count,
                section_id, is_front_page_lead, version, search_vector)
            SELECT 'Story ' || n, 'story-' || n, '', '<p>Body</p>',
                CASE WHEN n %% 10 = 0 THEN 'draft' ELSE 'published' END,
                %s - make_interval(mins => n), %s, %s, true, false, 0,
                (%s::bigint[])[1 + n %% %s], n %% 5000 = 0, 1,
                -- One story in fifty is about floods: a word search finds a few of many.
                to_tsvector('english', 'Story ' || n || CASE WHEN n %% 50 = 0 THEN ' flood'
                    ELSE '' END)
            FROM generate_series(1, %s) AS n
            """,
            [PAST, PAST, PAST, [s.pk for s in sections], len(sections), ARTICLES],
        )
        cursor.execute(
            "INSERT INTO articles_byline (article_id, author_id, role, position) "
            "SELECT id, %s, '', 0 FROM articles_article WHERE id %% 7 = 0 "
            # The factory-made articles may carry this byline already.
            "ON CONFLICT DO NOTHING",
            [author.pk],
        )
        cursor.execute(
            "INSERT INTO articles_article_topics (article_id, topic_id) "
            "SELECT id, %s FROM articles_article WHERE id %% 3 = 0 ON CONFLICT DO NOTHING",
            [topic.pk],
        )
        cursor.execute(
            "SELECT id FROM articles_article WHERE status = 'published' ORDER BY id LIMIT 5000"
        )
        commented = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            INSERT INTO comments_comment (name, email, body, ip_hash, status, review_reason,
                is_featured, posted_at, article_id, hidden_reason)
            SELECT 'Reader', 'r' || n || '@example.org', 'A comment', '',
                CASE WHEN n %% 20 = 0 THEN 'hidden' ELSE 'published' END, '', false,
                %s + make_interval(secs => n), (%s::bigint[])[1 + n %% %s], ''
            FROM generate_series(1, %s) AS n
            """,
            [PAST, commented, len(commented), COMMENTS],
        )
        cursor.execute(
            "INSERT INTO comments_comment (name, email, body, ip_hash, status, review_reason, "
            "is_featured, posted_at, article_id, hidden_reason) "
            "SELECT 'Reader', 'busy@example.org', 'On the busy story', '', 'published', '', "
            "false, %s + make_interval(secs => n), %s, '' FROM generate_series(1, 1000) AS n",
            [PAST, busy_article.pk],
        )
        cursor.execute("ANALYZE")


def sequential_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return [
        line.strip()
        for line in plan.splitlines()
        if any(f"Seq Scan on {table} " in line for table in LARGE_TABLES)
    ]


def test_every_public_list_is_served_by_an_index(settings):
    settings.PAGE_CACHE_SECONDS = 0
    sections = [SectionFactory() for _ in range(8)]
    author = AuthorFactory()
    busy = ArticleFactory(
        section=sections[0], bylines=[author], published_at=PAST, headline="Story of the flood"
    )
    topic = Topic.objects.create(name="Floods")
    busy.topics.add(topic)
    seed_many(sections, author, busy, topic)
    middle = Article.objects.published().order_by("-published_at")[ARTICLES // 3]
    pages = [
        "/",
        sections[1].get_absolute_url(),
        sections[1].get_absolute_url() + "?page=50",
        author.get_absolute_url(),
        author.get_absolute_url() + "?page=20",
        busy.get_absolute_url(),
        busy.get_absolute_url() + "?comments_page=3",
        middle.get_absolute_url(),
        "/feed/",
        sections[2].get_absolute_url() + "feed/",
        author.get_absolute_url() + "feed/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml?p=3",
        "/sitemap-authors.xml",
        "/news-sitemap.xml",
        topic.get_absolute_url(),
        topic.get_absolute_url() + "?page=30",
        topic.get_absolute_url() + "feed/",
        topic.get_absolute_url() + "feed/atom/",
        "/search/?q=flood",
        "/search/?q=flood&page=5",
        f"/search/?q=flood&section={sections[3].slug}&since=2014-11-01&until=2014-11-20",
        "/search/?q=story&sort=newest",
        "/search/?q=story+12345",
    ]

    # The sitemap index must say how many blocks of 5,000 stories there are, so it counts
    # the published ones (cached until the next story is published); nothing else may scan.
    counted = {"/sitemap.xml", "/sitemap-articles.xml?p=3"}
    offenders = {}
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200, url
        for query in queries:
            if url in counted and query["sql"].startswith('SELECT COUNT(*) AS "__count"'):
                continue
            if query["sql"].lstrip().upper().startswith("SELECT"):
                if scans := sequential_scans(query["sql"]):
                    offenders.setdefault(url, []).append((scans, query["sql"][:300]))

    assert not offenders, offenders
