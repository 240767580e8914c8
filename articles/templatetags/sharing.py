from django import template

from articles.sharing import share_links as links_for

register = template.Library()


@register.inclusion_tag("articles/includes/share_links.html")
def share_links(url, title):
    """Share links for a page and a copy-link button that scripts turn on."""
    return {"url": url, "links": links_for(url=url, title=title)}
