from collections import defaultdict

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from comments.forms import CommentForm, csrf_input_for, staff_initial
from comments.models import Comment
from comments.services import comments_are_open
from comments.text import render_comment_text
from comments.views import PAGE_PARAMETER

register = template.Library()


@register.filter
def comment_text(text: str):
    """Show reader text safely: escaped, line breaks kept, links with rel="nofollow ugc"."""
    return render_comment_text(text or "")


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


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """Render the article's comments and the form to join in, on the server."""
    request = context["request"]
    return render_to_string(
        "comments/includes/comments_section.html",
        thread_context(request, article),
        request=request,
    )
