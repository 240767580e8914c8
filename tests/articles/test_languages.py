"""English and Urdu: pages in the story's language and direction, linked to their translations."""

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from articles.languages import article_languages, direction, language
from articles.models import Article, Correction, Topic
from articles.services import article_publish
from comments.services.counts import comment_count_refresh
from tests.factories import PAST, ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
OLDER = PAST - timedelta(days=1)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def urdu_section(**fields):
    return SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur", **fields)


def urdu_article(**fields):
    fields.setdefault("section", urdu_section())
    story = {
        "language": "ur",
        "headline": "کراچی میں بارش کے بعد بجلی بحال",
        "standfirst": "شہر کے بیشتر علاقوں میں رات گئے بجلی واپس آ گئی۔",
        "body": "<p>کراچی میں تیز بارش کے بعد کئی علاقوں میں بجلی بند رہی۔</p>",
    }
    return ArticleFactory(**{**story, **fields})


def opening_tag(page: str, pattern: str) -> str:
    match = re.search(pattern, page)
    assert match, f"no {pattern} in the page"
    return match.group(0)


# The languages and their direction


def test_the_newsroom_publishes_in_english_and_urdu_by_default():
    assert [(lang.code, lang.name_local, lang.direction) for lang in article_languages()] == [
        ("en", "English", "ltr"),
        ("ur", "اردو", "rtl"),
    ]
    assert language("ur").search_configuration == "simple"
    assert language("en").search_configuration == "english"
    assert direction("ar") == "rtl"


# Article pages


def test_an_urdu_article_page_reads_right_to_left_in_urdu(client):
    article = urdu_article(bylines=[AuthorFactory(name="Amina Qureshi")])

    page = html(client.get(article.get_absolute_url()))

    assert '<html lang="ur" dir="rtl">' in page
    assert 'lang="ur" dir="rtl"' in opening_tag(page, r"<article class=\"col-lg-8\"[^>]*>")
    # Bootstrap's mirrored stylesheet, shipped with the site, and the Nastaliq typeface's CSS.
    assert "/static/bootstrap/css/bootstrap.used.rtl.min.css" in page
    assert "bootstrap.used.min.css" not in page
    assert "/static/css/newsroom.css" in page
    # The interface in Urdu, dates as Urdu papers print them.
    assert "اشاعت:" in page
    assert "20 نومبر 2014" in page
    assert "قارئین کے تبصرے (0)" in page
    assert "مواد پر جائیں" in page  # Skip to content.
    assert "Published:" not in page
    # A Latin name keeps its own direction inside the Urdu byline.
    assert "<bdi>Amina Qureshi</bdi>" in page
    assert '<meta property="og:locale" content="ur_PK">' in page


def test_an_english_article_page_stays_left_to_right_in_english(client):
    article = ArticleFactory(section=SectionFactory())

    page = html(client.get(article.get_absolute_url()))

    assert '<html lang="en" dir="ltr">' in page
    assert 'lang="en" dir="ltr"' in opening_tag(page, r"<article class=\"col-lg-8\"[^>]*>")
    assert "/static/bootstrap/css/bootstrap.used.min.css" in page
    assert "rtl" not in opening_tag(page, r"<style data-stylesheet=\"[^\"]*bootstrap[^>]*>")
    assert "Published: <time" in page
    assert "November 20, 2014" in page


def test_the_nastaliq_font_and_its_licence_ship_with_the_site():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/newsroom.css"), encoding="utf-8").read()
    for name in re.findall(r"url\(\"\.\./(fonts/[^\"]+)\"\)", css):
        assert finders.find(name), name
    assert "Noto Nastaliq Urdu" in css
    licence = open(finders.find("fonts/noto-nastaliq-urdu/OFL.txt"), encoding="utf-8").read()
    assert "SIL Open Font License" in licence


# Translations link to each other


def test_a_story_and_its_translation_link_to_each_other_with_hreflang(client):
    english = ArticleFactory(headline="Power back in Karachi after the rain")
    urdu = urdu_article(translation_of=english)

    english_page = html(client.get(english.get_absolute_url()))
    urdu_page = html(client.get(urdu.get_absolute_url()))

    to_urdu = opening_tag(english_page, r"<a class=\"translation-link[^>]*>[^<]*</a>")
    assert f'href="{urdu.get_absolute_url()}"' in to_urdu
    assert 'hreflang="ur" lang="ur" dir="rtl"' in to_urdu
    assert "اردو میں پڑھیں</a>" in to_urdu
    to_english = opening_tag(urdu_page, r"<a class=\"translation-link[^>]*>[^<]*</a>")
    assert f'href="{english.get_absolute_url()}"' in to_english
    assert 'hreflang="en" lang="en" dir="ltr"' in to_english
    assert "Read in English</a>" in to_english
    # Both pages name both addresses, themselves included, for search engines.
    for page in (english_page, urdu_page):
        assert (
            f'<link rel="alternate" hreflang="en" href="{SITE}{english.get_absolute_url()}">'
            in page
        )
        assert (
            f'<link rel="alternate" hreflang="ur" href="{SITE}{urdu.get_absolute_url()}">' in page
        )


def test_a_translation_not_yet_published_is_not_linked(client):
    english = ArticleFactory()
    urdu_article(translation_of=english, status=Article.Status.DRAFT, published_at=None)

    page = html(client.get(english.get_absolute_url()))

    assert "translation-link" not in page
    assert 'hreflang="ur"' not in page


def test_a_story_without_translations_declares_no_alternates(client):
    page = html(client.get(ArticleFactory().get_absolute_url()))

    assert "hreflang" not in page


def test_publishing_a_translation_refreshes_the_cached_original(
    client, django_capture_on_commit_callbacks
):
    english = ArticleFactory()
    urdu = urdu_article(translation_of=english, status=Article.Status.DRAFT, published_at=None)
    assert "translation-link" not in html(client.get(english.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=urdu, at=PAST)

    assert "اردو میں پڑھیں" in html(client.get(english.get_absolute_url()))


@pytest.mark.parametrize(
    "case, message",
    [
        ("same language", "in another language"),
        ("translation of a translation", "is itself a translation"),
    ],
)
def test_an_editor_cannot_link_a_translation_that_makes_no_sense(case, message):
    english = ArticleFactory()
    urdu = urdu_article(translation_of=english)
    if case == "same language":
        story = ArticleFactory.build(section=english.section, translation_of=english)
    else:
        story = ArticleFactory.build(section=english.section, translation_of=urdu)

    with pytest.raises(ValidationError, match=message):
        story.full_clean()


def test_the_article_page_with_translations_stays_within_eight_queries(
    client, django_assert_max_num_queries
):
    english = ArticleFactory(bylines=[AuthorFactory(), AuthorFactory()])
    urdu_article(translation_of=english)

    with django_assert_max_num_queries(8):
        assert "اردو میں پڑھیں" in html(client.get(english.get_absolute_url()))


# A story and its translations are one story


def listed_beside(page: str) -> str:
    """What an article page lists beside the story: related, and more from its section."""
    return page.split('<aside class="col-lg-4"')[1].split("</aside>")[0]


def test_a_story_and_its_translation_are_not_listed_beside_each_other(client):
    floods = Topic.objects.create(name="Floods")
    section = SectionFactory(name="Pakistan", other_names={"ur": "پاکستان"})
    english = ArticleFactory(headline="Floods reach Sukkur", section=section)
    urdu = urdu_article(headline="سیلاب سکھر پہنچ گیا", section=section, translation_of=english)
    other = ArticleFactory(headline="Barrage gates opened", section=section, published_at=OLDER)
    for story in (english, urdu, other):
        story.topics.add(floods)

    english_page = html(client.get(english.get_absolute_url()))
    urdu_page = html(client.get(urdu.get_absolute_url()))

    # Each reaches the other through its language link alone, not as another story.
    assert urdu.headline not in listed_beside(english_page)
    assert english.headline not in listed_beside(urdu_page)
    assert other.headline in listed_beside(english_page)
    assert other.headline in listed_beside(urdu_page)


def test_a_related_story_and_its_translation_are_listed_once_in_the_pages_language(client):
    floods = Topic.objects.create(name="Floods")
    english = ArticleFactory(headline="Floods reach Sukkur")
    urdu = urdu_article(headline="سیلاب سکھر پہنچ گیا", translation_of=english)
    other = ArticleFactory(headline="Barrage gates opened", published_at=OLDER)
    other_in_urdu = urdu_article(
        headline="بیراج کے دروازے کھول دیے گئے", translation_of=other, published_at=OLDER
    )
    for story in (english, urdu, other, other_in_urdu):
        story.topics.add(floods)

    english_related = listed_beside(html(client.get(english.get_absolute_url())))
    urdu_related = listed_beside(html(client.get(urdu.get_absolute_url())))

    assert other.headline in english_related and other_in_urdu.headline not in english_related
    assert other_in_urdu.headline in urdu_related and other.headline not in urdu_related


@pytest.mark.parametrize("original_language", ["en", "ur"])
def test_the_front_page_shows_a_story_and_its_translation_once_in_the_pages_language(
    client, original_language
):
    ArticleFactory(headline="Budget passed", is_front_page_lead=True, published_at=OLDER)
    english_fields = {"headline": "Power back in Karachi after the rain"}
    if original_language == "en":
        english = ArticleFactory(**english_fields)
        urdu = urdu_article(translation_of=english, published_at=PAST + timedelta(hours=1))
    else:
        urdu = urdu_article(published_at=PAST + timedelta(hours=1))
        english = ArticleFactory(**english_fields, translation_of=urdu, language="en")
    older = ArticleFactory(headline="Bus fares frozen", published_at=OLDER)

    page = html(client.get("/"))

    top_stories = page.split('id="top-stories"')[1].split("</section>")[0]
    assert english.headline in top_stories
    assert urdu.headline not in page
    # Its place beside the lead goes to the next story.
    assert older.headline in top_stories


# Sections, fronts and names in both languages


def test_an_urdu_section_front_is_in_urdu_and_right_to_left(client):
    section = urdu_section(description="ملک بھر سے خبریں")
    urdu_article(section=section)

    page = html(client.get(section.get_absolute_url()))

    assert '<html lang="ur" dir="rtl">' in page
    assert '<div class="section-page" lang="ur" dir="rtl">' in page
    assert "کراچی میں بارش کے بعد بجلی بحال" in page
    assert "20 نومبر 2014" in page


def test_the_english_front_page_marks_urdu_stories_and_sections_as_urdu(client):
    urdu = urdu_article()
    english_section = SectionFactory(name="Sport", other_names={"ur": "کھیل"})
    ArticleFactory(section=english_section, is_front_page_lead=True)
    # Newer English stories fill the places beside the lead: the Urdu one stays in its section.
    for _ in range(6):
        ArticleFactory(section=english_section)

    page = html(client.get("/"))

    assert '<html lang="en" dir="ltr">' in page
    urdu_front = opening_tag(
        page, r"<section class=\"front-section[^>]*section-pakistan-urdu[^>]*>"
    )
    assert 'lang="ur" dir="rtl"' in urdu_front
    teaser = opening_tag(page, r"<article class=\"teaser[^>]*>(?=\s*(?:<[^>]*>\s*)*" + "کراچی)")
    assert 'lang="ur" dir="rtl"' in teaser
    assert urdu.headline in page
    # The navigation names the Urdu section in Urdu, marked so; English ones in English.
    assert f'<a class="nav-link" href="{urdu.section.get_absolute_url()}" lang="ur" dir="rtl">' in (
        page
    )
    assert ">Sport</a>" in page


def test_an_english_story_related_to_an_urdu_one_is_marked_english_on_its_page(client):
    transport = Topic.objects.create(name="Transport")
    english = ArticleFactory(headline="Karachi's new bus line opens", published_at=PAST)
    english.topics.add(transport)
    urdu = urdu_article()
    urdu.topics.add(transport)

    page = html(client.get(urdu.get_absolute_url()))

    related = page.split('id="related-stories"')[1].split("</section>")[0]
    item = opening_tag(related, r"<li [^>]*>(?=<a [^>]*>Karachi&#x27;s new bus line)")
    assert 'lang="en" dir="ltr"' in item


def test_an_urdu_page_shows_sections_and_bylines_by_their_urdu_names(client):
    english_section = SectionFactory(name="Sport", other_names={"ur": "کھیل"})
    author = AuthorFactory(name="Sana Mirza", other_names={"ur": "ثنا مرزا"})
    article = urdu_article(section=english_section, bylines=[author])

    page = html(client.get(article.get_absolute_url()))

    assert ">کھیل</a>" in page
    assert "<bdi>ثنا مرزا</bdi>" in page
    assert "Sana Mirza" not in page


# Feeds, sitemap and structured data


def test_an_urdu_sections_feed_says_it_is_in_urdu(client):
    section = urdu_section()
    urdu_article(section=section)

    feed = html(client.get(reverse("articles:section-feed", kwargs={"slug": section.slug})))
    main = html(client.get(reverse("articles:feed")))

    assert "<language>ur</language>" in feed
    assert "کراچی میں بارش کے بعد بجلی بحال" in feed
    assert "<language>en</language>" in main


def test_the_sitemap_lists_each_story_with_its_translations_as_alternates(client):
    english = ArticleFactory()
    urdu = urdu_article(translation_of=english)
    alone = ArticleFactory()

    sitemap = html(client.get(reverse("sitemap-section", kwargs={"section": "articles"})))

    english_url, urdu_url = SITE + english.get_absolute_url(), SITE + urdu.get_absolute_url()
    for url in (english_url, urdu_url):
        entry = sitemap.split(f"<loc>{url}</loc>")[1].split("</url>")[0]
        assert f'<xhtml:link rel="alternate" hreflang="en" href="{english_url}"/>' in entry
        assert f'<xhtml:link rel="alternate" hreflang="ur" href="{urdu_url}"/>' in entry
    alone_entry = sitemap.split(f"<loc>{SITE}{alone.get_absolute_url()}</loc>")[1]
    assert "xhtml:link" not in alone_entry.split("</url>")[0]


def test_the_news_sitemap_gives_each_story_its_own_language(client):
    english, urdu = ArticleFactory(), urdu_article()

    with time_machine.travel(PAST + timedelta(hours=1), tick=False):
        sitemap = html(client.get(reverse("news-sitemap")))

    for story, code in ((english, "en"), (urdu, "ur")):
        entry = sitemap.split(f"<loc>{SITE}{story.get_absolute_url()}</loc>")[1]
        assert f"<news:language>{code}</news:language>" in entry.split("</url>")[0]


def json_ld(page: str) -> dict:
    return json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_structured_data_names_the_language_and_the_translations(client):
    english = ArticleFactory()
    urdu = urdu_article(translation_of=english)

    english_data = json_ld(html(client.get(english.get_absolute_url())))
    urdu_data = json_ld(html(client.get(urdu.get_absolute_url())))

    assert english_data["inLanguage"] == "en"
    assert english_data["workTranslation"] == [
        {"@type": "NewsArticle", "@id": SITE + urdu.get_absolute_url(), "inLanguage": "ur"}
    ]
    assert urdu_data["inLanguage"] == "ur"
    assert urdu_data["headline"] == "کراچی میں بارش کے بعد بجلی بحال"
    assert urdu_data["translationOfWork"] == {
        "@type": "NewsArticle",
        "@id": SITE + english.get_absolute_url(),
        "inLanguage": "en",
    }


# The interface's own words in Urdu: every string readers see is in the catalogue


PO_FILE = django_settings.BASE_DIR / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def gettext_tool(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def msgids(po_text: str) -> list[str]:
    """The messages of a catalogue printed without wrapping, its header left out."""
    return [
        line for line in po_text.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
    ]


def test_every_interface_string_has_a_checked_urdu_translation():
    # msgfmt --check refuses a translation whose %(name)s placeholders differ from the English.
    gettext_tool("msgfmt", "--check", "--output-file", os.devnull, str(PO_FILE))

    untranslated = gettext_tool("msgattrib", "--untranslated", "--no-wrap", str(PO_FILE))
    fuzzy = gettext_tool("msgattrib", "--only-fuzzy", "--no-wrap", str(PO_FILE))

    assert msgids(untranslated) == [], "translate these in locale/ur/LC_MESSAGES/django.po"
    assert msgids(fuzzy) == [], "check these guesses of make messages and drop their fuzzy flag"


# What `make messages` leaves out (besides hidden folders such as .venv) and the files it reads.
NOT_MESSAGES = {"staticfiles", "media", "tests", "benchmarks", "locale"}
MESSAGE_SOURCES = (".py", ".html", ".txt")


def _only_message_sources(folder, names):
    return [
        name
        for name in names
        if name.startswith(".")
        or name == "__pycache__"
        or (folder == str(django_settings.BASE_DIR) and name in NOT_MESSAGES)
        or ("." in name and not name.endswith(MESSAGE_SOURCES))
    ]


def test_the_catalogue_holds_exactly_the_strings_the_code_marks(tmp_path, monkeypatch):
    # `make messages` run on a copy of the sources and the catalogue (makemessages writes
    # into the locale folder beside the files it reads): a string marked in a template or in
    # Python but missing from the committed catalogue, or one left there after its last use
    # went, fails here.
    sources = tmp_path / "sources"
    shutil.copytree(django_settings.BASE_DIR, sources, ignore=_only_message_sources)
    copy = sources / "locale" / "ur" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(PO_FILE, copy)
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[sources / "locale"]):
        call_command(
            "makemessages", locale=["ur"], no_obsolete=True, add_location="file", verbosity=0
        )

    extracted = set(msgids(gettext_tool("msgcat", "--no-wrap", str(copy))))
    committed = set(msgids(gettext_tool("msgcat", "--no-wrap", str(PO_FILE))))
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
    assert committed - extracted == set(), "run `make messages`: these are no longer used"


ENGLISH_INTERFACE = (
    "Share this story",
    "Share on Facebook",
    "Share on WhatsApp",
    "Share by email",
    "Copy link",
    "Link copied.",
    "Could not copy the link",
    "Search stories",
    ">Search<",
    ">Related<",
    '"Topics"',
    "Topics:",
    "More stories",
    "More in ",
    "Reader Comments",
    "Skip to content",
    ">Corrections<",
    ">Next<",
    ">Previous<",
    ">Older<",
    ">Page ",
)


def english_interface_in(page: str) -> list[str]:
    return [words for words in ENGLISH_INTERFACE if words in page]


def test_every_part_of_an_urdu_article_page_speaks_urdu(client):
    floods = Topic.objects.create(name="سیلاب", slug="floods-urdu")
    article = urdu_article()
    article.topics.add(floods)
    other = urdu_article(section=article.section, headline="لاہور میں بھی بارش")
    other.topics.add(floods)
    CommentFactory(article=article)
    comment_count_refresh(article_id=article.pk)

    page = html(client.get(article.get_absolute_url()))

    assert "یہ خبر شیئر کریں" in page  # Share this story.
    assert ">فیس بک پر شیئر کریں</a>" in page
    assert ">واٹس ایپ پر شیئر کریں</a>" in page
    assert ">لنک کاپی کریں</button>" in page
    # The copy button's script reads its messages from the page, in its language.
    assert 'data-copied="لنک کاپی ہو گیا۔"' in page
    assert ">متعلقہ خبریں</h2>" in page  # Related.
    assert 'aria-label="موضوعات"' in page  # Topics.
    assert 'placeholder="خبریں تلاش کریں"' in page  # The header's search box.
    assert '<input type="hidden" name="lang" value="ur">' in page
    assert 'aria-label="مزید خبریں"' in page  # More stories.
    # One comment is singular in Urdu; the heading below and the count above agree.
    assert "قارئین کا تبصرہ (1)" in page
    assert "تبصرہ (1)</a>" in page
    assert english_interface_in(page) == []


def test_an_english_article_page_keeps_its_english_interface(client):
    topic = Topic.objects.create(name="Floods", slug="floods")
    article = ArticleFactory()
    article.topics.add(topic)
    ArticleFactory(section=article.section).topics.add(topic)

    page = html(client.get(article.get_absolute_url()))

    for words in ("Share this story", ">Share on Facebook<", ">Copy link<", ">Related<"):
        assert words in page
    assert 'data-copied="Link copied."' in page
    assert 'placeholder="Search stories"' in page
    assert "Reader Comments (0)" in page


def test_an_urdu_section_front_pages_through_its_stories_in_urdu(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    section = urdu_section()
    urdu_article(section=section)
    urdu_article(section=section, headline="لاہور میں بھی بارش")

    first = html(client.get(section.get_absolute_url()))
    second = html(client.get(section.get_absolute_url() + "?page=2"))

    assert ">پرانی خبریں</a>" in first  # Older.
    assert "صفحہ 1" in first
    assert ">نئی خبریں</a>" in second  # Newer.
    assert 'placeholder="خبریں تلاش کریں"' in first
    assert ">تصحیحات</a>" in first  # The footer's corrections link.
    for page in (first, second):
        assert english_interface_in(page) == []


def search_page(client, **params) -> str:
    headers = params.pop("headers", {})
    return html(client.get(reverse("articles:search"), params, headers=headers))


def test_a_search_sent_from_an_urdu_page_answers_in_urdu(client, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 1
    first_story = urdu_article()
    urdu_article(section=first_story.section, headline="کراچی میں پھر بارش")

    first = search_page(client, q="کراچی", lang="ur")
    second = search_page(client, q="کراچی", lang="ur", page=2)

    assert '<html lang="ur" dir="rtl">' in first
    assert ">تلاش</h1>" in first
    assert ">اگلا</a>" in first  # Next.
    assert "lang=ur" in opening_tag(first, r'<a class="page-link"[^>]*rel="next">')
    assert ">پچھلا</a>" in second  # Previous.
    assert ">تازہ ترین پہلے</option>" in first  # Newest first.
    for page in (first, second):
        assert english_interface_in(page) == []
        assert "Best match" not in page


def test_the_search_page_answers_a_reader_whose_browser_asks_for_urdu_in_urdu(client):
    urdu = search_page(client, q="qwertyuiop", headers={"accept-language": "ur,en;q=0.5"})
    english = search_page(client, q="qwertyuiop", headers={"accept-language": "en-GB"})

    assert "“qwertyuiop” سے ملتی کوئی خبر نہیں۔" in urdu
    assert "No stories match “qwertyuiop”" in english
    # Neither can stand in for the other in a browser's or a proxy's cache.
    response = client.get(reverse("articles:search"), {"q": "x"})
    assert "Accept-Language" in response["Vary"]


def test_an_urdu_search_offers_the_sections_by_their_urdu_names(client):
    SectionFactory(name="Sport", slug="sport", other_names={"ur": "کھیل"})

    urdu = search_page(client, q="کرکٹ", lang="ur")
    english = search_page(client, q="cricket", lang="en")

    assert '<option value="sport">کھیل</option>' in urdu
    assert '<option value="sport">Sport</option>' in english


def test_an_urdu_search_refused_filter_is_explained_in_urdu(client):
    page = search_page(client, q="بارش", lang="ur", section="nowhere", until="yesterday")

    assert "“nowhere” نام کا کوئی شعبہ نہیں" in page
    assert "There is no section" not in page


def test_a_missing_page_at_an_urdu_address_says_so_in_urdu(client):
    response = client.get("/section/کھیل-کود/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "ہمیں یہ صفحہ نہیں ملا" in page
    assert ">سرورق پر جائیں</a>" in page
    assert "We couldn't find that page" not in page
    assert english_interface_in(page) == []


def test_a_missing_page_past_the_last_of_an_urdu_section_is_in_urdu(client):
    section = urdu_section()
    urdu_article(section=section)

    response = client.get(section.get_absolute_url() + "?page=9")

    assert response.status_code == 404
    assert "ہمیں یہ صفحہ نہیں ملا" in response.content.decode()


def test_a_missing_page_answers_in_the_readers_language(client):
    urdu = client.get("/no-such-page/", headers={"accept-language": "ur"})
    english = client.get("/no-such-page/", headers={"accept-language": "de, en;q=0.8"})
    plain = client.get("/no-such-page/")

    assert urdu.status_code == english.status_code == plain.status_code == 404
    assert "ہمیں یہ صفحہ نہیں ملا" in urdu.content.decode()
    assert "We couldn't find that page" in english.content.decode()
    assert "We couldn't find that page" in plain.content.decode()
    assert "Accept-Language" in urdu["Vary"]
    assert "X-Page-Cache" not in urdu and "X-Page-Cache" not in english


def test_an_urdu_sections_feeds_are_titled_and_described_in_urdu(client):
    section = urdu_section()
    urdu_article(section=section)

    rss = html(client.get(reverse("articles:section-feed", kwargs={"slug": section.slug})))
    atom = html(client.get(reverse("articles:section-feed-atom", kwargs={"slug": section.slug})))
    english = html(
        client.get(reverse("articles:section-feed", kwargs={"slug": SectionFactory().slug}))
    )

    name = django_settings.SITE_NAME
    assert f"<title>{name}: پاکستان</title>" in rss
    assert f"<description>{name} سے پاکستان کی تازہ ترین خبریں۔</description>" in rss
    assert f"<subtitle>{name} سے پاکستان کی تازہ ترین خبریں۔</subtitle>" in atom
    for feed in (rss, atom):
        assert "The latest stories" not in feed
    assert "The latest stories in" in english


def test_a_correction_in_an_urdu_feed_is_dated_in_urdu(client):
    section = urdu_section()
    article = urdu_article(section=section)
    Correction.objects.create(article=article, text="نام درست کر دیا گیا۔", published_at=PAST)

    rss = html(client.get(reverse("articles:section-feed", kwargs={"slug": section.slug})))

    assert "تصحیح، 20 نومبر 2014: نام درست کر دیا گیا۔" in rss


@override_settings(DEBUG=False)
def test_a_server_error_answers_a_reader_of_urdu_in_urdu(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.Article.objects.published", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/", headers={"accept-language": "ur"})

    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "ہماری طرف کوئی خرابی ہو گئی" in page
    assert "Something went wrong" not in page
