"""The address a request came from, behind however many proxies the site trusts.

Comment limits and bans, reader reports and the admin login lockout all count by it, so
it is worked out in one place.
"""

import ipaddress

from django.conf import settings


def _valid_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """Return the reader's address: REMOTE_ADDR, or the entry the trusted proxies vouch for.

    Each proxy appends the address it saw to the header, so with N trusted proxies the
    Nth entry from the end is the one the outermost proxy saw; everything before it is
    the client's to forge.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.COMMENTS_CLIENT_IP_HEADER
    hops = settings.COMMENTS_TRUSTED_PROXY_HOPS
    if not header or hops < 1:
        return remote
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    entries = [entry for entry in entries if entry]
    if not entries:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones (a health check
    # from inside), and every entry there was written by a proxy we trust.
    chosen = entries[-hops] if len(entries) >= hops else entries[0]
    # A proxy that passes garbage through must not turn into a stored non-address.
    return _valid_address(chosen) or remote
