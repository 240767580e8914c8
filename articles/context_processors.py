from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Article, BreakingNews, Section


def _breaking_news():
    banner = BreakingNews.objects.current().first()
    if banner is None:
        return None
    # The banner links to its story only once readers can open it: no embargoed address.
    article = (
        Article.objects.published().filter(pk=banner.article_id).only("pk", "slug").first()
        if banner.article_id
        else None
    )
    return {"text": banner.text, "article_url": article.get_absolute_url() if article else ""}


def navigation(request):
    """The sections for the site navigation and the breaking-news banner, each fetched
    lazily once per page."""
    return {
        "navigation_sections": Section.objects.all(),
        "breaking_news": SimpleLazyObject(_breaking_news),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
