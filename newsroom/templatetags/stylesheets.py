from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom.stylesheets import inline_rules

register = template.Library()


@register.simple_tag
def stylesheet(path: str):
    """The page's stylesheet: its rules in a <style> element (INLINE_STYLESHEETS), else a link.

    Inlined, a reader's first page paints as soon as its HTML arrives, without waiting for
    one more request per stylesheet on a slow phone connection.
    """
    url = static(path)
    rules = inline_rules(path) if settings.INLINE_STYLESHEETS else None
    if rules is None:
        return format_html('<link rel="stylesheet" href="{}">', url)
    return format_html('<style data-stylesheet="{}">{}</style>', url, mark_safe(rules))
