from django import template
from django.utils.safestring import mark_safe

from netlearn.core.navigation import network_entry, network_links

register = template.Library()


@register.inclusion_tag("core/_network_nav.html", takes_context=True)
def network_nav(context, network):
    """The network's navigation, as each app registered its page (core/navigation.py), with the
    section the person is in marked for assistive technology as well as by sight: its entry is
    `aria-current="page"` on the entry's own page and `"true"` on a page inside its section."""
    request = context.get("request")
    person = getattr(request, "user", None)
    path = getattr(request, "path", "")
    links = network_links(network=network, person=person, current_path=path)
    return {"network": network, "links": links, "path": path}


@register.simple_tag(takes_context=True)
def network_entry_url(context, network):
    """The network's page its name links to for this viewer (core/navigation.py)."""
    request = context.get("request")
    return network_entry(network=network, person=getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def aria_current(context, url):
    """`aria-current="page"` on the link to the page being shown (WCAG 2.4.8 location)."""
    request = context.get("request")
    return mark_safe(' aria-current="page"') if getattr(request, "path", None) == url else ""
