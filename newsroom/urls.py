from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import crawler_views

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

# Error pages speak the reader's language, and a database away for a moment (a restart)
# gets a 503 that says so; see newsroom/errors.py.
handler500 = "newsroom.errors.server_error"
handler404 = "newsroom.errors.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", crawler_views.robots_txt, name="robots-txt"),
    path("sitemap.xml", crawler_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", crawler_views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", crawler_views.news_sitemap, name="news-sitemap"),
    path("comments/", include("comments.urls")),
    path("", include("api.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Renditions are small and immutable; a front server or CDN can take this over.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
