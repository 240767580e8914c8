"""Which address a request counts as, behind 0, 1 or 2 trusted proxies."""

import pytest
from django.test import RequestFactory

from newsroom.client import client_ip


def request_with(forwarded_for=None, remote="10.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("header", "hops", "forwarded_for", "expected"),
    [
        # No proxy configured: the header is the client's to forge, so it is ignored.
        ("", 1, "203.0.113.9", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 0, "203.0.113.9", "10.0.0.1"),
        # One proxy: the entry it appended.
        ("HTTP_X_FORWARDED_FOR", 1, "198.51.100.1", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "203.0.113.9, 198.51.100.1", "198.51.100.1"),
        # Two proxies (a CDN, then a load balancer): the CDN's entry, one before the end.
        ("HTTP_X_FORWARDED_FOR", 2, "198.51.100.1, 192.0.2.50", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 2, "203.0.113.9, 198.51.100.1, 192.0.2.50", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 2, "6.6.6.6, 7.7.7.7, 198.51.100.1, 192.0.2.50", "198.51.100.1"),
        # Fewer entries than proxies: only proxies wrote them, the first is the farthest.
        ("HTTP_X_FORWARDED_FOR", 2, "192.0.2.50", "192.0.2.50"),
        # No header at all, or garbage where the address should be: the connection's own.
        ("HTTP_X_FORWARDED_FOR", 1, None, "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, " , ", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "198.51.100.1, <script>", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxies_vouch_for(
    settings, header, hops, forwarded_for, expected
):
    settings.COMMENTS_CLIENT_IP_HEADER = header
    settings.COMMENTS_TRUSTED_PROXY_HOPS = hops

    assert client_ip(request_with(forwarded_for)) == expected
