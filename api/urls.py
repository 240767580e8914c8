from django.http import JsonResponse
from django.urls import path, re_path
from ninja import NinjaAPI

from api.errors import install_error_handlers
from api.views import router

API_DESCRIPTION = """Published articles, sections, authors and topics of this newsroom, read-only.

Only what any reader may see on the site is served: no drafts, no scheduled or embargoed
stories, no unpublished ones. Lists are paged (`page`, `page_size`, follow `next`); every
response carries an ETag, and a request sending it back in `If-None-Match` gets a 304
when nothing changed. Bad parameters get a 400 naming each one and its problem."""

api = NinjaAPI(
    title="Newsroom read API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api-v1",
)
api.add_router("", router)
install_error_handlers(api)


def unknown_endpoint(request, rest):
    return JsonResponse(
        {"detail": f"The API has no endpoint at {request.path}; see /api/v1/docs."}, status=404
    )


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_endpoint),
]
