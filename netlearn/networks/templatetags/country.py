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


@register.simple_tag
def disadvantage_label(network):
    """ "Free school meals (FSM %)" or "Equity Index (EQI)": the network's country's measure."""
    return str(country.profile_of(network).disadvantage.label)


@register.simple_tag
def disadvantage_of(school):
    """A school's figure on its country's measure, with its band in words: "487 (more
    socio-economic barriers)", "42% (high)"; "—" when unknown."""
    measure = country.profile_of(school).disadvantage
    value = getattr(school, measure.field)
    if value is None:
        return "—"
    return f"{measure.shown(value)} ({measure.band_of(value)})"
