"""RSS and Atom feeds of published stories (the whole site, a section, an author, a
topic) and of corrections. Addresses come from SITE_URL, never from the request's Host header.

Each item's id (RSS guid, Atom id) is the story's pk-only permalink, which no headline
edit changes: a reader keyed on the slugged address would show a renamed story again.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from articles.languages import default_language
from articles.models import Article, Author, Correction, Rendition, Section, Topic
from articles.structured_data import absolute
from newsroom.site import ConfiguredSiteRequest, absolute_url

FEED_LENGTH = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def in_other_language(feed, item) -> str:
    """The item's language when it is not the feed's (an Urdu story in the site-wide feed)."""
    language = item.get("language") or ""
    return language if language.lower() != (feed.feed["language"] or "").lower() else ""


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 naming every author of a story (Dublin Core creators), not only the first."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _ in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        # RSS 2.0 has no language per item; Dublin Core's is the one readers may know.
        if language := in_other_language(self, item):
            handler.addQuickElement("dc:language", language)


class NewsAtomFeed(Atom1Feed):
    """Atom with one <author> per byline, each linking to the author's page."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if language := in_other_language(self, item):
            # Readers pick fonts, direction and hyphenation by it: Urdu is not English.
            attributes["xml:lang"] = language
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")


def article_permalink(article_id: int) -> str:
    """The story's address without its slug: it redirects to the current one, forever."""
    return absolute_url(reverse("articles:article-short", kwargs={"pk": article_id}))


def corrections_made(article: Article) -> list[Correction]:
    """The corrections readers can see now, from the prefetched ones (some may be due later)."""
    return [c for c in article.corrections.all() if c.published_at <= timezone.now()]


class ArticleFeed(Feed):
    """The newest published stories of the whole site."""

    feed_type = NewsRssFeed
    description_template = None

    def get_feed(self, obj, request):
        # A section's feed is in its language (<language>, title, description, dates); the
        # others in the site's main one.
        language = getattr(obj, "language", None) or default_language()
        with translation.override(language):
            return super().get_feed(obj, ConfiguredSiteRequest(request))

    def title(self, obj=None):
        if obj is None:
            return settings.SITE_NAME
        return gettext("%(site_name)s: %(name)s") % {
            "site_name": settings.SITE_NAME,
            "name": obj.name,
        }

    def link(self, obj=None):
        return obj.get_absolute_url() if obj else reverse("articles:front-page")

    def description(self, obj=None):
        return gettext("The latest stories from %(site_name)s.") % {"site_name": settings.SITE_NAME}

    def filter_articles(self, articles, obj):
        return articles

    def items(self, obj=None):
        articles = (
            Article.objects.published()
            .for_listing()
            .with_topics()
            .prefetch_related(
                "corrections",
                # The enclosure names its file's length: the share picture's row carries it.
                Prefetch(
                    "lead_image__renditions",
                    Rendition.objects.filter(crop=Rendition.Crop.SHARE, format="jpeg"),
                    to_attr="share_renditions",
                ),
            )
            .order_by("-published_at", "-pk")
        )
        return self.filter_articles(articles, obj)[:FEED_LENGTH]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        # HTML, as feed readers expect: the standfirst and any corrections made, escaped.
        corrections = [
            (
                gettext("Correction, %(date)s:")
                % {"date": formats.date_format(timezone.localtime(c.published_at))},
                c.text,
            )
            for c in corrections_made(article)
        ]
        standfirst = format_html("<p>{}</p>", article.standfirst) if article.standfirst else ""
        made = format_html_join("", "<p>{} {}</p>", corrections)
        return standfirst + made

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # As the page's structured data dates it, so feed readers notice a correction.
        return article.modified_for_readers(article.corrections.all())

    def item_guid(self, article):
        return article_permalink(article.pk)

    item_guid_is_permalink = True

    def item_extra_kwargs(self, article):
        return {
            "language": article.language,
            "authors": [
                (byline.author.name, absolute_url(byline.author.get_absolute_url()))
                for byline in article.bylines.all()
            ],
        }

    def item_categories(self, article):
        section = [article.section.name] if article.section_id else []
        return [*section, *(topic.name for topic in article.listed_topics)]

    def item_enclosures(self, article):
        image = article.lead_image
        if image is None:
            return []
        key = image.rendition_key
        made = [r for r in image.share_renditions if r.source_key == key]
        if not made:
            return []  # not made yet: the next feed after the task has run carries it
        return [Enclosure(absolute(made[0].file.url), str(made[0].file_size), "image/jpeg")]


class SectionFeed(ArticleFeed):
    """The newest published stories of one section."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def description(self, section):
        return gettext("The latest stories in %(section)s from %(site_name)s.") % {
            "section": section.name,
            "site_name": settings.SITE_NAME,
        }

    def filter_articles(self, articles, section):
        return articles.filter(section=section)


class AuthorFeed(ArticleFeed):
    """The newest published stories carrying one author's byline."""

    def get_object(self, request, slug):
        # A guest whose only story is scheduled stays unknown, as on their page.
        return get_object_or_404(Author.objects.known_to_readers(), slug=slug)

    def description(self, author):
        return gettext("The latest stories by %(author)s for %(site_name)s.") % {
            "author": author.name,
            "site_name": settings.SITE_NAME,
        }

    def filter_articles(self, articles, author):
        return articles.filter(bylines__author=author)


class TopicFeed(ArticleFeed):
    """The newest published stories on one topic."""

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        if not Article.objects.published().filter(topics=topic).exists():
            # A topic made for a scheduled scoop stays unknown, as on its page.
            raise Http404("No such topic.")
        return topic

    def description(self, topic):
        return gettext("The latest stories on %(topic)s from %(site_name)s.") % {
            "topic": topic.name,
            "site_name": settings.SITE_NAME,
        }

    def filter_articles(self, articles, topic):
        return articles.filter(topics=topic)


class AtomFeedMixin:
    """The same feed in Atom: the newsroom is the author of record for unsigned stories."""

    feed_type = NewsAtomFeed

    def subtitle(self, obj=None):
        return self.description(obj)

    def author_name(self):
        return settings.SITE_NAME


class ArticleAtomFeed(AtomFeedMixin, ArticleFeed):
    pass


class SectionAtomFeed(AtomFeedMixin, SectionFeed):
    pass


class AuthorAtomFeed(AtomFeedMixin, AuthorFeed):
    pass


class TopicAtomFeed(AtomFeedMixin, TopicFeed):
    pass


class CorrectionsFeed(Feed):
    """The newsroom's corrections as they are made, for readers and aggregators."""

    def get_feed(self, obj, request):
        return super().get_feed(obj, ConfiguredSiteRequest(request))

    def title(self):
        return gettext("%(site_name)s: corrections") % {"site_name": settings.SITE_NAME}

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return gettext("Corrections to stories published by %(site_name)s.") % {
            "site_name": settings.SITE_NAME
        }

    def items(self):
        return Correction.objects.public().select_related("article")[:FEED_LENGTH]

    def item_title(self, correction):
        return gettext("Correction: %(headline)s") % {"headline": correction.article.headline}

    def item_description(self, correction):
        return correction.text

    def item_pubdate(self, correction):
        return correction.published_at

    def item_guid(self, correction):
        return f"{article_permalink(correction.article_id)}#correction-{correction.pk}"

    item_guid_is_permalink = True
