from django.conf import settings

from articles.models import Section


def navigation(request):
    """The sections for the site navigation, fetched lazily once per page."""
    return {
        "navigation_sections": Section.objects.all(),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
