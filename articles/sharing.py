"""Share links: plain addresses of each site's own share page, so no script of theirs runs
on ours (the Content Security Policy allows only our own)."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext


@dataclass(frozen=True)
class ShareLink:
    name: str
    label: str
    href: str


def _query(**params: str) -> str:
    # %20 rather than "+" for spaces: mail programs read mailto: bodies literally.
    return urlencode(params, quote_via=quote, safe="")


def share_links(*, url: str, title: str) -> list[ShareLink]:
    """Links that open Facebook, X, WhatsApp or the reader's mail with the story filled in,
    labelled in the active language (the page's)."""
    return [
        ShareLink(
            "facebook",
            gettext("Share on Facebook"),
            "https://www.facebook.com/sharer/sharer.php?" + _query(u=url),
        ),
        ShareLink(
            "x", gettext("Share on X"), "https://x.com/intent/post?" + _query(text=title, url=url)
        ),
        ShareLink(
            "whatsapp",
            gettext("Share on WhatsApp"),
            "https://wa.me/?" + _query(text=f"{title} {url}"),
        ),
        ShareLink("email", gettext("Share by email"), "mailto:?" + _query(subject=title, body=url)),
    ]
