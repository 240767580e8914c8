"""An article's conversation as readers page through it: what views and template tags share."""

from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator

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


def thread_context(request, article) -> dict:
    """One page of the article's conversation, in a fixed number of queries."""
    can_moderate = can_moderate_comments(request.user)
    threads, page = [], None
    # The exact public count says whether there is anything to fetch at all.
    if article.comment_count or can_moderate:
        roots = Comment.objects.thread_for(article, include_hidden=can_moderate)
        page = Paginator(roots, settings.COMMENTS_PAGE_SIZE).get_page(
            request.GET.get(PAGE_PARAMETER)
        )
        roots = list(page.object_list)
        replies = defaultdict(list)
        if roots:
            shown = Comment.objects.replies_for(
                [root.pk for root in roots], include_hidden=can_moderate
            )
            for reply in shown:
                replies[reply.parent_id].append(reply)
        threads = [(root, replies[root.pk]) for root in roots]
    accepting = article.is_published and comments_are_open(article)
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
