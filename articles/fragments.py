"""Parts of public pages kept between renders, tagged with what they show, purged by tag.

A comment changes an article's thread and its count, nothing else on its page. Rendering
the story, its metadata and the lists beside it again for every comment is what made a
news day slow, so those parts are rendered once (``{% fragment %}`` in the template) and
reused until what they show changes.

They are kept in the page store, beside the pages: every worker shares them, and the
purges that refresh pages refresh them with the same tags and rules. One tag differs: an
article's own content is ``story-42``, which comment changes never purge, where its page
is ``article-42``. Each entry also remembers the article version, language and address it
was rendered for; a row that no longer matches them is rendered afresh even if a purge was
lost on the way. What no purge can name (a new story whose headline merely shares words
with this one, so it would join "Related") shows within FRAGMENT_CACHE_SECONDS.
"""

import hashlib
import json
import math
import time
from functools import cache

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation

from articles.cache import SITE, teaser_key
from articles.pagestore import CachedPage, page_store


@cache
def _template_digest(template_name: str) -> str:
    # A deploy that moves the parts around must not stitch old parts into the new page.
    source = get_template(template_name).template.source
    return hashlib.blake2b(source.encode(), digest_size=6).hexdigest()


class Fragments:
    """The kept parts of one page: found in the store, or collected while it renders."""

    def __init__(self, key: str, *, stamp: str, kept: dict[str, str] | None, tags=frozenset()):
        self.key = key
        self.stamp = stamp
        self.kept = kept
        self.tags = frozenset(tags)
        self.rendered: dict[str, str] = {}

    @classmethod
    def find(cls, request, template_name: str, name: str) -> "Fragments | None":
        """The stored parts of `name`'s page, or an empty set to fill; None when this
        request must render everything itself (staff see drafts and their own controls)."""
        if settings.FRAGMENT_CACHE_SECONDS <= 0 or request.user.is_authenticated:
            return None
        key = f"fragment:{_template_digest(template_name)}:{name}"
        hit = page_store().get(key, gzipped=False)
        if hit is None:
            return cls(key, stamp="", kept=None)
        entry = json.loads(hit.content)
        return cls(key, stamp=entry["stamp"], kept=entry["parts"], tags=hit.tags)

    def fits(self, stamp: str) -> bool:
        """Whether the kept parts were rendered for this version of what they show."""
        return self.kept is not None and self.stamp == stamp

    def emptied(self) -> "Fragments":
        """A set to fill afresh, under the same key (the kept one no longer fits)."""
        return Fragments(self.key, stamp="", kept=None)

    def get(self, name: str) -> str | None:
        return None if self.kept is None else self.kept.get(name)

    def keep(self, name: str, html: str) -> None:
        self.rendered[name] = html

    def store(self, *, stamp: str, tags, not_after=None) -> None:
        """Keep what this render produced, tagged, until a purge or the first of
        FRAGMENT_CACHE_SECONDS and `not_after` (the next moment the clock changes it)."""
        if not self.rendered:
            return
        timeout = settings.FRAGMENT_CACHE_SECONDS
        if not_after is not None:
            seconds_left = (not_after - timezone.now()).total_seconds()
            timeout = max(1, min(timeout, math.ceil(seconds_left)))
        body = json.dumps({"stamp": stamp, "parts": self.rendered}).encode()
        entry = CachedPage(
            headers=(),
            body=body,
            gzipped=b"",
            etag="",
            tags=frozenset(tags),
            expires_at=time.time() + timeout,
        )
        page_store().set(self.key, entry, timeout=timeout, not_after=not_after)


# The ways a listing draws a story: its template and the options it is drawn with.
CARDS = {
    "lead": ("articles/includes/teaser.html", {"lead": True, "show_image": True}),
    "beside-lead": ("articles/includes/teaser_beside_lead.html", {"lazy": True}),
    "card": ("articles/includes/teaser.html", {"show_image": True, "lazy": True}),
    # Section, author and topic pages: headline, standfirst, bylines, date and count.
    "listing": ("articles/includes/teaser.html", {"show_standfirst": True}),
}


def _card_stamp(article) -> str:
    # A card shows the story's count of comments: a new one makes a new card.
    return (
        f"{article.version}|{article.updated_at.isoformat()}|{article.comment_count}|"
        f"{article.slug}|{article.lead_image_id}"
    )


class Cards:
    """Story cards (teasers) of a listing kept per story version, found in one store read.

    Tagged ``teaser-42`` (an edit, an unpublish) and ``site`` (a renamed author or section,
    a recropped photo); a comment changes the card's stamp, so the next render of the
    listing draws that card afresh and reuses the others.
    """

    def __init__(self, kept: dict[tuple[int, str], str], language: str):
        self.kept = kept
        self.language = language
        self.rendered: dict[tuple[int, str], tuple[str, str]] = {}

    @staticmethod
    def _key(pk: int, variant: str, language: str) -> str:
        return f"card:{_template_digest(CARDS[variant][0])}:{pk}:{variant}:{language}"

    @classmethod
    def find(cls, request, wanted) -> "Cards | None":
        """The kept cards among `wanted` ((article, variant) pairs) for this page's language;
        None when this request must draw every card itself."""
        if settings.FRAGMENT_CACHE_SECONDS <= 0 or request.user.is_authenticated:
            return None
        language = translation.get_language()
        keys = {
            cls._key(article.pk, variant, language): (article, variant)
            for article, variant in wanted
        }
        kept = {}
        for key, hit in page_store().get_many(keys).items():
            article, variant = keys[key]
            stamp, html = json.loads(hit.content)
            if stamp == _card_stamp(article):
                kept[(article.pk, variant)] = html
        return cls(kept, language)

    def get(self, article, variant: str) -> str | None:
        return self.kept.get((article.pk, variant))

    def keep(self, article, variant: str, html: str) -> None:
        self.rendered[(article.pk, variant)] = (_card_stamp(article), html)

    def store(self) -> None:
        """Keep the cards this render drew, until a purge or FRAGMENT_CACHE_SECONDS."""
        timeout = settings.FRAGMENT_CACHE_SECONDS
        expires_at = time.time() + timeout
        entries = {
            self._key(pk, variant, self.language): CachedPage(
                headers=(),
                body=json.dumps(drawn).encode(),
                gzipped=b"",
                etag="",
                tags=frozenset({teaser_key(pk), SITE}),
                expires_at=expires_at,
            )
            for (pk, variant), drawn in self.rendered.items()
        }
        page_store().set_many(entries, timeout=timeout)
