"""Moderation endpoints: thin views that check the permission, call a service, and answer."""

import json
from datetime import datetime, time, timedelta
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from comments.forms.moderation import (
    BanForm,
    BulkActionForm,
    FeatureForm,
    HideForm,
    NoteForm,
    PrivacyForm,
    QueueFilterForm,
)
from comments.models import Comment, ModerationAction, Report
from comments.services.bans import BanRefused, ban_create
from comments.services.moderation import (
    comment_approve,
    comment_feature,
    comment_hide,
    comment_unhide,
    comments_moderate_many,
)
from comments.services.opening import comments_are_open
from comments.services.privacy import privacy_erase, privacy_export
from comments.threads import thread_url

MODERATE = "comments.moderate_comment"
QUEUE_PAGE_SIZE = 50


def moderator_required(view):
    """Signed-out visitors are sent to log in; signed-in ones without the permission get 403."""
    return login_required(permission_required(MODERATE, raise_exception=True)(view))


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _comment_for_page(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("article", "in_reply_to", "user__author_profile"), pk=pk
    )


def _answer(request, comment: Comment, message: str, *, next_url: str = ""):
    """JSON with the re-rendered comment for the page's script; otherwise back to the thread."""
    if wants_json(request):
        comment = _comment_for_page(comment.pk)
        html = render_to_string(
            "comments/includes/comment.html",
            {
                "comment": comment,
                "can_moderate": True,
                "can_reply": comment.article.is_published and comments_are_open(comment.article),
            },
            request=request,
        )
        return JsonResponse(
            {
                "anchor": comment.anchor,
                "status": comment.status,
                "is_featured": comment.is_featured,
                "message": message,
                "html": html,
            }
        )
    messages.success(request, message)
    return redirect(next_url or thread_url(comment))


def _invalid(request, form):
    errors = "; ".join(error for errors in form.errors.values() for error in errors)
    if wants_json(request):
        return JsonResponse({"message": errors}, status=400)
    return HttpResponseBadRequest(errors)


def moderation_post(view):
    @wraps(view)
    @require_POST
    @moderator_required
    def wrapper(request, pk):
        return view(request, _comment_for_page(pk))

    return wrapper


@moderation_post
def hide_comment(request, comment):
    form = HideForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return _invalid(request, form)
        # Without the page's script, a refused hide gets a page of its own that keeps the
        # note and the way back, rather than a bare error.
        return render(
            request,
            "comments/moderation/hide.html",
            {
                "comment": comment,
                "form": form,
                "back": _next_or(request, form.data.get("next"), default=thread_url(comment)),
            },
            status=400,
        )
    comment = comment_hide(
        comment=comment,
        moderator=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    return _answer(
        request,
        comment,
        "Comment hidden. Readers no longer see it.",
        next_url=_next_or(request, form.cleaned_data["next"], default=""),
    )


@moderation_post
def unhide_comment(request, comment):
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    comment = comment_unhide(
        comment=comment, moderator=request.user, note=form.cleaned_data["note"]
    )
    return _answer(request, comment, "Comment shown to readers again.")


@moderation_post
def approve_comment(request, comment):
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    comment = comment_approve(
        comment=comment, moderator=request.user, note=form.cleaned_data["note"]
    )
    return _answer(request, comment, "Comment approved and published.")


@moderation_post
def feature_comment(request, comment):
    form = FeatureForm(request.POST)
    form.is_valid()
    is_featured = form.cleaned_data.get("is_featured", False)
    comment = comment_feature(comment=comment, moderator=request.user, is_featured=is_featured)
    message = "Comment marked as an editor's pick." if is_featured else "Editor's pick removed."
    return _answer(request, comment, message)


# The moderation queue


def queue_comments(filters: dict):
    # The open reports come in one query for the page, for "who reported what".
    open_reports = Report.objects.open().select_related("reported_by").order_by("reported_at", "pk")
    comments = (
        Comment.objects.select_related("article__section")
        .with_review_counts()
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
    )
    show = filters.get("show") or "needs-review"
    if show == "needs-review":
        comments = comments.filter(Q(status=Comment.Status.PENDING) | Q(open_reports__gt=0))
    elif show == "reported":
        comments = comments.filter(open_reports__gt=0)
    elif show == "pending":
        comments = comments.filter(status=Comment.Status.PENDING)
    elif show == "recent":
        since = timezone.now() - timedelta(hours=settings.COMMENTS_QUEUE_RECENT_HOURS)
        comments = comments.filter(posted_at__gte=since)
    if filters.get("status"):
        comments = comments.filter(status=filters["status"])
    if filters.get("article"):
        comments = comments.filter(article_id=filters["article"])
    if filters.get("section"):
        comments = comments.filter(article__section=filters["section"])
    if filters.get("posted_from"):
        start = datetime.combine(filters["posted_from"], time.min, timezone.get_current_timezone())
        comments = comments.filter(posted_at__gte=start)
    if filters.get("email"):
        comments = comments.filter(email=filters["email"].lower())
    # Threats of violence first, then the most reported, then held comments, newest first.
    return comments.annotate(
        is_held=Case(
            When(status=Comment.Status.PENDING, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-violence_reports", "-open_reports", "-is_held", "-posted_at", "-pk")


def _render_queue(request, *, query, bulk_form, next_url: str, status: int = 200):
    filters = QueueFilterForm(query or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = Paginator(queue_comments(cleaned), QUEUE_PAGE_SIZE).get_page(query.get("page"))
    pages_query = query.copy()
    pages_query.pop("page", None)
    # A refused bulk action comes back with the moderator's ticks still on.
    selected = {str(pk) for pk in bulk_form.data.getlist("comments")} if bulk_form.is_bound else ()
    return render(
        request,
        "comments/moderation/queue.html",
        {
            "filters": filters,
            "show": cleaned.get("show") or "needs-review",
            "tabs": QueueFilterForm.SHOW,
            "page": page,
            "query": pages_query.urlencode(),
            "bulk_form": bulk_form,
            "selected": selected,
            "hide_reasons": HideForm.base_fields["reason"].choices,
            "next": next_url,
        },
        status=status,
    )


@require_http_methods(["GET"])
@moderator_required
def show_queue(request):
    return _render_queue(
        request, query=request.GET, bulk_form=BulkActionForm(), next_url=request.get_full_path()
    )


def _next_or(request, next_url: str | None, *, default: str | None = None) -> str:
    """Where to go back to: the page the moderator came from, if it is on this site."""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return next_url
    return reverse("comments:moderation-queue") if default is None else default


@require_POST
@moderator_required
def moderate_in_bulk(request):
    form = BulkActionForm(request.POST)
    next_url = _next_or(request, request.POST.get("next"))
    if not form.is_valid():
        # Show the same list again rather than redirect: the ticks, the action and the
        # reason a moderator chose live only in this request.
        return _render_queue(
            request,
            query=QueryDict(urlsplit(next_url).query),
            bulk_form=form,
            next_url=next_url,
            status=400,
        )
    done = comments_moderate_many(
        comments=form.cleaned_data["comments"],
        action=form.cleaned_data["action"],
        moderator=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, done)
    return redirect(next_url)


# Bans


@require_http_methods(["GET", "POST"])
@moderator_required
def ban_commenter(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not request.user.has_perm("comments.add_ban"):
        raise PermissionDenied
    # Nothing nudges towards an IP ban: it blocks everyone behind the same network.
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ticked = form.cleaned_data["ban_email"] or form.cleaned_data["ban_ip"]
        days = form.cleaned_data["expires_in_days"]
        try:
            ban = ban_create(
                moderator=request.user,
                reason=form.cleaned_data["reason"],
                email=comment.email if form.cleaned_data["ban_email"] else "",
                ip_hash=comment.ip_hash if form.cleaned_data["ban_ip"] else "",
                note=form.cleaned_data["note"],
                expires_at=timezone.now() + timedelta(days=days) if days else None,
                comment=comment,
                hide_comments=form.cleaned_data["hide_comments"],
            )
        except BanRefused as refusal:
            # The service owns the rule; here it is said about this comment's boxes.
            form.add_error(
                None,
                "This comment has no stored email or IP address left to ban."
                if ticked
                else refusal.message,
            )
        else:
            hidden = ban.moderation_actions.filter(action=ModerationAction.Kind.HIDE).count()
            message = f"{ban} is in force. {hidden} earlier comment(s) hidden with it."
            if ban.ip_hash:
                message += (
                    " It includes the IP address: everyone who shares that network is blocked too."
                )
            messages.success(request, message)
            return redirect("comments:moderation-queue")
    return render(
        request,
        "comments/moderation/ban.html",
        {"comment": comment, "form": form},
        status=400 if form.is_bound else 200,
    )


# Privacy requests


@require_http_methods(["GET", "POST"])
@moderator_required
def handle_privacy_request(request):
    form = PrivacyForm(request.POST or request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        action = request.POST.get("action")
        if request.method == "POST" and action == "export":
            data = privacy_export(email=email)
            response = HttpResponse(
                json.dumps(data, indent=2, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="comments-export.json"'
            return response
        if request.method == "POST" and action == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", "Tick the box to confirm the erasure.")
            else:
                erased = privacy_erase(email=email, moderator=request.user)
                messages.success(
                    request, f"Erased the name, email and IP address of {erased} comment(s)."
                )
                return redirect("comments:moderation-privacy")
        found = Comment.objects.filter(email=email.lower()).count()
    return render(
        request,
        "comments/moderation/privacy.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )
