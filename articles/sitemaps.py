from django.contrib.sitemaps import Sitemap

from articles.models import Article, Author, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "slug", "updated_at").order_by("-pk")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Author.objects.filter(articles__status=Article.Status.PUBLISHED).distinct()


sitemaps = {"articles": ArticleSitemap, "sections": SectionSitemap, "authors": AuthorSitemap}
