"""What readers do: post a comment, answer one, find one, report one."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from comments.forms.reader import (
    CommentForm,
    ReportForm,
    csrf_input_for,
    rendered_at_token,
    staff_initial,
)
from comments.models import Comment
from comments.services.opening import comments_are_open
from comments.services.posting import comment_post
from comments.services.refusals import (
    ArticleNotOpen,
    CommentRefused,
    DuplicateComment,
    ReplyTargetGone,
)
from comments.services.reports import comment_report
from comments.threads import thread_url
from newsroom.client import client_ip

CROSS_SITE_MESSAGE = "Comments can only be posted from this site's own pages."


def _is_cross_site(request) -> bool:
    """Whether the browser says another site's page sent this post (no header: assume not)."""
    # Browsers set Sec-Fetch-Site themselves and pages cannot forge it; older ones send
    # only Origin, and the oldest neither (their readers keep posting as before).
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "same-site", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


def _csrf_failure(request):
    # The form on a cached page carries no token, so anonymous posts skip CSRF (the honeypot
    # and render time guard them). A signed-in staff member's post carries the Staff badge,
    # so a forged one must still fail: run the ordinary check for them.
    if not request.user.is_authenticated:
        return None
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})


def _form_page(
    request, *, form, article=None, replying_to=None, refusal="", status=200, can_post=None
):
    """The comment form shown again, or a refusal, with the reader's text kept.

    Callers pass only a published article and a visible comment of it: whatever is on
    this page, a reader may see.
    """
    if form.is_bound:
        form.restart_clock()
    return render(
        request,
        "comments/comment_form_page.html",
        {
            "form": form,
            "article": article,
            "replying_to": replying_to,
            "refusal": refusal,
            "can_post": (status in (200, 429)) if can_post is None else can_post,
            "csrf_input": csrf_input_for(request),
        },
        status=status,
    )


def _not_open_page(request, *, form):
    # The same page for a draft, a scheduled story and a number that was never used: a
    # refusal must not tell them apart, let alone name one.
    return _form_page(request, form=form, refusal=ArticleNotOpen().message, status=404)


def _reply_target(article: Article, raw: str) -> Comment | None:
    """The visible comment of this article the reader answers; refuse anything else."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise ReplyTargetGone
    target = (
        Comment.objects.visible()
        .filter(article=article, pk=int(raw))
        .select_related("in_reply_to", "user__author_profile")
        .first()
    )
    if target is None:
        raise ReplyTargetGone
    return target


@csrf_exempt
@require_POST
def post_comment(request, article_pk):
    if _is_cross_site(request):
        # Said plainly and before anything is looked up: the page that sent it is hostile.
        return HttpResponseForbidden(CROSS_SITE_MESSAGE, content_type="text/plain; charset=utf-8")
    if (failure := _csrf_failure(request)) is not None:
        return failure
    form = CommentForm(request.POST, article_pk=article_pk)
    article = Article.objects.published().select_related("section").filter(pk=article_pk).first()
    if article is None:
        return _not_open_page(request, form=form)
    # Refusals, messages and the form page in the language the reader was reading.
    with translation.override(article.language):
        return _post_to_article(request, form=form, article=article)


def _post_to_article(request, *, form, article):
    try:
        replying_to = _reply_target(article, request.POST.get("in_reply_to", ""))
    except ReplyTargetGone as refusal:
        # Named by the reader, but not one readers may see: refused without naming it.
        return _form_page(
            request, form=form, article=article, refusal=refusal.message, status=refusal.status
        )
    if not form.is_valid():
        return _form_page(request, form=form, article=article, replying_to=replying_to)
    try:
        comment = comment_post(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            in_reply_to=replying_to,
            user=request.user,
            ip_address=client_ip(request),
        )
    except DuplicateComment as duplicate:
        original = duplicate.original
        # A reader still holding an unread message has double-clicked: the first post's
        # thank-you is on its way to the page, and one message, the true one, is enough.
        if not len(messages.get_messages(request)):
            if original.status == Comment.Status.HIDDEN:
                messages.info(request, duplicate.message)
            else:
                _tell_posted(request, original)
        if original.is_visible:
            return redirect(thread_url(original))
        return redirect(f"{article.get_absolute_url()}#comments")
    except ArticleNotOpen:  # Unpublished while the reader wrote.
        return _not_open_page(request, form=form)
    except CommentRefused as refusal:
        if isinstance(refusal, ReplyTargetGone):  # Hidden while the reader wrote.
            replying_to = None
        return _form_page(
            request,
            form=form,
            article=article,
            replying_to=replying_to,
            refusal=refusal.message,
            status=refusal.status,
        )
    _tell_posted(request, comment)
    if comment.is_visible:
        return redirect(thread_url(comment))
    return redirect(f"{article.get_absolute_url()}#comments")


def _tell_posted(request, comment: Comment) -> None:
    """Say where the reader's comment stands: published, or held (and why, when we may)."""
    if comment.is_visible:
        messages.success(request, gettext("Thank you, your comment is published."))
    elif notice := getattr(comment, "hold_notice", ""):
        messages.info(
            request,
            gettext(
                "Thank you. Your comment is %(notice)s; a moderator will review it before it "
                "appears."
            )
            % {"notice": notice},
        )
    else:
        messages.info(
            request,
            gettext(
                "Thank you. Your comment is awaiting review and will appear once a moderator "
                "approves it."
            ),
        )


@require_GET
@never_cache
def stamp_comment_form(request, article_pk):
    """Stamp the form when the reader's browser shows it (a cached page's stamp is shared)."""
    if not Article.objects.published().filter(pk=article_pk).exists():
        raise Http404
    return JsonResponse({"rendered_at": rendered_at_token(article_pk=article_pk)})


@require_GET
def reply_to_comment(request, pk):
    """A page to answer one comment: the "Reply" link works without JavaScript."""
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article", "user__author_profile"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = CommentForm(
        initial={"in_reply_to": comment.pk, **staff_initial(request.user)},
        article_pk=comment.article_id,
    )
    with translation.override(comment.article.language):
        if not comments_are_open(comment.article):
            return _form_page(
                request,
                form=form,
                article=comment.article,
                replying_to=comment,
                refusal=gettext("Comments are closed on this article."),
                status=403,
            )
        return _form_page(request, form=form, article=comment.article, replying_to=comment)


def go_to_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    return redirect(thread_url(comment))


@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    """A page with a form (and a CSRF token, as it is never cached) to report a comment."""
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    with translation.override(comment.article.language):
        return _report_page(request, comment)


def _report_page(request, comment):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_report(
                comment=comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
                user=request.user,
            )
        except CommentRefused as refusal:
            messages.info(request, refusal.message)
        else:
            messages.success(
                request, gettext("Thank you for your report. A moderator will look at it.")
            )
        return redirect(f"{comment.article.get_absolute_url()}#comments")
    return render(
        request,
        "comments/moderation/report.html",
        {"comment": comment, "form": form},
        status=400 if form.is_bound else 200,
    )
