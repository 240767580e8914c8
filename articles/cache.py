"""Whole-page caching for anonymous readers, purged by surrogate key.

Each cached page is tagged with what it shows (surrogate keys): ``article-42`` for an
article's own page, ``story-42`` for its content without the comments (the parts of its
page kept by ``articles.fragments``), ``teaser-42`` for any listing that shows article 42
(headline and comment count), ``link-42`` for a plain link to it (headline, address and
date: "Related" lists, which no comment changes), ``section-3``, ``author-7``,
``topic-5``, ``front``, ``feeds``, ``sitemap``, and ``site`` on every page (the navigation
lists the sections). A change purges exactly the keys it touches, through the purgers in
``settings.PAGE_CACHE_PURGERS``; the same keys go out in ``Surrogate-Key`` and
``Cache-Tag`` headers for a CDN or Varnish in front.

Views only mark a response as cacheable and tag it (``cache_public_page``, ``page_tag``);
``articles.middleware.PageCacheMiddleware`` stores and serves the finished bytes.
"""

import hashlib
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.utils.cache import patch_cache_control

from articles.models import Article, ArticleTopic, BreakingNews, Byline, Timetable
from articles.purgers import purgers

FRONT = "front"
FEEDS = "feeds"
SITEMAP = "sitemap"
SITE = "site"


def article_key(pk: int) -> str:
    return f"article-{pk}"


def story_key(pk: int) -> str:
    return f"story-{pk}"


def teaser_key(pk: int) -> str:
    return f"teaser-{pk}"


def link_key(pk: int) -> str:
    return f"link-{pk}"


def section_key(pk: int) -> str:
    return f"section-{pk}"


def author_key(pk: int) -> str:
    return f"author-{pk}"


def topic_key(pk: int) -> str:
    return f"topic-{pk}"


def page_tag(request, *keys: str) -> None:
    """Name what this page shows, so it is purged when any of it changes."""
    tags = getattr(request, "page_tags", None)
    if tags is not None:
        tags.update(keys)


def tagged(view, *keys: str):
    """Wrap a view (a feed, the sitemap) so its page carries fixed keys."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        page_tag(request, *keys)
        return view(request, *args, **kwargs)

    return wrapper


def page_timetable(request) -> Timetable:
    """The banner this page shows and when it next changes by the clock, asked once per
    request: the template shows the banner, the page cache keeps the page until then."""
    if not hasattr(request, "page_timetable"):
        request.page_timetable = BreakingNews.objects.timetable()
    return request.page_timetable


def page_key(request) -> str:
    # Only the parameters pages read make a page different: "?utm_source=..." and other
    # random strings share the one entry instead of flooding the cache.
    read = sorted(
        (name, value)
        for name, value in request.GET.items()
        if name in settings.PAGE_CACHE_QUERY_PARAMETERS
    )
    identity = request.path + "?" + "&".join(f"{name}={value}" for name, value in read)
    return hashlib.sha256(identity.encode()).hexdigest()


def pages_purge(*, keys: Iterable[str], lazily: Iterable[str] = ()) -> None:
    """Drop the pages tagged with keys now, and those tagged with `lazily` within a few seconds.

    The lazy purge is for listings whose only change is a comment count: on a busy day
    they are re-rendered once per PAGE_CACHE_LISTING_LAG_SECONDS, not once per comment.
    """
    keys, lazily = frozenset(keys), frozenset(lazily) - frozenset(keys)
    for purger in purgers():
        if keys:
            purger.purge(keys)
        if lazily:
            purger.purge(lazily, within=settings.PAGE_CACHE_LISTING_LAG_SECONDS)


def purge_public_pages() -> None:
    """Make every cached public page stale (a section renamed, an image recropped)."""
    pages_purge(keys={SITE})


def article_pages_purge(
    *,
    article_id: int,
    section_ids: Iterable[int] = (),
    topic_ids: Iterable[int] = (),
    related_article_ids: Iterable[int] = (),
) -> None:
    """Refresh what publishing, editing or unpublishing an article changes.

    Its own page, every listing that shows it, its section and topics (old and new ones,
    when they changed), the front page, its authors' pages, the feeds and the sitemap, and
    the pages of its translations (and of the story it was a translation of before), which
    link to it.
    """
    section_ids = set(section_ids)
    section_ids.update(Article.objects.filter(pk=article_id).values_list("section_id", flat=True))
    author_ids = Byline.objects.filter(article_id=article_id).values_list("author_id", flat=True)
    family = Article.objects.filter(pk=article_id).values("translation_of_id")
    translations = Article.objects.filter(
        Q(pk__in=family) | Q(translation_of_id__in=family) | Q(translation_of_id=article_id)
    ).values_list("pk", flat=True)
    topic_ids = set(topic_ids)
    topic_ids.update(
        ArticleTopic.objects.filter(article_id=article_id).values_list("topic_id", flat=True)
    )
    linking = {pk for pk in {*translations, *related_article_ids} if pk is not None}
    pages_purge(
        keys={
            *(article_key(pk) for pk in linking),
            *(story_key(pk) for pk in linking),
            article_key(article_id),
            story_key(article_id),
            teaser_key(article_id),
            link_key(article_id),
            FRONT,
            FEEDS,
            SITEMAP,
            *(section_key(pk) for pk in section_ids),
            *(author_key(pk) for pk in author_ids),
            *(topic_key(pk) for pk in topic_ids),
        }
    )


def comment_pages_purge(*, article_ids: Iterable[int]) -> None:
    """Refresh articles' pages at once and, within seconds, the listings showing their counts.

    For comment changes: nothing else on the site shows a comment. The kept parts of the
    articles' pages (``story-42``) stay: a comment changes none of them.
    """
    article_ids = set(article_ids)
    pages_purge(
        keys={article_key(pk) for pk in article_ids},
        lazily={teaser_key(pk) for pk in article_ids},
    )


def cache_public_page(view):
    """Let the page cache keep this view's anonymous responses; staff get fresh, private ones."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (
            request.method in ("GET", "HEAD")
            and settings.PAGE_CACHE_SECONDS > 0
            and not request.user.is_authenticated
            and not len(messages.get_messages(request))
        )
        if cacheable:
            request.page_tags = {SITE}
        response = view(request, *args, **kwargs)
        if not cacheable and request.method in ("GET", "HEAD"):
            # Staff previews and pages carrying a message must not be kept by a shared cache.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
