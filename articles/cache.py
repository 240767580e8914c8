"""Whole-page caching for anonymous readers, invalidated on publish and on moderation.

Every cached page key carries a generation number. Purging bumps the generation, so all
old entries become unreachable at once, whichever cache backend is configured.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article

GENERATION_KEY = "public-pages:generation"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = int(timezone.now().timestamp())
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def purge_public_pages() -> None:
    """Make every cached public page stale (after publishing or moderating)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(timezone.now().timestamp()), timeout=None)


def _page_key(request) -> str:
    # Only the parameters pages read make a page different: "?utm_source=..." and other
    # random strings share the one entry instead of flooding the cache (and evicting
    # everything else in it).
    read = sorted(
        (name, value)
        for name, value in request.GET.items()
        if name in settings.PAGE_CACHE_QUERY_PARAMETERS
    )
    identity = request.path + "?" + "&".join(f"{name}={value}" for name, value in read)
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"public-pages:{current_generation()}:{digest}"


def _seconds_until_next_scheduled() -> int | None:
    next_time = (
        Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
    ).first()
    if next_time is None:
        return None
    return max(1, int((next_time - timezone.now()).total_seconds()) + 1)


def cache_public_page(view):
    """Serve anonymous GETs from the cache; staff and readers with messages get fresh pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (
            request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and not len(messages.get_messages(request))
            and settings.PAGE_CACHE_SECONDS > 0
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            timeout = settings.PAGE_CACHE_SECONDS
            # A scheduled article must appear on time, so no page outlives its slot.
            if (until_next := _seconds_until_next_scheduled()) is not None:
                timeout = min(timeout, until_next)
            cache.set(key, response, timeout)
        return response

    return wrapper
