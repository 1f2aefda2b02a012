from django import template
from django.utils.safestring import mark_safe

from netlearn.core.navigation import network_entry, network_links

register = template.Library()


def _section_of(path: str, urls: list[str]) -> str | None:
    """The link among `urls` whose page, or section of pages, holds `path`: the longest prefix."""
    holding = [url for url in urls if path.startswith(url)]
    return max(holding, key=len) if holding else None


@register.inclusion_tag("core/_network_nav.html", takes_context=True)
def network_nav(context, network):
    """The network's navigation, as each app registered its page (core/navigation.py), with the
    section the person is in marked for assistive technology as well as by sight."""
    request = context.get("request")
    person = getattr(request, "user", None)
    links = network_links(network=network, person=person)
    path = getattr(request, "path", "")
    current = _section_of(path, [link.url for link in links])
    return {
        "network": network,
        "links": [
            (link, ("page" if link.url == path else "true") if link.url == current else "")
            for link in links
        ],
    }


@register.simple_tag(takes_context=True)
def aria_current(context, url):
    """`aria-current="page"` on the link to the page being shown (WCAG 2.4.8 location)."""
    request = context.get("request")
    return mark_safe(' aria-current="page"') if getattr(request, "path", None) == url else ""


@register.simple_tag(takes_context=True)
def network_entry_url(context, network):
    """The network's page its name links to for this viewer (core/navigation.py)."""
    request = context.get("request")
    return network_entry(network=network, person=getattr(request, "user", None))
