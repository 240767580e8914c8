"""Serve cached public pages before the rest of the middleware runs.

Sits right after the security and static-file middleware: a hit for an anonymous reader
(no session or message cookie) never loads a session, a user, messages or a CSP, so it
costs about what a constant view costs. Misses go through the whole stack; if the view
marked the page cacheable (``articles.cache.cache_public_page``), its final bytes are
stored here, gzip-compressed once, with an ETag.
"""

import math
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from articles.cache import page_key, page_timetable
from articles.pagestore import CachedPage, PageHit, page_store
from articles.purgers import has_remote_purgers, purge_batch

MESSAGES_COOKIE = "messages"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_serve_cached(request):
            return self.get_response(request)
        # As every view would: a Host outside ALLOWED_HOSTS is refused (400) before a
        # cached page can answer it, so a hit and a miss say the same.
        request.get_host()
        key = page_key(request)
        gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        if (hit := page_store().get(key, gzipped=gzipped)) is not None:
            return self._respond(request, hit, "hit")
        response = self.get_response(request)
        tags = getattr(request, "page_tags", None)
        if (
            tags is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
        ):
            return response
        timeout = settings.PAGE_CACHE_SECONDS
        # A scheduled article must appear on time and an expired banner must not linger,
        # so no page outlives the next such moment: the store is also told the moment
        # itself, as its clock may not be this process's.
        if (next_change := page_timetable(request).next_change) is not None:
            seconds_left = (next_change - timezone.now()).total_seconds()
            timeout = max(1, min(timeout, math.ceil(seconds_left)))
        page = CachedPage.from_response(response, tags, expires_at=time.time() + timeout)
        page_store().set(key, page, timeout=timeout, not_after=next_change)
        return self._respond(request, page.hit(gzipped=gzipped), "miss")

    def _may_serve_cached(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
        )

    def _respond(self, request, page: PageHit, outcome: str):
        # Each encoding is its own representation, so each has its own ETag.
        etag = page.etag[:-1] + '-gzip"' if page.gzipped else page.etag
        remaining = max(0, int(page.expires_at - time.time()))
        cache_control = (
            f"public, max-age=0, s-maxage={remaining}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}"
        )
        wanted = request.META.get("HTTP_IF_NONE_MATCH")
        if wanted and (etag in parse_etags(wanted) or "*" in wanted):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(page.content if request.method == "GET" else b"")
            for name, value in page.headers:
                response[name] = value
            response["Content-Length"] = str(len(page.content))
            if page.gzipped:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        tags = sorted(page.tags)
        response["Surrogate-Key"] = " ".join(tags)
        response["Cache-Tag"] = ",".join(tags)
        response["X-Page-Cache"] = outcome
        patch_vary_headers(response, ["Accept-Encoding"])
        return response


class PurgeBatchMiddleware:
    """Send Varnish or the CDN one purge per request, after the request's commits.

    A save in the admin, a bulk moderation action or a publish touching many listings all
    end in one call per cache, sent before the response leaves: the editor's next page
    load already finds the purged pages gone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_remote_purgers():
            return self.get_response(request)
        with purge_batch():
            return self.get_response(request)
