"""What search engines and social sites read on every public page: a canonical address on
the configured site, a description, OpenGraph and Twitter card tags, schema.org data."""

import importlib
import io
import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Image, Rendition
from articles.rendition_store import ensure_renditions
from newsroom import settings as project_settings
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    uploaded_jpeg,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example"


class HeadReader(HTMLParser):
    """The <meta> tags, canonical link and JSON-LD of a page, as a crawler reads them."""

    def __init__(self, page: str):
        super().__init__()
        self.meta, self.canonical, self.json_ld, self._in_data = {}, [], [], False
        self.feeds = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.feeds.append((attrs["type"], attrs["href"]))
        self._in_data = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_data:
            self.json_ld.append(json.loads(data))
            self._in_data = False

    def one(self, key: str) -> str:
        (value,) = self.meta[key]
        return value


def head(response) -> HeadReader:
    assert response.status_code == 200
    return HeadReader(response.content.decode())


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL, settings.SITE_NAME = SITE, "Daily Example"
    settings.SITE_DESCRIPTION = "Independent news from the valley, every day."
    settings.ALLOWED_HOSTS = ["news.example", "evil.example", "testserver"]


def big_photo(**fields) -> Image:
    """A photo with its renditions made, as the task worker makes them after an upload."""
    photo = ImageFactory(file=uploaded_jpeg(size=(1600, 1000)), **fields)
    ensure_renditions(photo.pk)
    photo.refresh_from_db()
    return photo


def test_an_article_shared_on_social_sites_shows_its_headline_summary_and_wide_picture():
    author = AuthorFactory(name="Amna Rauf")
    photo = big_photo(alt_text="Flood water over the valley road")
    article = ArticleFactory(
        headline="Dam breach floods valley",
        standfirst="Hundreds moved to higher ground overnight.",
        bylines=[author],
        lead_image=photo,
    )

    page = head(Client().get(article.get_absolute_url()))

    address = SITE + article.get_absolute_url()
    share = Rendition.objects.get(image=photo, crop="share")
    assert (share.width, share.height, share.format) == (1200, 630, "jpeg")
    assert page.canonical == [address]
    assert page.one("description") == "Hundreds moved to higher ground overnight."
    assert page.one("og:type") == "article"
    assert page.one("og:title") == page.one("twitter:title") == "Dam breach floods valley"
    assert page.one("og:description") == "Hundreds moved to higher ground overnight."
    assert page.one("og:url") == address
    assert page.one("og:site_name") == "Daily Example"
    assert page.one("og:locale") == "en_US"
    assert page.one("og:image") == page.one("twitter:image") == SITE + share.file.url
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("1200", "630")
    assert page.one("og:image:type") == "image/jpeg"
    assert page.one("og:image:alt") == page.one("twitter:image:alt") == photo.alt_text
    assert page.one("twitter:card") == "summary_large_image"
    assert page.one("article:published_time") == timezone.localtime(PAST).isoformat()
    assert page.one("article:author") == SITE + author.get_absolute_url()


def test_an_article_without_a_standfirst_is_described_by_its_opening_words():
    article = ArticleFactory(standfirst="", body="<p>The &amp; river <b>rose</b> again.</p>")

    page = head(Client().get(article.get_absolute_url()))

    assert page.one("description") == "The & river rose again."


def test_a_story_without_a_photo_is_shared_with_the_logo_the_listings_show_on_a_small_card():
    article = ArticleFactory(lead_image=None)

    page = head(Client().get(article.get_absolute_url()))
    front = head(Client().get("/"))

    logo = SITE + "/static/logo.png"
    assert page.one("og:image") == page.one("twitter:image") == front.one("og:image") == logo
    assert page.one("og:image:type") == front.one("og:image:type") == "image/png"
    assert page.one("og:image:alt") == page.one("twitter:image:alt") == "Daily Example logo"
    # The logo is a 512-pixel square: the large card would crop it to a strip.
    assert page.one("twitter:card") == "summary"
    assert page.one("og:image:width") == front.one("og:image:width") == "512"
    assert page.one("og:image:height") == "512"
    (data,) = page.json_ld
    assert data["image"] == [logo]


def test_a_story_without_a_photo_is_shared_with_the_configured_logo(settings):
    settings.SITE_LOGO_URL = "https://cdn.example/brand/logo.png"

    page = head(Client().get(ArticleFactory(lead_image=None).get_absolute_url()))

    assert page.one("og:image") == page.one("twitter:image") == settings.SITE_LOGO_URL
    assert page.json_ld[0]["image"] == [settings.SITE_LOGO_URL]
    # Not read from here, so its size is not claimed.
    assert "og:image:width" not in page.meta


def test_the_article_data_names_its_type_required_properties_and_the_wide_picture():
    photo = big_photo()
    authors = [AuthorFactory(name="Amna Rauf"), AuthorFactory(name="Bilal Khan")]
    article = ArticleFactory(bylines=authors, lead_image=photo)

    (data,) = head(Client().get(article.get_absolute_url())).json_ld

    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    for required in ("headline", "image", "datePublished", "dateModified", "author"):
        assert data[required], required
    assert data["image"][0] == SITE + Rendition.objects.get(image=photo, crop="share").file.url
    assert [(a["@type"], a["name"], a["url"]) for a in data["author"]] == [
        ("Person", "Amna Rauf", SITE + authors[0].get_absolute_url()),
        ("Person", "Bilal Khan", SITE + authors[1].get_absolute_url()),
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["logo"]["url"].startswith(SITE + "/static/")


def test_a_configured_logo_is_the_publishers(settings):
    settings.SITE_LOGO_URL = "https://cdn.example/brand/logo.png"

    (data,) = head(Client().get(ArticleFactory().get_absolute_url())).json_ld

    assert data["publisher"]["logo"]["url"] == "https://cdn.example/brand/logo.png"


def test_the_front_page_describes_the_site_as_a_website():
    ArticleFactory()

    page = head(Client().get("/"))

    assert page.canonical == [SITE + "/"]
    assert page.one("description") == "Independent news from the valley, every day."
    assert page.one("og:type") == "website"
    assert page.one("og:title") == "Daily Example"
    assert page.one("og:image") == SITE + "/static/logo.png"
    assert page.one("og:image:type") == "image/png"
    (data,) = page.json_ld
    assert data["@type"] == "WebSite" and data["url"] == SITE + "/"
    assert data["name"] == "Daily Example"
    assert data["publisher"]["@type"] == "Organization"


def test_the_front_page_has_a_description_even_when_none_is_configured(settings):
    # The value the settings module read from an environment without SITE_DESCRIPTION.
    settings.SITE_DESCRIPTION = project_settings.SITE_DESCRIPTION

    description = head(Client().get("/")).one("description")

    assert (
        description == f"The latest news, analysis and comment from {project_settings.SITE_NAME}."
    )


def test_a_section_page_has_its_own_description_and_each_page_its_own_address(settings):
    settings.ARTICLES_PER_PAGE = 1
    sport = SectionFactory(name="Sport", slug="sport", description="Cricket, hockey and more.")
    ArticleFactory.create_batch(2, section=sport)
    bare = SectionFactory(name="Weather", slug="weather")

    first = head(Client().get("/section/sport/"))
    second = head(Client().get("/section/sport/?page=2&utm_source=x"))
    plain = head(Client().get("/section/weather/"))

    assert first.one("description") == "Cricket, hockey and more."
    assert first.canonical == [SITE + "/section/sport/"]
    assert second.canonical == [SITE + "/section/sport/?page=2"]
    assert plain.one("description") == "The latest Weather stories from Daily Example."
    assert plain.one("og:title") == f"{bare.name} · Daily Example"


def test_an_author_page_is_a_profile_page_about_a_person():
    portrait = ImageFactory(file=uploaded_jpeg(size=(400, 400)), alt_text="", is_decorative=True)
    author = AuthorFactory(name="Amna Rauf", bio="Covers water and energy.", photo=portrait)
    ArticleFactory(bylines=[author])

    page = head(Client().get(author.get_absolute_url()))

    assert page.canonical == [SITE + author.get_absolute_url()]
    assert page.one("description") == "Covers water and energy."
    assert page.one("og:type") == "profile"
    assert page.one("og:image:alt") == "Amna Rauf"
    (data,) = page.json_ld
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Amna Rauf"
    assert person["url"] == SITE + author.get_absolute_url()
    assert person["description"] == "Covers water and energy."
    assert person["image"].startswith(SITE + "/")


def test_every_public_page_names_the_configured_site_never_a_forged_host():
    author = AuthorFactory()
    article = ArticleFactory(bylines=[author], lead_image=big_photo())
    pages = [
        "/",
        article.section.get_absolute_url(),
        author.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:corrections"),
    ]

    for path in pages:
        forged = Client().get(path, HTTP_HOST="evil.example")
        page = head(forged)
        assert page.canonical == [SITE + path], path
        assert page.one("og:url") == SITE + path
        assert "evil.example" not in forged.content.decode(), path
        assert page.one("description"), path


def test_a_hostile_headline_reads_back_exactly_from_every_tag():
    headline = '"><script>alert(1)</script> & <!-- Ünïcode ☔'
    article = ArticleFactory(headline=headline, standfirst='Say "hi" <b>now</b>')

    response = Client().get(article.get_absolute_url())
    page = head(response)

    assert page.one("og:title") == page.one("twitter:title") == headline
    assert page.one("description") == 'Say "hi" now'
    assert page.json_ld[0]["headline"] == headline
    assert "<script>alert(1)" not in response.content.decode()


def test_every_listing_links_its_rss_and_atom_feeds():
    author = AuthorFactory(slug="amna")
    ArticleFactory(bylines=[author], section=SectionFactory(slug="sport"))
    site_feeds = [
        ("application/rss+xml", "/feed/"),
        ("application/atom+xml", "/feed/atom/"),
    ]

    assert head(Client().get("/")).feeds == site_feeds
    assert head(Client().get("/section/sport/")).feeds == [
        *site_feeds,
        ("application/rss+xml", "/section/sport/feed/"),
        ("application/atom+xml", "/section/sport/feed/atom/"),
    ]
    assert head(Client().get("/author/amna/")).feeds == [
        *site_feeds,
        ("application/rss+xml", "/author/amna/feed/"),
        ("application/atom+xml", "/author/amna/feed/atom/"),
    ]


# Existing photos and the new share picture


def without_share_picture(photo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the file goes too
        Rendition.objects.filter(image=photo, crop="share").delete()


def test_a_photo_stored_before_the_share_picture_existed_gets_one(
    time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    photo = big_photo()
    article = ArticleFactory(lead_image=photo)
    # As the library stood before this release: a whole set, marked made, with no share.
    without_share_picture(photo, django_capture_on_commit_callbacks)
    Image.objects.filter(pk=photo.pk).update(renditions_made_for=photo.rendition_key)
    release = importlib.import_module("articles.migrations.0014_share_rendition")

    release.mark_sets_incomplete(apps, None)

    og_image = head(Client().get(article.get_absolute_url())).one("og:image")
    assert og_image == SITE + reverse(
        "articles:image-rendition", kwargs={"pk": photo.pk, "spec": "share-1200.jpeg"}
    )
    assert Client().get(og_image.removeprefix(SITE)).status_code == 302
    photo.refresh_from_db()
    assert photo.renditions_made_for == photo.rendition_key


def test_make_renditions_queues_the_missing_pictures_of_every_image(
    django_capture_on_commit_callbacks,
):
    photo = big_photo()
    without_share_picture(photo, django_capture_on_commit_callbacks)

    out = io.StringIO()
    call_command("make_renditions", stdout=out)

    assert out.getvalue().strip() == "Queued renditions for 1 image(s)."

    assert Rendition.objects.filter(image=photo, crop="share").count() == 1
    photo.refresh_from_db()
    assert photo.renditions_made_for == photo.rendition_key


def test_an_articles_topics_are_its_tags_and_keywords():
    from articles.models import Topic

    article = ArticleFactory()
    article.topics.add(Topic.objects.create(name="Floods"), Topic.objects.create(name="Dams"))

    page = head(Client().get(article.get_absolute_url()))

    assert page.meta["article:tag"] == ["Dams", "Floods"]
    assert page.json_ld[0]["keywords"] == ["Dams", "Floods"]
