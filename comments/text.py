"""Reader text: what a comment may contain, and how it is shown without interpreting HTML."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# http(s) addresses and bare www. ones, up to whitespace or a character that cannot be in one.
URL_PATTERN = re.compile(r"""(?:\bhttps?://|\bwww\.)[^\s<>"'`]+""", re.IGNORECASE)
# Punctuation that ends a sentence rather than an address ("see example.com.").
TRAILING_PUNCTUATION = ".,;:!?'\"*_~"
LINK_REL = "nofollow ugc noopener"

# Line breaks and tabs are part of writing; other control characters are not.
ALLOWED_CONTROL_CHARACTERS = {"\n", "\t"}


def normalize_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; store the reader's breaks as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_characters(text: str, *, allow_line_breaks: bool) -> list[str]:
    """The control characters in text that a reader cannot have meant to type."""
    allowed = ALLOWED_CONTROL_CHARACTERS if allow_line_breaks else set()
    return [
        character
        for character in text
        if unicodedata.category(character) == "Cc" and character not in allowed
    ]


def is_blank(text: str) -> bool:
    """Whether text holds nothing a reader could see: only spaces and invisible marks."""
    return all(
        character.isspace() or unicodedata.category(character) in {"Cf", "Cc", "Zs", "Zl", "Zp"}
        for character in text
    )


def _split_url(candidate: str) -> tuple[str, str]:
    """Separate an address from punctuation that closes the sentence around it."""
    trail = ""
    while candidate:
        last = candidate[-1]
        if last in TRAILING_PUNCTUATION:
            pass
        elif last == ")" and candidate.count(")") > candidate.count("("):
            pass
        else:
            break
        trail = last + trail
        candidate = candidate[:-1]
    return candidate, trail


def _href(address: str) -> str | None:
    href = address if address.lower().startswith(("http://", "https://")) else f"http://{address}"
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return href


def find_links(text: str) -> list[str]:
    links = []
    for match in URL_PATTERN.finditer(text):
        address, _ = _split_url(match.group())
        if _href(address):
            links.append(address)
    return links


def count_links(text: str) -> int:
    return len(find_links(text))


def render_comment_text(text: str) -> SafeString:
    """Escape everything, make addresses clickable (rel="nofollow ugc noopener"), keep breaks."""
    pieces = []
    position = 0
    for match in URL_PATTERN.finditer(text):
        address, trail = _split_url(match.group())
        href = _href(address)
        if href is None:
            continue
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(address)}</a>')
        pieces.append(escape(trail))
        position = match.end()
    pieces.append(escape(text[position:]))
    html = "".join(pieces)
    html = normalize_newlines(html).replace("\n", "<br>")
    # Every piece of reader text above went through escape(); only our <a> and <br> are HTML.
    return mark_safe(html)  # noqa: S308
