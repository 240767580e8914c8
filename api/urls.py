from functools import wraps

from django.urls import path, re_path
from ninja import NinjaAPI

from api.errors import install_error_handlers
from api.views import router

API_DESCRIPTION = """Published articles, sections, authors and topics of this newsroom, read-only.

Only what any reader may see on the site is served: no drafts, no scheduled or embargoed
stories, no unpublished ones. Lists are paged (`page`, `page_size`, follow `next`); every
response carries an ETag, and a request sending it back in `If-None-Match` gets a 304
when nothing changed. Every endpoint answers HEAD as it answers GET, without the body; any
other method gets a 405. Bad parameters get a 400 naming each one and its problem."""

api = NinjaAPI(
    title="Newsroom read API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api-v1",
)
api.add_router("", router)
install_error_handlers(api)


def unknown_endpoint(request, rest):
    # Through the API's own renderer, so it reads as every other error (charset included).
    return api.create_response(
        request,
        {"detail": f"The API has no endpoint at {request.path}; see /api/v1/docs."},
        status=404,
    )


def _json_405(view):
    # Ninja answers a method no operation takes with an HTML page; errors here are JSON.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = ", ".join(sorted(response["Allow"].split(", ")))  # ninja's come unordered
        refusal = api.create_response(
            request,
            {"detail": f"{request.path} answers {allowed}, not {request.method}."},
            status=405,
        )
        refusal["Allow"] = allowed
        return refusal

    return wrapper


def _answering_json_405(urls):
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _json_405(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("api/v1/", _answering_json_405(api.urls)),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_endpoint),
]
