from django import template

from netlearn.core.navigation import network_links

register = template.Library()


@register.inclusion_tag("core/_network_nav.html", takes_context=True)
def network_nav(context, network):
    """The network's navigation, as each app registered its page (core/navigation.py)."""
    request = context.get("request")
    person = getattr(request, "user", None)
    return {"network": network, "links": network_links(network=network, person=person)}
