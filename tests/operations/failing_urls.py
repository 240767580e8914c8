"""The site's addresses plus one that fails, for the error page's story."""

from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

handler500 = "newsroom.errors.server_error"


def publish_that_breaks(request):
    raise RuntimeError("the publish failed half-way")


urlpatterns = [path("broken-publish/", publish_that_breaks), *site_urlpatterns]
