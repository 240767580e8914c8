"""Readers search English and Urdu stories together: each story is indexed and searched with
its own language's rules (English stemmed, Urdu word for word), in one search box."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.languages import language
from articles.models import Article, LanguageSearches
from tests.articles.test_search import found_headlines, search
from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def urdu_story(**fields) -> Article:
    fields.setdefault(
        "section", SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    )
    fields.setdefault("standfirst", "شہر کے کئی محلوں میں نلکے ہفتوں سے خشک ہیں۔")
    return ArticleFactory(language="ur", **fields)


def stored_words(article: Article) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unnest(tsvector_to_array(search_vector)) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        return {row[0] for row in cursor.fetchall()}


def test_an_urdu_word_in_the_body_is_found_and_highlighted(client):
    story = urdu_story(
        headline="کوئٹہ میں پانی کی قلت",
        body="<p>شہر میں بیس نئے ٹیوب ویل لگائے جائیں گے۔</p><h2>ماہرین کی تشویش</h2>",
    )
    ArticleFactory(headline="Water shortage in Quetta")

    page = search(client, q="ٹیوب")

    assert found_headlines(page) == [story.headline]
    assert "<mark>ٹیوب</mark> ویل" in page
    # On the English results page, the Urdu result reads right to left.
    assert '<article class="search-result mb-4" lang="ur" dir="rtl">' in page


def test_an_urdu_word_in_the_headline_is_highlighted_there_and_outranks_the_body(client):
    in_headline = urdu_story(headline="کوئٹہ میں پانی کی قلت", body="<p>شہر کی خبر۔</p>")
    in_body = urdu_story(headline="شہر کی خبریں", body="<p>کوئٹہ میں بارش نہیں ہوئی۔</p>")
    # The body match is newer: only the rank can put the headline match first.
    Article.objects.filter(pk=in_body.pk).update(published_at=PAST + timedelta(days=1))

    page = search(client, q="کوئٹہ")

    assert found_headlines(page) == [in_headline.headline, in_body.headline]
    assert "<mark>کوئٹہ</mark> میں پانی کی قلت" in page


def test_english_inflections_still_find_english_stories(client):
    ArticleFactory(headline="Election commission sets the date")

    page = search(client, q="elections")

    assert found_headlines(page) == ["Election commission sets the date"]
    assert "<mark>Election</mark> commission" in page


def test_an_urdu_story_is_not_stemmed_with_english_rules(client):
    english = ArticleFactory(headline="Elections in Lahore", body="<p>The voting begins.</p>")
    urdu = urdu_story(
        headline="لاہور میں Elections کی تیاری", body="<p>The voting begins in لاہور.</p>"
    )

    # English stop words and suffixes are kept, as the Urdu writer typed them.
    assert {"elections", "the", "voting"} <= stored_words(urdu)
    assert "elect" not in stored_words(urdu)
    assert {"elect", "vote"} <= stored_words(english)
    assert "the" not in stored_words(english)
    # So an English inflection finds the English story, and only the word itself the Urdu one.
    assert found_headlines(search(client, q="election")) == [english.headline]
    assert set(found_headlines(search(client, q="elections"))) == {
        english.headline,
        urdu.headline,
    }


def test_one_search_mixes_english_and_urdu_words(client):
    amina = AuthorFactory(name="Amina Qureshi")
    urdu = urdu_story(headline="کراچی میں سیلاب", body="<p>پانی اتر رہا ہے۔</p>", bylines=[amina])
    english = ArticleFactory(headline="Floods reach the coast", bylines=[amina])
    ArticleFactory(headline="Cricket in Lahore")

    # An English name and an Urdu word: only the Urdu story by her has both.
    assert found_headlines(search(client, q="Amina سیلاب")) == [urdu.headline]
    # "or" reaches across the languages, each word read by its own story's rules.
    assert set(found_headlines(search(client, q="flooding or سیلاب"))) == {
        urdu.headline,
        english.headline,
    }


def test_a_word_left_out_is_left_out_in_each_storys_own_terms(client):
    ArticleFactory(headline="Karachi elections delayed")
    traffic = ArticleFactory(headline="Karachi traffic eases")
    urdu = urdu_story(headline="Karachi میں انتخابات", body="<p>کراچی</p>")

    assert set(found_headlines(search(client, q="karachi -election"))) == {
        traffic.headline,
        urdu.headline,
    }


def test_related_stories_still_come_by_shared_headline_words_in_urdu(client):
    story = urdu_story(headline="کراچی میں پانی کی قلت")
    same_words = urdu_story(headline="کراچی کے ٹینکر مہنگے", published_at=PAST)
    urdu_story(headline="لاہور میں کرکٹ", published_at=PAST)

    article = Article.objects.published().with_topics().get(pk=story.pk)
    beside = Article.objects.published().beside(article, in_section=0, related=4)

    assert [related.headline for related in beside.related] == [same_words.headline]


def test_the_index_reads_each_language_with_its_configuration_and_the_newsroom_may_choose(
    settings,
):
    assert language("en").search_configuration == "english"
    assert language("ur").search_configuration == "simple"
    assert language("fr").search_configuration == "french"

    settings.SEARCH_CONFIGURATIONS = {"en": "simple"}

    assert language("en").search_configuration == "simple"
    searches = LanguageSearches(lambda config: config)
    assert [query for _, query in searches.parts] == ["simple"]


def test_a_misspelt_search_configuration_stops_migrate_with_a_message_saying_which(settings):
    call_command("check", databases=["default"], stdout=StringIO())
    settings.SEARCH_CONFIGURATIONS = {"en": "englsh", "urd": "simple"}

    with pytest.raises(SystemCheckError) as refused:
        call_command("check", databases=["default"], stdout=StringIO(), stderr=StringIO())

    message = str(refused.value)
    assert "articles.E001" in message
    assert "'englsh' for stories in 'en' does not exist" in message
    assert "'urd', which is not one of ARTICLE_LANGUAGES" in message
    assert "simple" not in message.split("WARNINGS")[0]


def test_a_configuration_named_with_its_schema_is_accepted(settings):
    settings.SEARCH_CONFIGURATIONS = {"en": "pg_catalog.english"}

    call_command("check", databases=["default"], stdout=StringIO())


def test_the_migration_indexes_urdu_stories_indexed_in_english_as_new_ones_are():
    from importlib import import_module
    from types import SimpleNamespace

    migration = import_module("articles.migrations.0018_search_per_language")
    story = urdu_story(headline="لاہور میں Elections کی تیاری", bylines=[AuthorFactory()])
    story.topics.create(name="انتخابات")
    english = ArticleFactory(headline="Elections in Lahore")
    indexed_today = {
        pk: vector for pk, vector in Article.objects.values_list("pk", "search_vector")
    }
    # As every story was indexed before stories had their own language's configuration.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET search_vector = to_tsvector('english', headline)"
        )
    assert "elect" in stored_words(story)

    migration.reindex_stories_not_in_english(None, SimpleNamespace(connection=connection))

    story.refresh_from_db()
    english.refresh_from_db()
    assert story.search_vector == indexed_today[story.pk]
    # English stories were indexed in English already: the migration leaves them be.
    assert english.search_vector != indexed_today[english.pk]


# Names as the story's page shows them


def test_an_urdu_story_is_found_by_its_byline_as_its_page_shows_it(client):
    zainab = AuthorFactory(name="Zainab Akhtar", other_names={"ur": "زینب اختر"})
    story = urdu_story(headline="کوئٹہ میں پانی کی قلت", bylines=[zainab])
    urdu_story(headline="لاہور میں کرکٹ", bylines=[AuthorFactory(name="Bilal Khan")])

    assert found_headlines(search(client, q="زینب اختر")) == [story.headline]
    # Readers who know her by her English name find it too.
    assert found_headlines(search(client, q="Zainab Akhtar")) == [story.headline]


def test_an_english_story_is_found_by_the_byline_its_page_shows_not_an_urdu_one(client):
    zainab = AuthorFactory(name="Zainab Akhtar", other_names={"ur": "زینب اختر"})
    story = ArticleFactory(headline="Water shortage in Quetta", bylines=[zainab])

    assert found_headlines(search(client, q="Zainab Akhtar")) == [story.headline]
    assert found_headlines(search(client, q="زینب")) == []


def test_a_story_is_found_by_its_sections_name_in_the_storys_language(client):
    sport = SectionFactory(name="Sport", slug="sport", other_names={"ur": "کھیل"})
    story = urdu_story(headline="لاہور میں کرکٹ", section=sport)

    assert found_headlines(search(client, q="کھیل")) == [story.headline]
    assert found_headlines(search(client, q="sport")) == [story.headline]


def test_search_follows_a_byline_given_renamed_and_stripped_of_its_urdu_name(editor_client):
    author = AuthorFactory(name="Zainab Akhtar", slug="zainab-akhtar")
    story = urdu_story(headline="کوئٹہ میں پانی کی قلت", bylines=[author])
    change = reverse("admin:articles_author_change", args=[author.pk])
    reader = Client()

    def name_her_in_urdu(name: str):
        form = form_fields(editor_client.get(change).content.decode(), "author_form")
        form["name_in_ur"] = name
        assert editor_client.post(change, form).status_code == 302

    name_her_in_urdu("زینب اختر")
    assert found_headlines(search(reader, q="زینب")) == [story.headline]
    name_her_in_urdu("زینب خان")
    assert found_headlines(search(reader, q="خان")) == [story.headline]
    assert found_headlines(search(reader, q="اختر")) == []
    name_her_in_urdu("")
    assert found_headlines(search(reader, q="زینب")) == []
    assert found_headlines(search(reader, q="Zainab")) == [story.headline]


def test_the_migration_indexes_stories_by_the_names_their_pages_show():
    from importlib import import_module
    from types import SimpleNamespace

    migration = import_module("articles.migrations.0019_search_names_as_shown")
    sport = SectionFactory(name="Sport", slug="sport", other_names={"ur": "کھیل"})
    zainab = AuthorFactory(name="Zainab Akhtar", other_names={"ur": "زینب اختر"})
    story = urdu_story(section=sport, bylines=[zainab])
    story.topics.create(name="کرکٹ")
    english = ArticleFactory(section=sport, bylines=[AuthorFactory(name="Sana Mirza")])
    indexed_today = {
        pk: vector for pk, vector in Article.objects.values_list("pk", "search_vector")
    }
    # As stories were indexed with their bylines' and sections' main names alone.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET search_vector = to_tsvector('simple', '')")

    migration.reindex_stories_with_names_in_their_language(
        None, SimpleNamespace(connection=connection)
    )

    story.refresh_from_db()
    english.refresh_from_db()
    assert story.search_vector == indexed_today[story.pk]
    assert "زینب" in stored_words(story)
    # No name of the English story's is spelt differently in English: it is left be.
    assert english.search_vector != indexed_today[english.pk]
