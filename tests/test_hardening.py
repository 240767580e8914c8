"""What a hostile probe tried against the reading side, and what it gets now."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from newsroom.env import DEFAULT_DATABASE_URL
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory
from tests.xml_reader import sitemap_addresses, sitemaps_listed

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["news.example.org", "localhost"]
    return settings.SITE_URL


def test_a_forged_host_header_never_reaches_the_cached_canonical_link(site_url):
    article = ArticleFactory()

    poisoned = Client().get(article.get_absolute_url(), HTTP_HOST="localhost:6666")
    later_reader = Client().get(article.get_absolute_url(), HTTP_HOST="news.example.org")

    for response in (poisoned, later_reader):
        page = response.content.decode()
        assert f'rel="canonical" href="{site_url}{article.get_absolute_url()}"' in page
        assert "localhost:6666" not in page


def test_a_host_outside_allowed_hosts_is_refused_even_when_the_page_is_cached(site_url):
    article = ArticleFactory()
    assert Client().get(article.get_absolute_url(), HTTP_HOST="news.example.org").status_code == 200

    for address in (article.get_absolute_url(), "/", reverse("articles:feed")):
        Client().get(address, HTTP_HOST="news.example.org")
        refused = Client().get(address, HTTP_HOST="evil.example")

        assert refused.status_code == 400
        assert "X-Page-Cache" not in refused


def test_feeds_and_sitemaps_name_the_configured_site_whatever_the_host(site_url, time_machine):
    time_machine.move_to(PAST + timedelta(hours=1), tick=False)
    ArticleFactory(published_at=PAST)

    forged = {"HTTP_HOST": "localhost:6666"}
    feeds = [
        Client().get(reverse(name), **forged).content.decode()
        for name in ("articles:feed", "articles:feed-atom")
    ]
    sitemaps = sitemaps_listed(Client(), **forged)
    addresses = sitemap_addresses(Client(), **forged)
    news = Client().get(reverse("news-sitemap"), **forged).content.decode()
    robots = Client().get("/robots.txt", **forged).content.decode()

    for document in [*feeds, *sitemaps, *addresses, news, robots]:
        assert "6666" not in document
    for document in [*feeds, news]:
        assert "https://news.example.org/article/" in document
    assert all(sitemap.startswith("https://news.example.org/sitemap-") for sitemap in sitemaps)
    assert any(a.startswith("https://news.example.org/article/") for a in addresses)
    assert "Sitemap: https://news.example.org/sitemap.xml" in robots


def test_the_sitemap_keeps_an_embargoed_authors_page_out(time_machine):
    time_machine.move_to(PAST, tick=False)
    embargoed = AuthorFactory(slug="embargoed-writer")
    ArticleFactory(bylines=[embargoed], published_at=PAST + timedelta(hours=2))
    published = AuthorFactory(slug="published-writer")
    ArticleFactory(bylines=[published])

    sitemap = " ".join(sitemap_addresses(Client()))

    assert "/author/published-writer/" in sitemap
    assert "embargoed-writer" not in sitemap


@pytest.mark.parametrize(
    "address",
    [
        "/section/a%00b/",
        "/section/a%00b/feed/",
        "/author/a%00b/",
        "/article/1/a%00b/",
        "/image/1/full-320%00.jpeg",
    ],
)
def test_a_nul_byte_in_an_address_is_not_found_not_a_server_error(address):
    SectionFactory(slug="a")
    response = Client(raise_request_exception=False).get(address)

    assert response.status_code == 404


@pytest.mark.parametrize("month", ["99999999999-1", "2014-99999999999", "2014-13", "0-0"])
def test_the_image_list_month_filter_with_a_huge_number_shows_nothing(editor_client, month):
    response = editor_client.get(reverse("admin:articles_image_changelist"), {"month": month})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_urdu_section_addresses_still_work():
    section = SectionFactory(name="پاکستان", slug="پاکستان")
    ArticleFactory(section=section)

    assert Client().get(section.get_absolute_url()).status_code == 200


@pytest.fixture
def empty_database():
    """A database of its own, dropped afterwards, for a deployment from nothing."""
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    name = f"newsroom_fresh_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        password=config.get("PASSWORD") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    config_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
    yield config_url.rsplit("/", 1)[0] + "/" + name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db(transaction=False)
def test_migrate_alone_on_an_empty_database_gives_a_working_site(empty_database, tmp_path):
    """Django's usual deployment steps, collectstatic and migrate, and nothing of ours."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}},
        "DATABASE_URL": empty_database,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "news.example.org",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for step in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *step, "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    front_page = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.test import Client; "
            "r = Client().get('/', HTTP_HOST='news.example.org', secure=True); "
            "print(r.status_code)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert front_page.stdout.strip() == "200", front_page.stderr[-2000:]
    assert settings.CACHES  # the default database cache, whose table migrate made


def test_random_query_strings_share_one_cached_page_instead_of_flooding_the_cache():
    from django.core.cache import caches

    article = ArticleFactory()
    for number in range(50):
        Client().get(article.get_absolute_url(), {"utm_source": f"probe-{number}"})

    # The article's kept parts (articles/fragments.py) are one entry of their own, whatever
    # the address.
    page_entries = [
        key for key in caches["pages"]._cache if ":page:" in key and ":page:fragment:" not in key
    ]
    assert len(page_entries) == 1


def test_the_page_number_still_makes_a_different_cached_page():
    section = SectionFactory(slug="pakistan")
    ArticleFactory(section=section, headline="Oldest story", published_at=PAST - timedelta(1))
    ArticleFactory.create_batch(settings.ARTICLES_PER_PAGE, section=section, published_at=PAST)

    first = Client().get("/section/pakistan/", {"utm_source": "x"}).content.decode()
    second = Client().get("/section/pakistan/", {"page": "2", "utm": "y"}).content.decode()

    assert "Oldest story" not in first
    assert "Oldest story" in second
