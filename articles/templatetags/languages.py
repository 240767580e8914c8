from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html

from articles.languages import direction, web_font

register = template.Library()


@register.filter
def name_in(thing, language: str):
    """A section's or author's name as a page in this language shows it."""
    return thing.name_in(language)


@register.simple_tag
def lang_attributes(language: str):
    """lang and dir for text in another language than the page's (an Urdu headline on the
    English front page); nothing when it is the page's own."""
    if not language or language == translation.get_language():
        return ""
    return format_html(' lang="{}" dir="{}"', language, direction(language))


@register.simple_tag
def web_font_preload():
    """A preload of the web font this page's language is set in; nothing for most pages."""
    path = web_font(translation.get_language() or "")
    if path is None:
        return ""
    return format_html(
        '<link rel="preload" href="{}" as="font" type="font/woff2" crossorigin>', static(path)
    )
