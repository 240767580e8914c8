from django.urls import path, register_converter

from articles import originals, preview_views, views
from articles.cache import FEEDS, cache_public_page, tagged
from articles.converters import RenditionNameConverter, UnicodeSlugConverter
from articles.feeds import (
    ArticleAtomFeed,
    ArticleFeed,
    AuthorAtomFeed,
    AuthorFeed,
    CorrectionsFeed,
    SectionAtomFeed,
    SectionFeed,
    TopicAtomFeed,
    TopicFeed,
)

register_converter(UnicodeSlugConverter, "slug_any_script")
register_converter(RenditionNameConverter, "rendition_name")

app_name = "articles"


def cached_feed(feed_class):
    # Every feed is purged with the others when any story is published, edited or withdrawn
    # (corrections are saved with their story, so the corrections feed is too).
    return cache_public_page(tagged(feed_class(), FEEDS))


urlpatterns = [
    path("", views.front_page, name="front-page"),
    path("feed/", cached_feed(ArticleFeed), name="feed"),
    path("feed/atom/", cached_feed(ArticleAtomFeed), name="feed-atom"),
    path("section/<slug_any_script:slug>/feed/", cached_feed(SectionFeed), name="section-feed"),
    path(
        "section/<slug_any_script:slug>/feed/atom/",
        cached_feed(SectionAtomFeed),
        name="section-feed-atom",
    ),
    path("author/<slug_any_script:slug>/feed/", cached_feed(AuthorFeed), name="author-feed"),
    path(
        "author/<slug_any_script:slug>/feed/atom/",
        cached_feed(AuthorAtomFeed),
        name="author-feed-atom",
    ),
    path(
        "section/<slug_any_script:slug>/", views.SectionDetailView.as_view(), name="section-detail"
    ),
    path("topic/<slug_any_script:slug>/feed/", cached_feed(TopicFeed), name="topic-feed"),
    path(
        "topic/<slug_any_script:slug>/feed/atom/",
        cached_feed(TopicAtomFeed),
        name="topic-feed-atom",
    ),
    path("topic/<slug_any_script:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("search/", views.search, name="search"),
    path("author/<slug_any_script:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("article/<int:pk>/", views.article_detail, name="article-short"),
    # Before the article's own address, whose slug would take "read" for a headline.
    path("article/<int:pk>/read/", views.count_read, name="article-read"),
    path("article/<int:pk>/<slug_any_script:slug>/", views.article_detail, name="article-detail"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", cached_feed(CorrectionsFeed), name="corrections-feed"),
    path("preview/<str:token>/", preview_views.article_preview, name="preview"),
    path("image/<int:pk>/<rendition_name:spec>", views.image_rendition, name="image-rendition"),
    path("image/original/<path:name>", originals.image_original, name="image-original"),
]
