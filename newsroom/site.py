"""The site's own address, from settings: absolute links never come from a request's Host.

A cached page, a feed or a sitemap built from one request's Host header would carry that
address to every later reader ("Host header poisoning").
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def site_is_secure() -> bool:
    return urlsplit(settings.SITE_URL).scheme == "https"


class ConfiguredSiteRequest:
    """A request that names the configured site as its host, for Django's feed and sitemap
    frameworks (which otherwise take the address from the Host header)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_host(self) -> str:
        return site_host()

    def is_secure(self) -> bool:
        return site_is_secure()

    @property
    def scheme(self) -> str:
        return "https" if site_is_secure() else "http"
