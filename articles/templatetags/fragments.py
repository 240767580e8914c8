from django import template
from django.utils.safestring import mark_safe

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
