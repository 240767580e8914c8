"""ETags and revalidation for API responses.

The ETag is a hash of the response body (as Django's ConditionalGetMiddleware makes it,
for HEAD as well as GET): a client or a cache in front that sends it back in If-None-Match gets a
bodiless 304 when nothing changed. `no-cache` makes every cache ask again each time, so an
unpublished story never lingers in one.
"""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from ninja.decorators import decorate_view


def _with_etag(view):
    # ConditionalGetMiddleware's work, for HEAD too: it skips HEAD, whose body is empty by
    # the time middleware sees it. Here the body is still there (_bodiless_for_head drops
    # it after), so HEAD gets GET's ETag and the same 304. An error is never a 304.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.streaming:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


def _revalidated(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper


def _bodiless_for_head(view):
    # A HEAD request runs the GET view, so its ETag and status are GET's; only the body
    # goes. Content-Length stays GET's, as HTTP allows, rather than the 0 Django would set
    # for the emptied body.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming:
            response.headers["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


# Cache-Control first, so a 304 carries it too; the body dropped for HEAD last, once the
# ETag has been taken from it.
conditional = decorate_view(_revalidated, _with_etag, _bodiless_for_head)


def revalidation_described() -> dict:
    """What `conditional` adds to an endpoint, for its OpenAPI description: the ETag on
    every answer and the 304 to a request sending it back."""
    etag = {
        "ETag": {
            "description": "A hash of the body: send it back in If-None-Match to revalidate.",
            "schema": {"type": "string"},
        },
        "Cache-Control": {
            "description": '"public, no-cache": caches may keep it but must revalidate.',
            "schema": {"type": "string"},
        },
    }
    return {
        "parameters": [
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "description": "The ETag of an earlier answer: a 304 if nothing changed since.",
                "schema": {"type": "string"},
            }
        ],
        "responses": {
            200: {"headers": etag},
            304: {
                "description": "Not Modified: the ETag sent in If-None-Match is still "
                "current. No body.",
                "headers": etag,
            },
        },
    }
