"""An article's conversation as readers page through it: what views and template tags share."""

import threading
from collections import OrderedDict, defaultdict
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation

from articles.paging import ListPage
from comments.forms.reader import CommentForm, csrf_input_for, staff_initial
from comments.models import Comment
from comments.services.opening import comments_are_open

PAGE_PARAMETER = "comments_page"


def thread_page_of(comment: Comment) -> int:
    """The page of the article's thread on which the comment's conversation appears."""
    root_pk = comment.parent_id or comment.pk
    roots = list(Comment.objects.thread_for(comment.article).values_list("pk", flat=True))
    position = roots.index(root_pk) if root_pk in roots else 0
    return position // settings.COMMENTS_PAGE_SIZE + 1


def thread_url(comment: Comment) -> str:
    page = thread_page_of(comment)
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#{comment.anchor}"


def can_moderate_comments(user) -> bool:
    return user.has_perm("comments.moderate_comment")


@lru_cache(maxsize=16)
def _link_patterns(script_prefix: str, urlconf) -> dict[str, tuple[str, str]]:
    # Reversed once with a stand-in number, then only the number changes: a thread of a
    # hundred comments would otherwise cost three hundred reverse() calls.
    patterns = {}
    for name in ("comment-permalink", "comment-reply", "comment-report"):
        url = reverse(f"comments:{name}", kwargs={"pk": 0})
        before, _, after = url.rpartition("/0/")
        patterns[name] = (before + "/", "/" + after)
    return patterns


def comment_links(comment) -> dict[str, str]:
    """The comment's permalink, reply and report addresses."""
    patterns = _link_patterns(get_script_prefix(), get_urlconf())
    return {
        name.removeprefix("comment-"): f"{before}{comment.pk}{after}"
        for name, (before, after) in patterns.items()
    }


class FragmentCache:
    """Comments rendered for readers, kept while what they show stays the same.

    The key is everything the fragment shows (status, text, name, pick, reply target,
    staff byline, whether replies are open, the time zone), so a hidden, edited, erased or
    featured comment is rendered afresh on its next page view: no purge to forget, and a
    stale fragment cannot be served. Each worker keeps its own, bounded (least recently
    used go first), so a hit costs no query.
    """

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def set(self, key, html) -> None:
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


reader_fragments = FragmentCache(max_entries=10_000)


def _fragment_key(comment: Comment, *, can_reply: bool, zone: str, language: str) -> tuple:
    author = comment.staff_author
    replying_to = comment.in_reply_to if comment.in_reply_to_id else None
    return (
        comment.pk,
        comment.status,
        comment.is_featured,
        comment.name,
        comment.body,
        comment.posted_at,
        comment.parent_id,
        comment.in_reply_to_id,
        replying_to.name if replying_to is not None else None,
        (author.pk, author.get_absolute_url()) if author is not None else None,
        can_reply,
        zone,
        language,
    )


def render_comments(request, comments, *, can_moderate: bool, can_reply: bool) -> dict[int, str]:
    """Each comment's HTML by pk; readers' come from the fragment cache when unchanged."""
    template = get_template("comments/includes/comment.html")
    if can_moderate:
        # Moderators' controls carry their own CSRF token and change with every action.
        return {
            comment.pk: template.render(
                {"comment": comment, "can_moderate": True, "can_reply": can_reply},
                request=request,
            )
            for comment in comments
        }

    def render(comment):
        # Without the request: a fragment shared by every reader must not depend on one.
        context = {"comment": comment, "can_moderate": False, "can_reply": can_reply}
        return template.template.render(Context(context, autoescape=True))

    zone, language = timezone.get_current_timezone_name(), translation.get_language()
    rendered = {}
    for comment in comments:
        key = _fragment_key(comment, can_reply=can_reply, zone=zone, language=language)
        html = reader_fragments.get(key)
        if html is None:
            html = render(comment)
            reader_fragments.set(key, html)
        rendered[comment.pk] = html
    return rendered


def thread_page(article, *, number, include_hidden: bool) -> tuple[ListPage, list]:
    """One page of top-level comments with their replies, in one query and without a COUNT."""
    per_page = settings.COMMENTS_PAGE_SIZE
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    # One conversation more than is shown says whether there is a next page.
    page_roots = Comment.objects.thread_for(article, include_hidden=include_hidden).values("pk")[
        start : start + per_page + 1
    ]
    replies = Q(parent__in=page_roots)
    if not include_hidden:
        replies &= Q(status=Comment.Status.PUBLISHED)
    # Filtered by article first, so the index on the article's comments bounds the scan.
    rows = (
        Comment.objects.filter(article=article)
        .filter(Q(pk__in=page_roots) | replies)
        .select_related("in_reply_to", "user__author_profile")
    )
    roots, by_parent = [], defaultdict(list)
    for comment in rows:
        if comment.parent_id is None:
            roots.append(comment)
        else:
            by_parent[comment.parent_id].append(comment)
    # The order of thread_for: editors' picks first, then oldest first.
    roots.sort(key=lambda c: (not (c.is_featured and c.is_visible), c.posted_at, c.pk))
    page = ListPage(object_list=roots[:per_page], number=number, has_next=len(roots) > per_page)
    threads = [
        (root, sorted(by_parent[root.pk], key=lambda c: (c.posted_at, c.pk)))
        for root in page.object_list
    ]
    return page, threads


def thread_context(request, article) -> dict:
    """One page of the article's conversation, in a fixed number of queries."""
    can_moderate = can_moderate_comments(request.user)
    accepting = article.is_published and comments_are_open(article)
    threads, page = [], None
    # The exact public count says whether there is anything to fetch at all.
    if article.comment_count or can_moderate:
        page, threads = thread_page(
            article, number=request.GET.get(PAGE_PARAMETER), include_hidden=can_moderate
        )
        shown = [comment for root, replies in threads for comment in (root, *replies)]
        html = render_comments(request, shown, can_moderate=can_moderate, can_reply=accepting)
        threads = [
            (html[root.pk], [html[reply.pk] for reply in replies]) for root, replies in threads
        ]
    return {
        "article": article,
        "threads": threads,
        "page": page,
        "page_parameter": PAGE_PARAMETER,
        "can_moderate": can_moderate,
        "can_edit_article": request.user.has_perm("articles.change_article"),
        "accepting": accepting,
        "form": (
            CommentForm(initial=staff_initial(request.user), article_pk=article.pk)
            if accepting
            else None
        ),
        "csrf_input": csrf_input_for(request),
    }
