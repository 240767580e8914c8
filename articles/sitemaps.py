from django.contrib.sitemaps import Sitemap

from articles.models import Article, Author, Section
from newsroom.site import site_host, site_is_secure


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
        return Article.objects.published().only("pk", "slug", "updated_at").order_by("-pk")

    def lastmod(self, article):
        return article.updated_at


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


sitemaps = {"articles": ArticleSitemap, "sections": SectionSitemap, "authors": AuthorSitemap}
