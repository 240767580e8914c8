from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from comments import services
from comments.forms import CommentForm, csrf_input_for, staff_initial
from comments.models import Comment
from comments.services import (
    CommentRefused,
    DuplicateComment,
    comments_are_open,
    comments_close,
    comments_reopen,
)
from newsroom.client import client_ip

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


def _csrf_failure(request):
    # The form on a cached page carries no token, so anonymous posts skip CSRF (the honeypot
    # and render time guard them). A signed-in staff member's post carries the Staff badge,
    # so a forged one must still fail: run the ordinary check for them.
    if not request.user.is_authenticated:
        return None
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})


def _form_page(request, *, form, article, replying_to=None, refusal="", status=200):
    if form.is_bound:
        form.restart_clock()
    return render(
        request,
        "comments/comment_form_page.html",
        {
            "form": form,
            # A 404 refusal must not reveal a draft's headline.
            "article": article if status != 404 else None,
            "replying_to": replying_to if status != 404 else None,
            "refusal": refusal,
            "can_post": status in (200, 429),
            "csrf_input": csrf_input_for(request),
        },
        status=status,
    )


@csrf_exempt
@require_POST
def comment_post(request, article_pk):
    if (failure := _csrf_failure(request)) is not None:
        return failure
    article = Article.objects.select_related("section").filter(pk=article_pk).first()
    form = CommentForm(request.POST)
    if article is None:
        return _form_page(
            request,
            form=form,
            article=None,
            refusal="This article is not open for comments.",
            status=404,
        )
    valid = form.is_valid()
    reply_to_pk = form.cleaned_data.get("in_reply_to") if valid else None
    replying_to = Comment.objects.filter(pk=reply_to_pk).first() if reply_to_pk else None
    if not valid:
        return _form_page(request, form=form, article=article, replying_to=replying_to)
    try:
        if reply_to_pk and replying_to is None:
            raise CommentRefused(
                "The comment you are replying to is not available any more.", status=404
            )
        comment = services.comment_post(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            in_reply_to=replying_to,
            user=request.user,
            ip_address=client_ip(request),
        )
    except DuplicateComment as duplicate:
        messages.info(request, duplicate.message)
        original = duplicate.original
        if original is not None and original.is_visible:
            return redirect(thread_url(original))
        return redirect(f"{article.get_absolute_url()}#comments")
    except CommentRefused as refusal:
        return _form_page(
            request,
            form=form,
            article=article,
            replying_to=replying_to,
            refusal=refusal.message,
            status=refusal.status,
        )
    if comment.is_visible:
        messages.success(request, "Thank you, your comment is published.")
        return redirect(thread_url(comment))
    messages.info(
        request,
        "Thank you. Your comment is awaiting review and will appear once a moderator approves it.",
    )
    return redirect(f"{article.get_absolute_url()}#comments")


@require_GET
def comment_reply(request, pk):
    """A page to answer one comment: the "Reply" link works without JavaScript."""
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article", "user__author_profile"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = CommentForm(initial={"in_reply_to": comment.pk, **staff_initial(request.user)})
    if not comments_are_open(comment.article):
        return _form_page(
            request,
            form=form,
            article=comment.article,
            replying_to=comment,
            refusal="Comments are closed on this article.",
            status=403,
        )
    return _form_page(request, form=form, article=comment.article, replying_to=comment)


def comment_permalink(request, pk):
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    return redirect(thread_url(comment))


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def article_comments_close(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    comments_close(article=article)
    messages.success(request, "Comments are closed on this article.")
    return redirect(f"{article.get_absolute_url()}#comments")


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def article_comments_reopen(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    reopening = comments_reopen(article=article, editor=request.user)
    until = date_format(timezone.localtime(reopening.open_until), "M j, Y")
    messages.success(request, f"Comments are open again until {until}.")
    return redirect(f"{article.get_absolute_url()}#comments")
