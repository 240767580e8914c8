from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def grouped_by_role(bylines):
    """Bylines as (role, authors) in the order editors set: "By A and B · Translated by C".

    Each role is said once, so two reporters read "By A and B", not "By A and Reported by B".
    """
    groups: dict[str, list] = {}
    for byline in bylines:
        role = byline.role.strip() or gettext("By")
        groups.setdefault(role, []).append(byline.author)
    return list(groups.items())
