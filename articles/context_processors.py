from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.cache import page_timetable
from articles.models import Section


def _breaking_news(request):
    timetable = page_timetable(request)
    if timetable.banner is None:
        return None
    return {"text": timetable.banner.text, "article_url": timetable.banner_article_url}


def navigation(request):
    """The sections for the site navigation and the breaking-news banner, each fetched
    lazily once per page."""
    return {
        "navigation_sections": Section.objects.all(),
        "breaking_news": SimpleLazyObject(lambda: _breaking_news(request)),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
