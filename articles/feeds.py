from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import Article, Section
from newsroom.site import ConfiguredSiteRequest

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    description_template = None

    def get_feed(self, obj, request):
        return super().get_feed(obj, ConfiguredSiteRequest(request))

    def title(self, section=None):
        return f"{settings.SITE_NAME}: {section.name}" if section else settings.SITE_NAME

    def link(self, section=None):
        return section.get_absolute_url() if section else reverse("articles:front-page")

    def description(self, section=None):
        where = f" in {section.name}" if section else ""
        return f"The latest stories{where} from {settings.SITE_NAME}."

    def articles(self, section=None):
        articles = Article.objects.published().for_listing()
        if section is not None:
            articles = articles.filter(section=section)
        return articles

    def items(self, section=None):
        return self.articles(section)[:FEED_LENGTH]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.standfirst

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all()) or None

    def item_categories(self, article):
        return [article.section.name]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)
