from django import template

from articles import search

register = template.Library()


@register.filter
def highlighted(marked: str, from_html: bool = False):
    """A passage PostgreSQL marked up, escaped, with the matched words in <mark>."""
    return search.highlighted(marked, from_html=from_html)
