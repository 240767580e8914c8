from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.fragments import CARDS

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        fragments = context.get("fragments")
        if fragments is None:
            return self.nodelist.render(context)
        html = fragments.get(self.name)
        if html is None:
            html = self.nodelist.render(context)
            fragments.keep(self.name, html)
        # Rendered (and escaped) by this very template, when it was first kept.
        return mark_safe(html)  # noqa: S308


@register.tag
def fragment(parser, token):
    """{% fragment "name" %}...{% endfragment %}: a part of the page kept between renders
    when the view hands the template `fragments` (articles.fragments); rendered as usual
    otherwise."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes one quoted name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], nodelist)


@register.simple_tag(takes_context=True)
def card(context, article, variant):
    """A story's card drawn as `variant` (CARDS); one kept for this version of the story
    (articles.fragments.Cards, the view's `cards`) is reused."""
    cards = context.get("cards")
    html = cards.get(article, variant) if cards is not None else None
    if html is None:
        template_name, options = CARDS[variant]
        html = render_to_string(template_name, {"article": article, **options})
        if cards is not None:
            cards.keep(article, variant, html)
    # Rendered (and escaped) by the card's template, when it was first kept.
    return mark_safe(html)  # noqa: S308
