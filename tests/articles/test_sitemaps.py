"""The sitemap index, its sitemaps, the Google News sitemap and robots.txt, read as a
crawler reads them."""

from datetime import timedelta

import pytest
from django.test import Client
from protego import Protego

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory
from tests.xml_reader import NS, local, parse, sitemap_addresses, sitemaps_listed

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
NOW = PAST + timedelta(days=3)


@pytest.fixture(autouse=True)
def site(settings, time_machine):
    settings.SITE_URL, settings.SITE_NAME = SITE, "Daily Example"
    time_machine.move_to(NOW, tick=False)


def test_the_index_leads_to_articles_sections_authors_and_topics():
    sport = SectionFactory(slug="sport")
    writer = AuthorFactory(slug="amna")
    article = ArticleFactory(section=sport, bylines=[writer])
    article.topics.create(name="Cricket", slug="cricket")

    assert sitemaps_listed(Client()) == [
        SITE + "/sitemap-articles.xml",
        SITE + "/sitemap-sections.xml",
        SITE + "/sitemap-authors.xml",
        SITE + "/sitemap-topics.xml",
    ]
    addresses = sitemap_addresses(Client())
    assert SITE + article.get_absolute_url() in addresses
    assert SITE + "/section/sport/" in addresses
    assert SITE + "/author/amna/" in addresses
    assert SITE + "/topic/cricket/" in addresses


def test_a_large_archive_is_listed_in_blocks_each_its_own_page(monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = ArticleFactory.create_batch(5)

    listed = sitemaps_listed(Client())
    blocks = [s for s in listed if "sitemap-articles" in s]
    pages = [parse(Client().get(local(block))) for block in blocks]

    assert blocks == [
        SITE + "/sitemap-articles.xml",
        SITE + "/sitemap-articles.xml?p=2",
        SITE + "/sitemap-articles.xml?p=3",
    ]
    # Each block is cached apart: the second is not the first served again.
    found = [loc.text for page in pages for loc in page.findall("sitemap:url/sitemap:loc", NS)]
    assert sorted(found) == sorted(SITE + a.get_absolute_url() for a in articles)
    assert Client().get("/sitemap-articles.xml?p=9").status_code == 404


def test_only_authors_with_a_published_story_are_listed():
    ArticleFactory(bylines=[AuthorFactory(slug="published")])
    ArticleFactory(bylines=[AuthorFactory(slug="scheduled")], published_at=NOW + timedelta(hours=1))
    AuthorFactory(slug="no-stories")

    addresses = sitemap_addresses(Client())

    assert SITE + "/author/published/" in addresses
    assert not [a for a in addresses if "scheduled" in a or "no-stories" in a]


def news(client=None) -> list[dict]:
    urlset = parse((client or Client()).get("/news-sitemap.xml"))
    return [
        {
            "loc": url.findtext("sitemap:loc", namespaces=NS),
            "name": url.findtext("news:news/news:publication/news:name", namespaces=NS),
            "language": url.findtext("news:news/news:publication/news:language", namespaces=NS),
            "date": url.findtext("news:news/news:publication_date", namespaces=NS),
            "title": url.findtext("news:news/news:title", namespaces=NS),
        }
        for url in urlset.findall("sitemap:url", NS)
    ]


def test_the_news_sitemap_lists_the_last_two_days_with_name_language_and_title():
    hostile = 'Floods & "rescues" <script>alert(1)</script>'
    fresh = ArticleFactory(headline=hostile, published_at=NOW - timedelta(hours=1))
    older = ArticleFactory(headline="Yesterday", published_at=NOW - timedelta(hours=47))
    ArticleFactory(headline="Three days ago", published_at=NOW - timedelta(hours=49))

    listed = news()

    assert [entry["title"] for entry in listed] == [hostile, "Yesterday"]
    assert listed[0] == {
        "loc": SITE + fresh.get_absolute_url(),
        "name": "Daily Example",
        "language": "en",
        "date": listed[0]["date"],
        "title": hostile,
    }
    assert listed[1]["loc"] == SITE + older.get_absolute_url()
    assert listed[0]["date"].startswith("2014-11-23T")  # NOW - 1 h, in the site's time zone


def test_no_sitemap_lists_a_story_that_is_not_out():
    ArticleFactory(headline="Out now", published_at=NOW - timedelta(hours=1))
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(published_at=NOW + timedelta(hours=1)),
        ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=NOW - timedelta(hours=2)),
        ArticleFactory(status=Article.Status.REVIEW, published_at=None),
    ]

    everywhere = " ".join(sitemap_addresses(Client())) + " ".join(entry["loc"] for entry in news())

    assert [entry["title"] for entry in news()] == ["Out now"]
    for article in hidden:
        assert article.get_absolute_url() not in everywhere


def test_robots_txt_points_crawlers_at_the_sitemaps():
    response = Client().get("/robots.txt", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines


def test_robots_txt_lets_crawlers_read_stories_and_searches_for_words_alone():
    story = ArticleFactory()
    rules = Protego.parse(Client().get("/robots.txt", HTTP_HOST="localhost").content.decode())

    def may_fetch(address):
        return rules.can_fetch(f"{SITE}{address}", "Googlebot")

    for address in ["/", story.get_absolute_url(), story.section.get_absolute_url()]:
        assert may_fetch(address)
    assert may_fetch("/search/?q=heatwave")
    assert may_fetch("/search/?q=heatwave&lang=ur")
    # Later pages, filters and orders multiply without end; so does the form's own address.
    for address in [
        "/search/?q=heatwave&page=2",
        "/search/?q=heatwave&section=pakistan",
        "/search/?since=2014-11-01&q=heatwave",
        "/search/?q=heatwave&until=2014-11-30",
        "/search/?q=heatwave&sort=newest",
        "/search/?lang=en&q=heatwave&section=&sort=&since=&until=",
        "/admin/",
        "/preview/",
        "/comments/",
    ]:
        assert not may_fetch(address), address
