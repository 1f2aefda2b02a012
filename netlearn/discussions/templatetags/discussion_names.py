"""`{% seen_name person %}`: a person's name as the signed-in viewer may see it (policy)."""

from django import template

from netlearn.discussions import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def seen_name(context, person, default="Someone") -> str:
    if person is None:
        return default
    return policy.name_seen_by(context["request"].user, person) or default
