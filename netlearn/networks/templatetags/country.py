"""A network's country's words in templates (networks/country.py): `{% term network "head" %}`,
`{% group_kind group network %}`."""

from django import template

from netlearn.networks import country

register = template.Library()


@register.simple_tag
def term(network, name):
    return str(getattr(country.profile_of(network).terms, name))


@register.simple_tag
def group_kind(group, network):
    return country.group_kind_label(group, network)
