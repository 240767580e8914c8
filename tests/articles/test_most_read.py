"""Readers' visits counted without cookies, written in batches, and shown as "Most read"."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from articles import readership
from articles.models import Article, DailyReadCount
from articles.services import article_unpublish
from tests.factories import PAST, ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = PAST + timedelta(days=3)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


@pytest.fixture(autouse=True)
def clean_tally(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.TIME_ZONE = "UTC"
    readership.tally.clear()
    yield
    readership.tally.clear()


@pytest.fixture
def flush_every_read(settings):
    settings.READS_FLUSH_SECONDS = 0


def beacon(article_id, *, address="203.0.113.7", agent=BROWSER, **headers):
    return Client(REMOTE_ADDR=address).post(
        reverse("articles:article-read", args=[article_id]),
        headers={"User-Agent": agent, "Sec-Fetch-Site": "same-origin", **headers},
    )


def reads_of(article) -> int:
    return sum(DailyReadCount.objects.filter(article=article).values_list("reads", flat=True))


def most_read_list(page: str) -> str:
    return page.split('id="most-read"')[1].split("</aside>")[0]


# Counting


def test_a_readers_visit_is_counted_once_the_worker_writes_its_tally(flush_every_read):
    article = ArticleFactory()

    response = beacon(article.pk)

    assert response.status_code == 204 and not response.cookies
    assert reads_of(article) == 1
    assert DailyReadCount.objects.get(article=article).day == NOW.date()


def test_reads_wait_in_memory_until_the_flush_interval_then_go_in_one_batch(settings):
    settings.READS_FLUSH_SECONDS = 3600
    first, second = ArticleFactory(), ArticleFactory()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        beacon(first.pk, address=address)
    beacon(second.pk)
    assert DailyReadCount.objects.count() == 0

    assert readership.reads_flush() == 2

    assert (reads_of(first), reads_of(second)) == (3, 1)


def test_counts_add_up_across_flushes_and_days(flush_every_read, time_machine):
    article = ArticleFactory()
    beacon(article.pk, address="198.51.100.1")
    beacon(article.pk, address="198.51.100.2")
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    beacon(article.pk, address="198.51.100.1")

    days = dict(DailyReadCount.objects.filter(article=article).values_list("day", "reads"))
    assert days == {NOW.date(): 2, NOW.date() + timedelta(days=1): 1}


def test_one_address_counts_once_per_article_per_day(flush_every_read):
    article = ArticleFactory()

    for _ in range(50):
        beacon(article.pk)

    assert reads_of(article) == 1


def test_one_address_counts_for_a_limited_number_of_articles_a_day(settings, flush_every_read):
    settings.READS_MAX_ARTICLES_PER_ADDRESS = 3
    articles = ArticleFactory.create_batch(5)

    for article in articles:
        beacon(article.pk)

    assert [reads_of(a) for a in articles] == [1, 1, 1, 0, 0]


@pytest.mark.parametrize(
    ("agent", "headers"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0", {}),
        ("python-requests/2.32", {}),
        ("", {}),
        (BROWSER, {"Sec-Fetch-Site": "cross-site"}),
    ],
    ids=["crawler", "headless", "script", "no-agent", "another-site"],
)
def test_robots_scripts_and_other_sites_are_not_counted(agent, headers, flush_every_read):
    article = ArticleFactory()

    response = beacon(article.pk, agent=agent, **headers)

    assert response.status_code == 204  # the same answer: a flood learns nothing
    assert reads_of(article) == 0


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(hours=1)},
        {"status": Article.Status.UNPUBLISHED, "published_at": PAST},
    ],
    ids=["draft", "scheduled", "unpublished"],
)
def test_reads_of_an_article_readers_cannot_see_are_dropped(state, flush_every_read):
    hidden = ArticleFactory(**state)

    beacon(hidden.pk)
    beacon(10**12)  # no such article

    assert DailyReadCount.objects.count() == 0


def test_the_beacon_only_accepts_posts():
    article = ArticleFactory()

    assert Client().get(reverse("articles:article-read", args=[article.pk])).status_code == 405


def test_a_beacon_costs_no_query_and_a_flush_two_however_many_articles(
    settings, django_assert_max_num_queries
):
    settings.READS_FLUSH_SECONDS = 3600
    articles = ArticleFactory.create_batch(30)

    with django_assert_max_num_queries(0):
        for n, article in enumerate(articles):
            beacon(article.pk, address=f"198.51.100.{n}")
    # The published check, then one upsert (with its savepoint's release).
    with django_assert_max_num_queries(4):
        readership.reads_flush()

    assert DailyReadCount.objects.count() == 30


def test_a_flood_of_addresses_fills_the_tally_to_a_bound_then_flushes(settings):
    settings.READS_FLUSH_SECONDS = 3600
    settings.READS_FLUSH_MAX_ARTICLES = 10
    articles = ArticleFactory.create_batch(12)

    for n, article in enumerate(articles):
        beacon(article.pk, address=f"198.51.100.{n}")

    assert DailyReadCount.objects.count() == 10  # written when the tenth arrived
    assert readership.reads_flush() == 2


def test_reads_survive_a_database_outage_during_a_flush(monkeypatch, flush_every_read):
    article = ArticleFactory()

    def unavailable(rows):
        raise DatabaseError("the database is restarting")

    with monkeypatch.context() as patched:
        patched.setattr(readership, "_upsert", unavailable)
        assert beacon(article.pk).status_code == 204
    beacon(article.pk, address="198.51.100.9")

    assert reads_of(article) == 2


# The page's side: a beacon on published articles only


def test_a_published_article_page_carries_the_beacon_script():
    article = ArticleFactory()

    page = Client().get(article.get_absolute_url()).content.decode()

    assert f'data-read-beacon="{reverse("articles:article-read", args=[article.pk])}"' in page
    assert "articles/read_beacon.js" in page


def test_an_editor_previewing_a_draft_sends_no_beacon(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    page = editor_client.get(draft.get_absolute_url()).content.decode()

    assert "data-read-beacon" not in page and "read_beacon.js" not in page


# Most read on the front page


def count(article, reads, day: date | None = None):
    DailyReadCount.objects.create(article=article, day=day or NOW.date(), reads=reads)


def test_the_front_page_lists_the_most_read_stories_most_first():
    quiet = ArticleFactory(headline="Quiet story")
    popular = ArticleFactory(headline="Popular story")
    middling = ArticleFactory(headline="Middling story")
    count(quiet, 3)
    count(popular, 40)
    count(middling, 10)
    count(middling, 25, day=NOW.date() - timedelta(days=1))

    listed = most_read_list(Client().get("/").content.decode())

    assert listed.index("Popular story") < listed.index("Middling story") < listed.index("Quiet")


def test_a_story_read_in_two_languages_is_listed_once_with_its_reads_added_up():
    english = ArticleFactory(headline="Finance ministry approves transport budget")
    urdu = ArticleFactory(
        headline="وزارتِ خزانہ نے ٹرانسپورٹ بجٹ منظور کر لیا", language="ur", translation_of=english
    )
    count(english, 30)
    count(urdu, 2500)
    count(ArticleFactory(headline="A story read a thousand times"), 1000)

    listed = most_read_list(Client().get("/").content.decode())

    assert "Finance ministry approves transport budget" in listed
    assert urdu.headline not in listed
    assert listed.index("Finance ministry") < listed.index("A story read a thousand times")


def test_most_read_counts_only_the_recent_days(settings):
    settings.MOST_READ_DAYS = 2
    old_favourite = ArticleFactory(headline="Last week's favourite")
    count(old_favourite, 900, day=NOW.date() - timedelta(days=7))
    count(ArticleFactory(headline="Today's read"), 1)

    listed = most_read_list(Client().get("/").content.decode())

    assert "Today&#x27;s read" in listed and "Last week" not in listed


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(hours=1)},
        {"status": Article.Status.UNPUBLISHED, "published_at": PAST},
    ],
    ids=["draft", "scheduled", "unpublished"],
)
def test_a_story_readers_cannot_see_never_appears_in_most_read(state):
    hidden = ArticleFactory(headline="Pulled story", **state)
    count(hidden, 5000)
    count(ArticleFactory(headline="Live story"), 1)

    page = Client().get("/").content.decode()

    assert "Live story" in most_read_list(page) and "Pulled story" not in page


def test_unpublishing_a_most_read_story_takes_it_off_the_cached_front_page(
    editor, django_capture_on_commit_callbacks
):
    story = ArticleFactory(headline="Retracted story")
    count(story, 100)
    count(ArticleFactory(headline="Other story"), 1)
    reader = Client()
    assert "Retracted story" in most_read_list(reader.get("/").content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=story, by=editor)

    assert "Retracted story" not in reader.get("/").content.decode()


def test_without_reads_there_is_no_empty_most_read_box():
    ArticleFactory()

    assert 'id="most-read"' not in Client().get("/").content.decode()


@pytest.mark.parametrize("stories", [3, 30])
def test_the_front_page_with_most_read_stays_within_six_queries(
    stories, django_assert_max_num_queries
):
    sections = [SectionFactory() for _ in range(3)]
    for n in range(stories):
        article = ArticleFactory(
            section=sections[n % 3], lead_image=ImageFactory() if n % 2 else None
        )
        count(article, n + 1)

    with django_assert_max_num_queries(6):
        page = Client().get("/").content.decode()

    assert most_read_list(page).count("<li>") == min(stories, 5)


# The front page's top


def test_the_lead_has_the_newest_stories_beside_it_then_the_sections():
    section = SectionFactory(name="Pakistan")
    lead = ArticleFactory(headline="Lead story", lead_image=ImageFactory(), section=section)
    beside = [
        ArticleFactory(
            headline=f"Second {n}", section=section, published_at=PAST - timedelta(hours=n)
        )
        for n in range(1, 4)
    ]
    ArticleFactory(headline="Section story", section=section, published_at=PAST - timedelta(days=1))

    page = Client().get("/").content.decode()

    top = page.split('id="top-stories"')[1].split("</section>")[0]
    assert lead.headline in page.split('id="top-stories"')[0]
    assert [b.headline in top for b in beside] == [True, True, True]
    assert "Section story" not in top
    assert page.index('id="top-stories"') < page.index("Section story")
    assert page.count("Second 1") == 1


def test_an_editors_pinned_story_comes_first_beside_the_lead():
    ArticleFactory(headline="Lead story", lead_image=ImageFactory())
    ArticleFactory(headline="Newest other")
    ArticleFactory(headline="Pinned analysis", front_page_slot=1, published_at=PAST - timedelta(9))

    top = Client().get("/").content.decode().split('id="top-stories"')[1].split("</section>")[0]

    assert top.index("Pinned analysis") < top.index("Newest other")
