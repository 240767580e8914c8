from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation

from articles.languages import default_language
from articles.models import Article, Correction, Section
from newsroom.site import ConfiguredSiteRequest

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    description_template = None

    def get_feed(self, obj, request):
        # A section's feed is in its language (<language>, its words); the others in the
        # site's main one.
        with translation.override(obj.language if obj is not None else default_language()):
            return super().get_feed(obj, ConfiguredSiteRequest(request))

    def title(self, section=None):
        return f"{settings.SITE_NAME}: {section.name}" if section else settings.SITE_NAME

    def link(self, section=None):
        return section.get_absolute_url() if section else reverse("articles:front-page")

    def description(self, section=None):
        where = f" in {section.name}" if section else ""
        return f"The latest stories{where} from {settings.SITE_NAME}."

    def articles(self, section=None):
        articles = Article.objects.published().for_listing().prefetch_related("corrections")
        if section is not None:
            articles = articles.filter(section=section)
        return articles

    def items(self, section=None):
        return self.articles(section)[:FEED_LENGTH]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        corrections = [
            f"Correction, {c.published_at:%B %-d, %Y}: {c.text}"
            for c in article.corrections.all()
            if c.published_at <= timezone.now()
        ]
        return "\n\n".join([article.standfirst, *corrections]).strip()

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


class CorrectionsFeed(Feed):
    """The newsroom's corrections as they are made, for readers and aggregators."""

    def get_feed(self, obj, request):
        return super().get_feed(obj, ConfiguredSiteRequest(request))

    def title(self):
        return f"{settings.SITE_NAME}: corrections"

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return f"Corrections to stories published by {settings.SITE_NAME}."

    def items(self):
        return Correction.objects.public().select_related("article")[:FEED_LENGTH]

    def item_title(self, correction):
        return f"Correction: {correction.article.headline}"

    def item_description(self, correction):
        return correction.text

    def item_pubdate(self, correction):
        return correction.published_at
