from crispy_forms.utils import render_crispy_form
from django import template
from django.template.loader import render_to_string
from django.utils import translation

from comments.text import render_comment_text
from comments.threads import comment_links as links_of
from comments.threads import thread_context

register = template.Library()

# An empty form is the same under every article, but for its stamp (rendered apart): its
# fields are rendered once per language by each worker, not on every page.
_empty_form_fields: dict[str, str] = {}


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


@register.simple_tag
def comment_form_fields(form):
    """The comment form's fields, laid out by crispy; an empty one is rendered once."""
    if form.is_bound or form.initial:
        return render_crispy_form(form)
    language = translation.get_language()
    html = _empty_form_fields.get(language)
    if html is None:
        html = _empty_form_fields[language] = render_crispy_form(form)
    return html
