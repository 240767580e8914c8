"""RSS and Atom feeds for the site, each section and each author, read as a feed reader
reads them: parsed XML with every author, the section as a category and the lead photo."""

import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Rendition
from articles.rendition_store import ensure_renditions
from articles.services import article_publish
from tests.articles.test_admin import article_form, inline_management
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    uploaded_jpeg,
)
from tests.xml_reader import NS, parse

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def site(settings, time_machine):
    settings.SITE_URL, settings.SITE_NAME = SITE, "Daily Example"
    time_machine.move_to(PAST + timedelta(days=1), tick=False)


@pytest.fixture
def story():
    """A published story by two authors in Sport, with a lead photo whose renditions exist."""
    photo = ImageFactory(file=uploaded_jpeg(size=(1600, 1000)))
    ensure_renditions(photo.pk)
    authors = [
        AuthorFactory(name="Amna Rauf", slug="amna"),
        AuthorFactory(name="Bilal Khan", slug="bilal"),
    ]
    sport = SectionFactory(name="Sport", slug="sport")
    return ArticleFactory(
        headline="Captain named for the tour",
        standfirst="A <b>bold</b> choice & a young one.",
        section=sport,
        bylines=authors,
        lead_image=photo,
    )


def not_out_yet():
    """A draft, a scheduled, an unpublished and an in-review story, all in Sport by Amna."""
    section, amna = SectionFactory(slug="hidden"), AuthorFactory(slug="hidden-writer")
    stories = [
        (Article.Status.DRAFT, None, "A draft story"),
        (Article.Status.PUBLISHED, PAST + timedelta(days=2), "A scheduled story"),
        (Article.Status.UNPUBLISHED, PAST, "An unpublished story"),
        (Article.Status.REVIEW, None, "A story in review"),
    ]
    for status, published_at, headline in stories:
        ArticleFactory(status=status, published_at=published_at, headline=headline, section=section)
    return [headline for _, _, headline in stories], section, amna


def rss_items(path: str) -> list:
    return parse(Client().get(path)).findall("channel/item")


def atom_entries(path: str) -> list:
    return parse(Client().get(path)).findall("atom:entry", NS)


def test_the_rss_feed_gives_each_story_its_authors_section_and_photo(story):
    share = Rendition.objects.get(image=story.lead_image, crop="share")

    channel = parse(Client().get("/feed/")).find("channel")
    (item,) = channel.findall("item")

    assert channel.findtext("title") == "Daily Example"
    assert channel.findtext("link") == SITE + "/"
    assert item.findtext("title") == "Captain named for the tour"
    assert item.findtext("link") == SITE + story.get_absolute_url()
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Amna Rauf", "Bilal Khan"]
    assert [c.text for c in item.findall("category")] == ["Sport"]
    # Feed readers render the description as HTML: the standfirst's markup stays text.
    assert item.findtext("description") == (
        "<p>A &lt;b&gt;bold&lt;/b&gt; choice &amp; a young one.</p>"
    )
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {
        "url": SITE + share.file.url,
        "length": str(share.file_size),
        "type": "image/jpeg",
    }
    assert share.file_size == share.file.size > 0


def test_the_atom_feed_gives_each_story_its_authors_with_their_pages(story):
    share = Rendition.objects.get(image=story.lead_image, crop="share")

    feed = parse(Client().get("/feed/atom/"))
    (entry,) = feed.findall("atom:entry", NS)

    assert feed.findtext("atom:title", namespaces=NS) == "Daily Example"
    assert feed.findtext("atom:author/atom:name", namespaces=NS) == "Daily Example"
    assert entry.findtext("atom:title", namespaces=NS) == "Captain named for the tour"
    authors = [
        (a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS))
        for a in entry.findall("atom:author", NS)
    ]
    assert authors == [
        ("Amna Rauf", SITE + "/author/amna/"),
        ("Bilal Khan", SITE + "/author/bilal/"),
    ]
    assert [c.get("term") for c in entry.findall("atom:category", NS)] == ["Sport"]
    links = {link.get("rel"): link.attrib for link in entry.findall("atom:link", NS)}
    assert links["alternate"]["href"] == SITE + story.get_absolute_url()
    assert links["enclosure"] == {
        "rel": "enclosure",
        "href": SITE + share.file.url,
        "length": str(share.file_size),
        "type": "image/jpeg",
    }
    assert entry.findtext("atom:published", namespaces=NS).startswith("2014-11-20")


def test_a_story_whose_photo_is_not_rendered_yet_goes_out_without_an_enclosure():
    ArticleFactory(lead_image=ImageFactory())  # the task has not run

    (item,) = rss_items("/feed/")

    assert item.find("enclosure") is None


def titles(path: str) -> list[str]:
    if path.endswith("/atom/"):
        return [e.findtext("atom:title", namespaces=NS) for e in atom_entries(path)]
    return [item.findtext("title") for item in rss_items(path)]


def test_section_and_author_feeds_hold_only_their_stories_newest_first(story):
    ArticleFactory(headline="Budget passes", bylines=[AuthorFactory()])
    bilal = story.bylines.last().author
    ArticleFactory(
        headline="Hockey result", bylines=[bilal], published_at=PAST + timedelta(hours=1)
    )

    assert titles("/section/sport/feed/") == ["Captain named for the tour"]
    assert titles("/section/sport/feed/atom/") == ["Captain named for the tour"]
    assert titles("/author/bilal/feed/") == ["Hockey result", "Captain named for the tour"]
    assert titles("/author/amna/feed/atom/") == ["Captain named for the tour"]
    channel = parse(Client().get("/author/amna/feed/")).find("channel")
    assert channel.findtext("title") == "Daily Example: Amna Rauf"
    assert channel.findtext("link") == SITE + "/author/amna/"


def test_no_feed_carries_a_story_that_is_not_out(story):
    headlines, section, writer = not_out_yet()

    feeds = [
        "/feed/",
        "/feed/atom/",
        "/section/sport/feed/",
        "/section/sport/feed/atom/",
        f"/section/{section.slug}/feed/",
        f"/section/{section.slug}/feed/atom/",
        "/author/amna/feed/",
        "/author/amna/feed/atom/",
    ]
    for path in feeds:
        text = Client().get(path).content.decode()
        parse(Client().get(path))
        assert not [h for h in headlines if h in text], path
    # Nor does a writer whose only stories are not out have a feed yet.
    assert Client().get(f"/author/{writer.slug}/feed/").status_code == 404


def test_feeds_are_cached_and_refreshed_when_a_story_is_published(
    story, django_capture_on_commit_callbacks
):
    reader = Client()
    paths = ["/feed/", "/feed/atom/", "/section/sport/feed/atom/", "/author/amna/feed/"]
    for path in paths:
        reader.get(path)
        cached = reader.get(path)
        assert cached["X-Page-Cache"] == "hit", path
        assert "feeds" in cached["Surrogate-Key"].split(), path

    draft = ArticleFactory(
        headline="Tour squad announced",
        section=story.section,
        bylines=[story.bylines.first().author],
        status=Article.Status.DRAFT,
        published_at=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=draft, at=PAST + timedelta(hours=1))

    for path in paths:
        assert "Tour squad announced" in reader.get(path).content.decode(), path


def test_an_unknown_section_or_author_feed_is_not_found():
    for name in ["section-feed", "section-feed-atom", "author-feed", "author-feed-atom"]:
        assert (
            Client().get(reverse(f"articles:{name}", kwargs={"slug": "nobody"})).status_code == 404
        )


def test_a_storys_topics_are_categories_after_its_section(story):
    from articles.models import Topic

    story.topics.add(Topic.objects.create(name="Cricket"), Topic.objects.create(name="Asia Cup"))

    (item,) = rss_items("/feed/")
    (entry,) = atom_entries("/feed/atom/")

    assert [c.text for c in item.findall("category")] == ["Sport", "Asia Cup", "Cricket"]
    assert [c.get("term") for c in entry.findall("atom:category", NS)] == [
        "Sport",
        "Asia Cup",
        "Cricket",
    ]


def save_in_admin(client, article, *, new_corrections=(), **fields):
    """Post the story's change form as an editor does, with its bylines, the corrections it
    has and any new ones (text, Karachi time as typed)."""
    bylines = list(article.bylines.all())
    kept = list(article.corrections.all())
    data = article_form(
        article.section,
        [(byline.author, byline.role) for byline in bylines],
        headline=article.headline,
        slug=article.slug,
        **inline_management("bylines", len(bylines), initial=len(bylines)),
        **inline_management("corrections", len(kept) + len(new_corrections), initial=len(kept)),
    )
    for number, byline in enumerate(bylines):
        data[f"bylines-{number}-id"] = str(byline.pk)
        data[f"bylines-{number}-article"] = str(article.pk)
    typed = [(c.text, timezone.localtime(c.published_at)) for c in kept] + list(new_corrections)
    for number, (text, at) in enumerate(typed):
        data[f"corrections-{number}-text"] = text
        data[f"corrections-{number}-published_at_0"] = at.strftime("%Y-%m-%d")
        data[f"corrections-{number}-published_at_1"] = at.strftime("%H:%M:%S")
        data[f"corrections-{number}-article"] = str(article.pk)
    for number, correction in enumerate(kept):
        data[f"corrections-{number}-id"] = str(correction.pk)
    data.update(fields)
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].errors


def atom_updated(entry) -> datetime:
    return datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))


def test_a_story_keeps_its_feed_ids_when_an_editor_changes_its_slug(
    story, editor_client, django_capture_on_commit_callbacks
):
    Correction.objects.create(article=story, text="The tour is in May.", published_at=PAST)
    reader = Client()
    permalink = f"{SITE}/article/{story.pk}/"

    def ids():
        (item,) = parse(reader.get("/feed/")).findall("channel/item")
        (entry,) = parse(reader.get("/feed/atom/")).findall("atom:entry", NS)
        (correction,) = parse(reader.get("/corrections/feed/")).findall("channel/item")
        return item.find("guid"), entry.findtext("atom:id", namespaces=NS), correction

    guid, atom_id, correction = ids()
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(editor_client, story, headline="Young captain named", slug="young-captain")
    new_guid, new_atom_id, new_correction = ids()

    # Readers remember the story by its id: it must not come back as a new item.
    assert (guid.text, atom_id) == (permalink, permalink)
    assert (new_guid.text, new_atom_id) == (permalink, permalink)
    assert guid.get("isPermaLink") == "true"  # it leads to the story, by a redirect
    assert correction.findtext("guid") == new_correction.findtext("guid")
    assert new_correction.findtext("guid").startswith(permalink + "#correction-")
    # The link itself follows the story to its new address.
    assert new_correction.findtext("link").startswith(SITE + "/article/")
    assert "/young-captain/#correction-" in new_correction.findtext("link")
    assert Client().get(permalink).status_code == 301


def test_a_correction_makes_feed_readers_see_the_story_as_updated(
    story, editor_client, django_capture_on_commit_callbacks
):
    reader = Client()
    (entry,) = parse(reader.get("/feed/atom/")).findall("atom:entry", NS)
    # Saved since (the factory's save), yet readers were told of no change.
    assert atom_updated(entry) == PAST

    corrected_at = datetime(2014, 11, 21, 1, 0, tzinfo=timezone.get_current_timezone())
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(editor_client, story, new_corrections=[("The tour is in May.", corrected_at)])

    feed = parse(reader.get("/feed/atom/"))
    (entry,) = feed.findall("atom:entry", NS)
    assert atom_updated(entry) == corrected_at
    assert datetime.fromisoformat(feed.findtext("atom:updated", namespaces=NS)) == corrected_at
    rss = reader.get("/feed/")
    assert parse(rss).findtext("channel/lastBuildDate") == format_datetime(
        corrected_at.astimezone(UTC)
    )
    # The same moment the story's page gives search engines as its dateModified.
    page = reader.get(story.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    (news,) = [data for data in map(json.loads, scripts) if data["@type"] == "NewsArticle"]
    assert datetime.fromisoformat(news["dateModified"]) == corrected_at


def test_only_a_substantive_update_or_a_made_correction_dates_a_story_in_feeds(story):
    # A typo fixed after publication, and a correction not due yet: nothing to tell readers.
    Article.objects.filter(pk=story.pk).update(updated_at=PAST + timedelta(hours=1))
    Correction.objects.create(
        article=story, text="Not made yet.", published_at=PAST + timedelta(days=2)
    )
    updated = PAST + timedelta(hours=2)
    ArticleFactory(headline="Budget passes", substantively_updated_at=updated)

    dates = {
        e.findtext("atom:title", namespaces=NS): atom_updated(e)
        for e in atom_entries("/feed/atom/")
    }

    assert dates == {"Captain named for the tour": PAST, "Budget passes": updated}


def test_urdu_stories_in_the_site_and_author_feeds_are_marked_as_urdu(story):
    amna = story.bylines.first().author
    ArticleFactory(headline="کپتان کا اعلان", language="ur", bylines=[amna])

    for path in ["/feed/atom/", "/author/amna/feed/atom/"]:
        feed = parse(Client().get(path))
        marked = {
            e.findtext("atom:title", namespaces=NS): e.get(XML_LANG)
            for e in feed.findall("atom:entry", NS)
        }
        assert feed.get(XML_LANG) == "en", path
        assert marked == {"کپتان کا اعلان": "ur", "Captain named for the tour": None}, path
    items = {
        item.findtext("title"): item.findtext("dc:language", namespaces=NS)
        for item in rss_items("/feed/")
    }
    assert items == {"کپتان کا اعلان": "ur", "Captain named for the tour": None}


def test_an_urdu_sections_feed_marks_none_of_its_urdu_stories():
    section = SectionFactory(slug="urdu-news", language="ur")
    ArticleFactory(headline="خبر", language="ur", section=section)

    feed = parse(Client().get("/section/urdu-news/feed/atom/"))

    assert feed.get(XML_LANG) == "ur"
    assert [e.get(XML_LANG) for e in feed.findall("atom:entry", NS)] == [None]


def test_the_corrections_feed_is_cached_and_refreshed_when_an_editor_adds_one(
    story, editor_client, django_capture_on_commit_callbacks
):
    reader = Client()
    reader.get("/corrections/feed/")
    cached = reader.get("/corrections/feed/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["ETag"] and cached["Cache-Control"].startswith("public")
    assert "feeds" in cached["Surrogate-Key"].split()
    assert reader.get("/corrections/feed/", HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 304

    at = timezone.localtime(PAST + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(editor_client, story, new_corrections=[("The tour is in May.", at)])

    items = parse(reader.get("/corrections/feed/")).findall("channel/item")
    assert [item.findtext("description") for item in items] == ["The tour is in May."]
