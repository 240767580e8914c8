"""Sitemaps: an index of articles (in blocks), sections, authors and topics, and a Google News
sitemap of the last two days. Only what readers may see; addresses from SITE_URL."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from articles.models import Article, Author, Section, Topic
from newsroom.site import absolute_url, site_host, site_is_secure

# Google reads at most 1,000 stories from a news sitemap.
NEWS_SITEMAP_LIMIT = 1000


class SiteSitemap(Sitemap):
    """Addresses on the configured site, whatever Host the request named."""

    def get_domain(self, site=None):
        return site_host()

    def get_protocol(self, protocol=None):
        return "https" if site_is_secure() else "http"


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "updated_at", "language", "translation_of_id")
            .with_translations()
            .order_by("-pk")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        # A story and its translations name each other (and themselves) as alternates, as
        # their pages' hreflang links do; Django's sitemap template writes the xhtml:link.
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            article = url["item"]
            translations = article.translations_for_readers
            if translations:
                url["alternates"] = [
                    {"location": url["location"], "lang_code": article.language},
                    *(
                        {
                            "location": absolute_url(other.get_absolute_url()),
                            "lang_code": other.language,
                        }
                        for other in translations
                    ),
                ]
        return urls

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django's default loads every published article to find the newest edit, and even
        # MAX() reads the whole archive: each address in the blocks carries its own date.
        return None


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


class AuthorSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        # published(), not the status alone: an author whose only story is scheduled must
        # not appear before it does (an embargo leak).
        return Author.objects.known_to_readers().order_by("slug")


class TopicSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        # Only topics with a published story: one made for a scheduled scoop would leak it.
        return Topic.objects.known_to_readers().order_by("slug")


sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}


def news_sitemap_articles():
    """The stories a news sitemap lists: published in the last NEWS_SITEMAP_HOURS."""
    since = timezone.now() - timedelta(hours=settings.NEWS_SITEMAP_HOURS)
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("pk", "slug", "headline", "published_at", "language")
        .order_by("-published_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )


def news_language(code: str = "") -> str:
    """A story's language (or the site's) as Google News wants it: ISO 639 ("en", "ur"),
    Chinese with its script."""
    code = (code or settings.LANGUAGE_CODE).lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]
