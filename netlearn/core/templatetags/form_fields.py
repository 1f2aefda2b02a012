"""`field|is_choice_group`: radio buttons or several checkboxes, which `_form_fields.html` puts in
a `fieldset` whose `legend` names the group (WCAG 1.3.1: the question belongs to its answers)."""

from django import template

register = template.Library()


@register.filter
def is_choice_group(field) -> bool:
    widget = field.field.widget
    return getattr(widget, "input_type", "") in ("radio", "checkbox") and hasattr(widget, "options")
