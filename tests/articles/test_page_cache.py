"""The page cache: what a change purges, what a hit costs and what it sends."""

import gzip
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.cache import comment_pages_purge
from articles.models import Article, BreakingNews
from articles.pagestore import PAGE_TABLE, CachedPage, DatabasePageStore
from articles.services import article_publish, article_save
from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def quietly_rename(article, headline):
    """Change a headline behind the cache's back, to see whether a page is re-rendered."""
    Article.objects.filter(pk=article.pk).update(headline=headline)


# Purging exactly what changed


def test_publishing_a_story_refreshes_its_section_and_the_front_page_only(
    django_capture_on_commit_callbacks,
):
    politics, sport = SectionFactory(name="Politics"), SectionFactory(name="Sport")
    in_politics = ArticleFactory(section=politics, headline="Budget passes")
    in_sport = ArticleFactory(section=sport, headline="Captain named")
    reader = Client()
    for url in ["/", politics.get_absolute_url(), in_sport.get_absolute_url()]:
        reader.get(url)
    quietly_rename(in_sport, "Captain renamed quietly")
    quietly_rename(in_politics, "Budget passes, renamed quietly")

    draft = ArticleFactory(section=politics, headline="Cabinet resigns", status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=draft, at=PAST + timedelta(hours=1))

    assert "Cabinet resigns" in html(reader.get("/"))
    assert "Cabinet resigns" in html(reader.get(politics.get_absolute_url()))
    # Sport's story was not touched: its cached page stays, stale headline and all.
    assert "Captain named" in html(reader.get(in_sport.get_absolute_url()))


def test_editing_a_story_refreshes_every_listing_that_shows_it_and_its_authors_pages(
    django_capture_on_commit_callbacks, editor
):
    author = AuthorFactory()
    old_section, new_section = SectionFactory(), SectionFactory()
    article = ArticleFactory(section=old_section, bylines=[author], headline="First headline")
    reader = Client()
    pages = ["/", old_section.get_absolute_url(), author.get_absolute_url(), "/feed/"]
    for url in pages:
        assert "First headline" in html(reader.get(url))

    article.headline, article.section = "Better headline", new_section
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, by=editor)

    for url in pages:
        assert "First headline" not in html(reader.get(url)), url
    assert "Better headline" in html(reader.get(new_section.get_absolute_url()))
    assert "Better headline" in html(reader.get(article.get_absolute_url()))


def test_a_comment_refreshes_its_article_at_once_and_listings_within_seconds(time_machine):
    time_machine.move_to(PAST + timedelta(hours=2), tick=False)
    article = ArticleFactory(headline="Busy story")
    other = ArticleFactory(headline="Quiet story")
    reader = Client()
    for url in ["/", article.get_absolute_url(), other.get_absolute_url()]:
        reader.get(url)
    Article.objects.filter(pk=article.pk).update(comment_count=1)
    quietly_rename(other, "Quiet story, renamed quietly")

    comment_pages_purge(article_ids=[article.pk])

    assert "Reader Comments (1)" in html(reader.get(article.get_absolute_url()))
    assert "Reader Comments (1)" not in html(reader.get("/"))  # a few seconds' lag is allowed
    assert "renamed quietly" not in html(reader.get(other.get_absolute_url()))
    time_machine.move_to(PAST + timedelta(hours=2, seconds=11), tick=False)
    assert "Reader Comments (1)" in html(reader.get("/"))


def test_a_comment_on_a_story_not_on_the_front_page_leaves_the_front_page_alone(time_machine):
    time_machine.move_to(PAST + timedelta(hours=2), tick=False)
    section = SectionFactory()
    old = ArticleFactory(section=section, headline="Old story", published_at=PAST - timedelta(30))
    # The lead, the three beside it and a section's four push the old story off.
    ArticleFactory.create_batch(8, section=section)
    reader = Client()
    reader.get("/")
    assert "Old story" not in html(reader.get("/"))
    ArticleFactory(section=section, headline="Sneaked in", status="published")

    comment_pages_purge(article_ids=[old.pk])
    time_machine.move_to(PAST + timedelta(hours=2, minutes=1), tick=False)

    assert "Sneaked in" not in html(reader.get("/"))


# What a response carries


def test_cached_page_names_its_surrogate_keys_and_lets_a_shared_cache_keep_it():
    author = AuthorFactory()
    article = ArticleFactory(bylines=[author])

    first = Client().get(article.get_absolute_url())
    second = Client().get(article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    keys = second["Surrogate-Key"].split()
    assert f"article-{article.pk}" in keys and f"section-{article.section_id}" in keys
    assert second["Cache-Tag"] == ",".join(keys)
    assert "public" in second["Cache-Control"]
    assert "s-maxage=" in second["Cache-Control"]
    assert "stale-while-revalidate=30" in second["Cache-Control"]
    assert "max-age=0" in second["Cache-Control"]
    listing = Client().get(author.get_absolute_url())
    assert f"author-{author.pk}" in listing["Surrogate-Key"].split()
    assert f"teaser-{article.pk}" in listing["Surrogate-Key"].split()


def test_staff_pages_are_private_so_no_shared_cache_keeps_them(editor_client):
    article = ArticleFactory()

    response = editor_client.get(article.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_readers_who_accept_gzip_get_the_page_compressed_with_its_own_etag():
    article = ArticleFactory(headline="Compressed story")
    plain = Client().get(article.get_absolute_url())

    packed = Client().get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")

    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content)
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"]


def test_a_reader_holding_the_current_page_gets_304_without_a_body():
    article = ArticleFactory()
    first = Client().get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    again = Client().get(
        article.get_absolute_url(),
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    stale = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-old"')

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert stale.status_code == 200


def test_a_head_request_gets_the_headers_of_the_cached_page():
    article = ArticleFactory()
    page = Client().get(article.get_absolute_url())

    head = Client().head(article.get_absolute_url())

    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == page["ETag"]


def test_a_cache_hit_never_touches_the_session_or_the_database(django_assert_max_num_queries):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())

    with django_assert_max_num_queries(0):
        response = Client().get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert not response.cookies


# Section and author pages page without counting


def test_section_pages_offer_older_and_newer_without_counting_and_404_past_the_end(
    client, settings
):
    settings.ARTICLES_PER_PAGE = 2
    section = SectionFactory()
    ArticleFactory.create_batch(4, section=section)

    first = html(client.get(section.get_absolute_url()))
    last = html(client.get(section.get_absolute_url(), {"page": 2}))

    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert client.get(section.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get(section.get_absolute_url(), {"page": "last"}).status_code == 404


# The embedded stores


def test_the_database_page_store_purges_by_tag_and_lets_lazy_purges_lag():
    store = DatabasePageStore()
    page_a = CachedPage(headers=(), body=b"a", gzipped=b"", etag='"a"', tags={"article-1"})
    page_b = CachedPage(headers=(), body=b"b", gzipped=b"", etag='"b"', tags={"article-2"})
    store.set("a", page_a, timeout=300)
    store.set("b", page_b, timeout=300)

    store.purge({"article-1"})
    store.purge({"article-2"}, within=60)

    assert store.get("a", gzipped=False) is None
    still_there = store.get("b", gzipped=False)  # now expiring within the minute
    assert still_there.content == b"b" and still_there.tags == {"article-2"}


def test_the_database_page_store_hands_back_the_representation_asked_for():
    store = DatabasePageStore()
    body = b"<p>Budget passed</p>" * 500
    page = CachedPage(
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body,
        gzipped=gzip.compress(body),
        etag='"v1"',
        tags={"article-7", "front"},
    )
    store.set("budget", page, timeout=300)

    plain = store.get("budget", gzipped=False)
    compressed = store.get("budget", gzipped=True)

    assert plain.content == body and not plain.gzipped
    assert gzip.decompress(compressed.content) == body and compressed.gzipped
    assert compressed.headers == page.headers and compressed.etag == '"v1"'
    assert compressed.tags == {"article-7", "front"}


def test_rate_limit_counters_outlive_any_churn_of_cached_pages(settings):
    settings.CACHES = {
        "default": {"BACKEND": "newsroom.dbcache.PostgresCache", "LOCATION": "newsroom_cache"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.PAGE_CACHE_STORE = "articles.pagestore.DatabasePageStore"
    counters = caches["default"]
    counters.add("comments:rate:ip:abc", 0, timeout=300)
    counters.incr("comments:rate:ip:abc")
    article = ArticleFactory()

    for number in range(300):
        Client().get(article.get_absolute_url(), {"page": number})

    assert counters.incr("comments:rate:ip:abc") == 2
    assert counters.add("comments:rate:ip:abc", 0) is False


def test_the_database_cache_backend_keeps_values_numbers_and_expiry():
    from newsroom.dbcache import PostgresCache

    backend = PostgresCache("newsroom_cache", {})
    backend.set("story", {"headline": "Budget"}, timeout=60)
    backend.set("count", 5)
    backend.set_many({"x": 1, "y": [2]})

    assert backend.get("story") == {"headline": "Budget"}
    assert backend.incr("count", 2) == 7
    assert backend.get_many(["x", "y", "missing"]) == {"x": 1, "y": [2]}
    assert backend.add("count", 0) is False
    assert backend.delete("x") and backend.get("x") is None
    with pytest.raises(ValueError):
        backend.incr("story")


# The breaking-news banner on cached pages


def banner_form(client, url: str, **fields) -> dict:
    form = form_fields(client.get(url).content.decode(), "breakingnews_form")
    form.update(fields)
    return form


def test_raising_editing_and_lowering_a_banner_refreshes_cached_pages_at_once(
    editor_client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(PAST, tick=False)
    article = ArticleFactory(headline="Quiet day")
    reader = Client()
    pages = ["/", article.get_absolute_url(), article.section.get_absolute_url()]
    for url in pages:
        assert "Breaking:" not in html(reader.get(url))
        assert reader.get(url)["X-Page-Cache"] == "hit"

    add_url = reverse("admin:articles_breakingnews_add")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            add_url,
            banner_form(
                editor_client,
                add_url,
                text="Polls close early",
                expires_at_0="2014-11-21",
                expires_at_1="06:00:00",
            ),
        )
    for url in pages:
        assert "Polls close early" in html(reader.get(url))

    change_url = reverse("admin:articles_breakingnews_change", args=[BreakingNews.objects.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url, banner_form(editor_client, change_url, text="Polls closed"))
    for url in pages:
        page = html(reader.get(url))
        assert "Polls closed" in page and "Polls close early" not in page

    delete_url = reverse("admin:articles_breakingnews_delete", args=[BreakingNews.objects.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(delete_url, {"post": "yes"})
    for url in pages:
        assert "Breaking:" not in html(reader.get(url))


def test_a_cached_page_never_shows_a_banner_past_its_expiry(time_machine):
    time_machine.move_to(PAST, tick=False)
    article = ArticleFactory()
    BreakingNews.objects.create(
        text="Storm warning",
        starts_at=PAST - timedelta(minutes=5),
        expires_at=PAST + timedelta(seconds=90),
    )
    reader = Client()

    first = reader.get(article.get_absolute_url())
    assert "Storm warning" in html(first)
    assert "s-maxage=90," in first["Cache-Control"]
    time_machine.move_to(PAST + timedelta(seconds=89), tick=False)
    assert "Storm warning" in html(reader.get(article.get_absolute_url()))

    time_machine.move_to(PAST + timedelta(seconds=90), tick=False)
    assert "Storm warning" not in html(reader.get(article.get_absolute_url()))


def test_a_correction_dated_later_reaches_the_cached_feeds_when_it_is_due(time_machine):
    time_machine.move_to(PAST, tick=False)
    article = ArticleFactory()
    article.corrections.create(
        text="The minister's name was misspelt.", published_at=PAST + timedelta(seconds=45)
    )
    reader = Client()
    pages = [reverse("articles:feed"), reverse("articles:corrections-feed")]
    for url in pages:
        first = reader.get(url)
        assert "misspelt" not in html(first)
        assert "s-maxage=45," in first["Cache-Control"]

    time_machine.move_to(PAST + timedelta(seconds=45), tick=False)

    for url in pages:
        assert "misspelt" in html(reader.get(url))


def test_a_cached_page_shows_a_banner_set_to_start_later_from_its_first_second(time_machine):
    time_machine.move_to(PAST, tick=False)
    ArticleFactory()
    BreakingNews.objects.create(
        text="Results at noon",
        starts_at=PAST + timedelta(seconds=30),
        expires_at=PAST + timedelta(hours=2),
    )
    reader = Client()
    assert "Results at noon" not in html(reader.get("/"))

    time_machine.move_to(PAST + timedelta(seconds=30), tick=False)

    assert "Results at noon" in html(reader.get("/"))


def test_the_database_page_store_also_drops_a_page_when_its_banner_expires(settings, time_machine):
    settings.PAGE_CACHE_STORE = "articles.pagestore.DatabasePageStore"
    DatabasePageStore().clear()
    time_machine.move_to(PAST, tick=False)
    ArticleFactory()
    BreakingNews.objects.create(
        text="Storm warning",
        starts_at=PAST - timedelta(minutes=5),
        expires_at=PAST + timedelta(seconds=90),
    )

    with connection.cursor() as cursor:
        assert "Storm warning" in html(Client().get("/"))
        # The page, not the story cards kept beside it (which show no banner).
        cursor.execute(f"SELECT expires_at FROM {PAGE_TABLE} WHERE key NOT LIKE 'card:%'")
        (expires_at,) = cursor.fetchone()
    assert expires_at == PAST + timedelta(seconds=90)
