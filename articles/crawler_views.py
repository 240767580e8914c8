"""What search engines fetch before any page: robots.txt, the sitemaps and the news sitemap."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.cache import SITEMAP, cache_public_page, page_tag
from articles.sitemaps import news_language, news_sitemap_articles, sitemaps
from newsroom.site import ConfiguredSiteRequest, absolute_url


@require_safe
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"site_url": settings.SITE_URL},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@cache_public_page
def sitemap_index(request):
    page_tag(request, SITEMAP)
    return sitemap_views.index(
        ConfiguredSiteRequest(request), sitemaps, sitemap_url_name="sitemap-section"
    )


@require_safe
@cache_public_page
def sitemap_section(request, section):
    page_tag(request, SITEMAP)
    return sitemap_views.sitemap(ConfiguredSiteRequest(request), sitemaps, section=section)


@require_safe
@cache_public_page
def news_sitemap(request):
    """The stories of the last two days for Google News, with name, language and title."""
    page_tag(request, SITEMAP)
    # Each story in its own language: an Urdu story is an Urdu publication's to Google News.
    articles = [
        (absolute_url(article.get_absolute_url()), article, news_language(article.language))
        for article in news_sitemap_articles()
    ]
    return render(
        request,
        "sitemaps/news_sitemap.xml",
        {
            "articles": articles,
            "publication_name": settings.SITE_NAME,
        },
        content_type="application/xml; charset=utf-8",
    )
