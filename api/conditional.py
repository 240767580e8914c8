"""ETags and revalidation for API responses.

The ETag is a hash of the response body (Django's ConditionalGetMiddleware, applied per
endpoint): a client or a cache in front that sends it back in If-None-Match gets a
bodiless 304 when nothing changed. `no-cache` makes every cache ask again each time, so an
unpublished story never lingers in one.
"""

from functools import wraps

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from ninja.decorators import decorate_view

_with_etag = decorator_from_middleware(ConditionalGetMiddleware)


def _revalidated(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper


# Cache-Control first, so a 304 carries it too.
conditional = decorate_view(_revalidated, _with_etag)
