from django import template

from netlearn.core.navigation import network_entry, network_links

register = template.Library()


@register.inclusion_tag("core/_network_nav.html", takes_context=True)
def network_nav(context, network):
    """The network's navigation, as each app registered its page (core/navigation.py)."""
    request = context.get("request")
    person = getattr(request, "user", None)
    return {"network": network, "links": network_links(network=network, person=person)}


@register.simple_tag(takes_context=True)
def network_entry_url(context, network):
    """The network's page its name links to for this viewer (core/navigation.py)."""
    request = context.get("request")
    return network_entry(network=network, person=getattr(request, "user", None))
