from django import template
from django.template.backends.utils import csrf_input
from django.urls import reverse

from comments.forms.moderation import HideForm
from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_csrf_input(context):
    """A CSRF field for moderators' forms, also inside includes rendered with `only`.

    Such includes drop the context processors' values, but the request stays on the context.
    Moderators are signed in, so their pages are never cached and the token is their own.
    """
    request = getattr(context, "request", None)
    if request is None or not request.user.is_authenticated:
        return ""
    return csrf_input(request)


@register.simple_tag
def moderation_hide_reasons():
    """The hide form's reasons, led by a prompt: no reason is chosen for the moderator."""
    return HideForm.base_fields["reason"].choices


@register.simple_tag
def comment_admin_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


@register.simple_tag(takes_context=True)
def moderation_waiting(context):
    """How many comments wait for a moderator: one COUNT per request, however often asked."""
    request = context.request
    if not hasattr(request, "_moderation_waiting"):
        request._moderation_waiting = Comment.objects.needs_review().count()
    return request._moderation_waiting
