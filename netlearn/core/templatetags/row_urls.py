"""`{% row_url "networks:school" school.pk %}`: the same URL as `{% url %}`, for the rows of a
long list. The pattern is reversed once per page render, with a marker in place of the last
argument (an integer id), and each row puts its id where the marker was: a `reverse()` per row
was about a third of the cost of rendering a table of schools (issue 23)."""

from django import template
from django.urls import reverse

register = template.Library()

# An id no row has; reversed in place of the row's id, then replaced by it.
_MARKER = 987654321987654321


@register.simple_tag(takes_context=True)
def row_url(context, viewname, *args):
    *fixed, row_id = args
    key = (__name__, viewname, *fixed)
    shape = context.render_context.get(key)
    if shape is None:
        shape = reverse(viewname, args=[*fixed, _MARKER]).split(str(_MARKER))
        if len(shape) != 2:
            # The marker showed up twice (or not at all): no shortcut for this pattern.
            shape = None
        context.render_context[key] = shape or ()
    if not shape:
        return reverse(viewname, args=[*fixed, row_id])
    return f"{shape[0]}{int(row_id)}{shape[1]}"
