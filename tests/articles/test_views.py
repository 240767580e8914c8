import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import article_publish
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
)
from tests.xml_reader import sitemap_addresses

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# The article page


def test_reader_sees_the_whole_article_page(client):
    section = SectionFactory(name="Pakistan", slug="pakistan")
    reporter = AuthorFactory(name="Amina Qureshi")
    translator = AuthorFactory(name="Bilal Hashmi")
    image = ImageFactory(
        caption="Agency screengrab of the two ministers", credit="Express News screengrab"
    )
    article = ArticleFactory(
        headline="Ministers agree on water talks",
        standfirst="Both sides will meet again in March.",
        body="<p>First paragraph.</p><h2>What was agreed</h2><p>Details.</p>",
        section=section,
        lead_image=image,
        bylines=[reporter, translator],
    )
    article.bylines.filter(author=translator).update(role="Translated by")

    page = html(client.get(article.get_absolute_url()))

    assert "Ministers agree on water talks" in page
    assert "Both sides will meet again in March." in page
    assert "Published: <time" in page and "November 20, 2014" in page
    assert reporter.get_absolute_url() in page and "Amina Qureshi" in page
    assert "Translated by" in page and "Bilal Hashmi" in page
    assert "Agency screengrab of the two ministers" in page
    assert "Express News screengrab" in page
    assert "<h2>What was agreed</h2>" in page
    assert 'href="/section/pakistan/"' in page


def test_article_page_shows_more_in_its_section_but_not_itself_or_other_sections(client):
    section = SectionFactory(name="Pakistan")
    # No headline shares a word with the main one: none of them is "Related" to it.
    article = ArticleFactory(section=section, headline="The main story")
    sibling = ArticleFactory(section=section, headline="A sibling report")
    ArticleFactory(section=section, headline="A draft sibling", status=Article.Status.DRAFT)
    ArticleFactory(headline="News from elsewhere")

    page = html(client.get(article.get_absolute_url()))

    assert "More in Pakistan" in page
    assert sibling.get_absolute_url() in page
    assert "A draft sibling" not in page
    assert "News from elsewhere" not in page
    without_data = re.sub(
        r'<script type="application/ld\+json">.*?</script>|<meta [^>]*>', "", page
    )
    # The <title> and the headline, not the list (nor the tags social sites read).
    assert without_data.count("The main story") == 2


def test_article_an_editor_marked_as_substantively_updated_says_updated(client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(substantively_updated_at=PAST + timedelta(days=1))

    page = html(client.get(article.get_absolute_url()))

    assert "Updated: <time" in page and "November 21, 2014" in page


def test_article_edited_days_later_without_the_tick_does_not_say_updated(client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(updated_at=PAST + timedelta(days=3))

    assert "Updated:" not in html(client.get(article.get_absolute_url()))


def test_reader_sees_corrections_under_the_article(client):
    article = ArticleFactory()
    Correction.objects.create(
        article=article, text="An earlier version misspelt the minister's name.", published_at=PAST
    )

    page = html(client.get(article.get_absolute_url()))

    assert "Correction, November 20, 2014" in page
    assert "misspelt the minister&#x27;s name" in page


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.DRAFT, "published_at": PAST},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=3)},
    ],
    ids=["draft", "unpublished-draft-with-old-time", "scheduled"],
)
def test_reader_cannot_reach_unpublished_articles_whatever_url_is_guessed(client, state):
    article = ArticleFactory(**state)

    for url in (
        article.get_absolute_url(),
        reverse("articles:article-short", kwargs={"pk": article.pk}),
        reverse("articles:article-detail", kwargs={"pk": article.pk, "slug": "guess"}),
    ):
        assert client.get(url).status_code == 404
    assert article.headline not in html(client.get("/"))
    assert article.headline not in html(client.get(article.section.get_absolute_url()))


def test_reader_sees_scheduled_article_once_its_time_has_come(client, time_machine):
    time_machine.move_to(PAST, tick=False)
    article = ArticleFactory(published_at=PAST + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404

    time_machine.move_to(PAST + timedelta(hours=1, seconds=1), tick=False)

    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_can_preview_a_draft_that_readers_cannot_see(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert Client().get(draft.get_absolute_url()).status_code == 404
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is a draft" in html(response)


def test_old_address_redirects_permanently_after_the_headline_changes(client):
    article = ArticleFactory(headline="Minster resigns")
    old_url = article.get_absolute_url()
    article.headline, article.slug = "Minister resigns", "minister-resigns"
    article.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


# Front page


def test_front_page_leads_with_the_newest_story_and_never_repeats_one(client):
    politics = SectionFactory(name="Pakistan", position=0)
    sport = SectionFactory(name="Sport", position=1)
    older = [
        ArticleFactory(section=politics, published_at=PAST - timedelta(hours=n))
        for n in range(1, 7)
    ]
    games = [ArticleFactory(section=sport, published_at=PAST - timedelta(days=n)) for n in (1, 2)]
    lead = ArticleFactory(section=sport, headline="The biggest story", published_at=PAST)

    page = html(client.get("/"))

    assert page.index("The biggest story") < page.index("Pakistan</a></h2>")
    assert "teaser-lead" in page.split("The biggest story")[0]
    for article in [*older, *games, lead]:
        assert page.count(article.get_absolute_url() + '"') >= 1
        assert page.count(f">{article.headline}</a>") == 1
    assert page.index("Pakistan</a></h2>") < page.index("Sport</a></h2>")


def test_front_page_without_stories_says_so(client):
    assert "No stories have been published yet." in html(client.get("/"))


# Section and author pages


def test_section_page_lists_its_articles_newest_first_and_paginates(client, settings):
    section = SectionFactory(name="Business")
    articles = [
        ArticleFactory(section=section, published_at=PAST - timedelta(hours=n)) for n in range(25)
    ]

    first = html(client.get(section.get_absolute_url()))
    second = html(client.get(section.get_absolute_url() + "?page=2"))

    assert first.index(articles[0].headline) < first.index(articles[1].headline)
    assert articles[19].get_absolute_url() in first
    assert articles[20].get_absolute_url() not in first
    assert articles[24].get_absolute_url() in second
    assert "Page 2" in second


def test_unknown_section_or_author_is_a_friendly_404(client):
    response = client.get("/section/no-such-section/")

    assert response.status_code == 404
    assert "We couldn't find that page" in html(response)
    assert client.get("/author/nobody/").status_code == 404


def test_author_page_shows_bio_and_only_their_published_articles(client):
    author = AuthorFactory(name="Sana Mirza", bio="Sana writes about cricket.")
    theirs = ArticleFactory(bylines=[author], headline="Cricket board names new captain")
    ArticleFactory(bylines=[author], headline="Unfinished draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Someone else's story")

    page = html(client.get(author.get_absolute_url()))

    assert "Sana writes about cricket." in page
    assert theirs.headline in page
    assert "Unfinished draft" not in page
    assert "Someone else" not in page


# Query counts: constant however many articles a page shows


@pytest.mark.parametrize("count", [3, 30])
def test_front_page_queries_do_not_grow_with_articles(client, count, django_assert_max_num_queries):
    sections = [SectionFactory() for _ in range(3)]
    for n in range(count):
        ArticleFactory(section=sections[n % 3], lead_image=ImageFactory() if n % 2 else None)

    # One of them reads the breaking-news banner, the same on every page.
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_section_and_author_pages_queries_do_not_grow_with_articles(
    client, count, django_assert_max_num_queries
):
    section = SectionFactory()
    author = AuthorFactory()
    for _ in range(count):
        ArticleFactory(
            section=section, bylines=[author, AuthorFactory()], lead_image=ImageFactory()
        )

    with django_assert_max_num_queries(7):
        assert client.get(section.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(author.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_article_page_queries_do_not_grow_with_bylines_or_siblings(
    client, count, django_assert_max_num_queries
):
    section = SectionFactory()
    article = ArticleFactory(
        section=section, bylines=[AuthorFactory() for _ in range(count)], lead_image=ImageFactory()
    )
    for _ in range(count):
        ArticleFactory(section=section)

    # The news day's budget: the story, its bylines, its lead photo's renditions, its
    # corrections, "More in section", the navigation, the banner and the moment the page next
    # changes (one query), the comments. An article past its comment window asks nothing more.
    with django_assert_max_num_queries(8):
        assert client.get(article.get_absolute_url()).status_code == 200


# Cached pages


def test_anonymous_front_page_is_served_from_cache_until_something_is_published(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    ArticleFactory(headline="First story")
    client.get("/")
    with django_assert_max_num_queries(0):
        assert "First story" in html(client.get("/"))

    later = ArticleFactory(headline="Breaking story", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=later, at=PAST + timedelta(hours=1))

    assert "Breaking story" in html(client.get("/"))


def test_staff_never_get_a_cached_page(editor_client):
    article = ArticleFactory(headline="Original headline")
    Client().get("/")
    Article.objects.filter(pk=article.pk).update(headline="Quietly changed")

    assert "Quietly changed" in html(editor_client.get("/"))


# Feeds and sitemap


def test_feed_lists_published_articles_with_their_bylines(client):
    author = AuthorFactory(name="Daniyal Rauf")
    ArticleFactory(headline="Talks resume in Geneva", bylines=[author])
    ArticleFactory(headline="Draft not for feeds", status=Article.Status.DRAFT)

    feed = html(client.get(reverse("articles:feed")))

    assert "Talks resume in Geneva" in feed
    assert "Daniyal Rauf" in feed
    assert "Draft not for feeds" not in feed


def test_section_feed_only_has_that_section(client):
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(section=sport, headline="Hockey team wins")
    ArticleFactory(headline="Budget passes")

    feed = html(client.get(reverse("articles:section-feed", kwargs={"slug": "sport"})))

    assert "Hockey team wins" in feed
    assert "Budget passes" not in feed


def test_sitemap_lists_published_articles_only(client, settings):
    live = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    sitemap = sitemap_addresses(client)

    assert settings.SITE_URL + live.get_absolute_url() in sitemap
    assert not [address for address in sitemap if draft.get_absolute_url() in address]


def test_cached_front_page_shows_a_scheduled_article_as_soon_as_its_time_comes(time_machine):
    time_machine.move_to(PAST, tick=False)
    ArticleFactory(headline="Already out", published_at=PAST - timedelta(hours=1))
    ArticleFactory(headline="Embargoed until the minute", published_at=PAST + timedelta(seconds=60))
    reader = Client()
    assert "Embargoed until the minute" not in html(reader.get("/"))

    time_machine.move_to(PAST + timedelta(seconds=62), tick=False)

    assert "Embargoed until the minute" in html(reader.get("/"))
