"""URLs for the page benchmark: the site's own, plus a "floor".

The floor is a Django view that returns constant bytes through the same middleware, so
a page's requests per second divided by the floor's says what the page costs beyond
Django itself, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import include, path

FLOOR_BODY = b"<!doctype html><title>floor</title><p>" + b"x" * 20_000


def floor(request):
    return HttpResponse(FLOOR_BODY)


urlpatterns = [path("__floor__/", floor), path("", include("newsroom.urls"))]
