from django import template
from django.template.loader import render_to_string

from comments.text import render_comment_text
from comments.threads import comment_links as links_of
from comments.threads import thread_context

register = template.Library()


@register.filter
def comment_text(text: str):
    """Show reader text safely: escaped, line breaks kept, links with rel="nofollow ugc"."""
    return render_comment_text(text or "")


@register.filter
def comment_links(comment) -> dict[str, str]:
    """The comment's permalink, reply and report addresses."""
    return links_of(comment)


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """Render the article's comments and the form to join in, on the server."""
    request = context["request"]
    return render_to_string(
        "comments/includes/comments_section.html",
        thread_context(request, article),
        request=request,
    )
